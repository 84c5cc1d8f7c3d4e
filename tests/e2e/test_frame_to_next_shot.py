"""The next shot from the last frame of this one, end to end in demo mode with no key and no S3: a finished take,
"Continue from last frame" → a new shot after it in image-to-video with the fitted frame and its lineage, the image
uploaded to the stand-in at once; Generate → the task carries the stand-in's image URL, the stand-in fetched it, and
the finished take says where its start frame came from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage

from sora2_desktop.core.projects import source_frame
from sora2_desktop.core.tasks.task import TaskPhase
from tests.e2e.conftest import Demo
from tests.helpers.wait import wait_until

pytestmark = pytest.mark.e2e

PROMPT = "A lighthouse keeper climbs the stairs, lamp in hand"


def test_continue_from_the_last_frame_into_a_new_shot_and_generate_from_it(
    qtbot: Any, demo: Demo, run_async: Any
) -> None:
    window, session = demo.window, demo.session
    editor = window.form.prompt_editor.editor()
    editor.setFocus()
    qtbot.keyClicks(editor, PROMPT)
    window.generate_action.trigger()  # demo mode charges nothing: no question

    async def scenario() -> None:
        await wait_until(lambda: window.model.rowCount() == 1, what="the first take")
        first = window.model.task_at(0)
        assert first.local_id is not None
        await wait_until(
            lambda: session.local_video(demo.task(first.local_id or 0)) is not None, what="the first take on disk"
        )
        # The finished take comes into the strip and the player by itself.
        await wait_until(window.take_desk.frames.continue_action.isEnabled, what="a take in the player")
        assert window.results.task() is not None and window.results.task().local_id == first.local_id

        window.take_desk.frames.continue_action.trigger()
        project = session.projects.current_project()
        await wait_until(lambda: len(session.projects.shots(project.id)) == 2, what="the new shot")
        old, new = session.projects.shots(project.id)
        assert (old.code, new.code) == ("SH010", "SH020")
        lineage = source_frame.for_takes(new.settings)
        assert lineage is not None and (lineage.task_local_id, lineage.shot_code, lineage.take_number) == (
            first.local_id,
            "SH010",
            1,
        )
        image = Path(new.settings["images"][0]["source"])
        assert image.parent == session.profile.root / "demo" / "frames"
        assert QImage(str(image)).size().toTuple() == (1280, 720)  # Sora 2, landscape
        assert (new.settings["mode"], new.settings["prompt"]) == ("image-to-video", PROMPT)
        await wait_until(lambda: window.shot_composer.shot() is not None and window.shot_composer.shot().id == new.id)
        picker = window.form.image_picker
        assert picker.lineage() == f"From SH010 T01 at {lineage.timecode}"
        # Uploaded to the stand-in at once (demo mode's image host), before anyone pressed Generate.
        await wait_until(lambda: len(demo.sim.uploads.names()) == 1, what="the start image uploaded")
        assert picker.error() == ""

        window.generate_action.trigger()  # Generate from the menu: the person read the prompt
        await wait_until(lambda: window.model.rowCount() == 2, what="the second take")
        second = next(t for t in (window.model.task_at(r) for r in range(2)) if t.local_id != first.local_id)
        assert second.local_id is not None
        await wait_until(lambda: demo.task(second.local_id or 0).phase == TaskPhase.SUCCESS, what="the second take")
        done = demo.task(second.local_id)
        assert (done.shot_id, done.take_number, done.source_frame) == (new.id, 1, lineage)
        (name,) = demo.sim.uploads.names()
        assert done.request.image_urls == (f"{demo.sim.uploads_url}/{name}",)
        assert name in demo.sim.uploads.fetched  # the stand-in's image check fetched it over loopback
        bodies = [
            json.loads(r.body)
            for r in demo.sim.requests_snapshot()
            if r.method == "POST" and r.path.startswith("/api/v1/generateTask")
        ]
        assert bodies[-1]["input"]["mode"] == "image-to-video"
        assert bodies[-1]["input"]["image_urls"] == [f"{demo.sim.uploads_url}/{name}"]
        # Its detail and its card's tooltip say where its start frame came from.
        assert window.take_strip.select_take(second.local_id)
        await wait_until(lambda: "Start frame" in window.detail.text(), what="the take's detail")
        assert f"From SH010 T01 at {lineage.timecode}" in window.detail.text()
        await wait_until(lambda: session.local_video(done) is not None, what="the second take on disk")
        sidecar = json.loads(session.local_video(done).with_suffix(".json").read_text(encoding="utf-8"))
        assert sidecar["source_frame"] == lineage.to_json()

    run_async(scenario())

"""Issue 12's hand-off end to end: three takes generated against the stand-in, two circled, exported through the
File menu's dialog; then `sora2-desktop export` run as its own process on the same profile while the window is
open (and holds the profile's lock); both exports hold the same files, bytes, manifest rows and timeline clips."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QAction

from sora2_desktop.core.projects.model import TakeMark
from sora2_desktop.core.runtime.single_instance import Claim, InstanceGuard
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.export.export_dialog import ExportDialog
from tests.e2e.conftest import AppUnderTest, Demo
from tests.e2e.test_generate_flow import press_generate, type_prompt
from tests.helpers.wait import wait_until

pytestmark = pytest.mark.e2e

FORMATS = ["fcpxml", "xml", "edl", "csv", "json"]


def timeline_clips(path: Path) -> list[tuple[str, str, float, float]]:
    """(clip name, file name, start s, duration s) of each video clip, as OpenTimelineIO reads the file back."""
    import opentimelineio as otio

    timeline = otio.adapters.read_from_file(str(path))
    if isinstance(timeline, otio.schema.SerializableCollection):  # the FCP 7 XML reader: a bin of sequences
        (timeline,) = list(timeline)
    return [
        (
            clip.name,
            Path(clip.media_reference.target_url).name,
            round(clip.source_range.start_time.to_seconds(), 3),
            round(clip.source_range.duration.to_seconds(), 3),
        )
        for track in timeline.video_tracks()  # FCP 7 XML has the takes' sound on audio tracks too
        for clip in track.find_clips()
    ]


def test_circled_takes_exported_from_the_dialog_and_the_command_line_are_the_same(
    qtbot: Any, make_app: Callable[..., AppUnderTest], run_async: Any, tmp_path: Path
) -> None:
    export_from_window_and_command_line(qtbot, make_app(), run_async, tmp_path, demo=False)


def test_in_demo_mode_the_command_line_exports_the_demo_history_as_the_window_did(
    qtbot: Any, demo: Demo, run_async: Any, tmp_path: Path
) -> None:
    export_from_window_and_command_line(qtbot, demo, run_async, tmp_path, demo=True)


def export_from_window_and_command_line(
    qtbot: Any, app: AppUnderTest | Demo, run_async: Any, tmp_path: Path, *, demo: bool
) -> None:
    session, window = app.session, app.window

    def stored(local_id: int | None) -> Task:
        return next(task for task in session.tasks() if task.local_id == local_id)

    type_prompt(qtbot, app)
    window.form._takes.setValue(3)
    press_generate(qtbot, app)

    async def three_takes_on_disk() -> None:
        await wait_until(lambda: window.model.rowCount() == 3, what="three tasks")
        await wait_until(
            lambda: all(
                stored(t.local_id).phase == TaskPhase.SUCCESS and session.local_video(t) is not None
                for t in session.tasks()
                if t.local_id is not None
            ),
            what="three takes downloaded",
        )

    run_async(three_takes_on_disk())
    project = session.projects.current_project()
    (shot,) = [s for s in session.projects.shots(project.id) if session.projects.takes(s.id)]
    takes = session.projects.takes(shot.id)
    assert [take.take_number for take in takes] == [1, 2, 3]
    for take in (takes[0], takes[2]):
        assert take.local_id is not None
        session.projects.set_mark(take.local_id, TakeMark.CIRCLED)
    assert takes[1].local_id is not None
    session.projects.set_in_out(takes[2].local_id or 0, 1_000, 4_000)  # trimmed on the timeline

    action = window.findChild(QAction, "export_selects")
    assert isinstance(action, QAction)
    action.trigger()
    dialog = window.findChild(ExportDialog)
    assert isinstance(dialog, ExportDialog)
    from_window = tmp_path / "from_window"
    dialog.options.folder_edit.setText(str(from_window))
    for name, box in dialog.options.format_boxes.items():
        box.setChecked(name in FORMATS)
    assert dialog.count.text().startswith("2 take(s) in 1 shot(s)")
    dialog.export_button.click()
    run_async(wait_until(lambda: not dialog.running, what="the dialog's export to end"))
    assert dialog.summary.text().startswith("Exported 2 take(s) of 1 shot(s)"), dialog.notes.toPlainText()

    # The app holds its profile (as app.main does): the command line must run beside it all the same.
    guard = InstanceGuard(app.profile.root)
    assert guard.claim([]) is Claim.PRIMARY
    from_script = tmp_path / "from_script"
    command = [sys.executable, "-m", "sora2_desktop", "export", "--profile", str(app.profile.root)]
    command += ["--demo"] if demo else []  # demo mode keeps its own history in <profile>/demo
    try:
        finished = subprocess.run(
            [*command, "--project", project.name, "--to", str(from_script), "--format", ",".join(FORMATS)],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            check=False,
        )
    finally:
        guard.release()
    assert finished.returncode == 0, finished.stdout + finished.stderr
    printed = finished.stdout.splitlines()
    assert sum(line.startswith("copied") for line in printed) == 2
    assert printed[-1].startswith("Exported 2 take(s) of 1 shot(s)")

    names = sorted(path.name for path in from_window.iterdir())
    assert names == sorted(path.name for path in from_script.iterdir())
    videos = [name for name in names if name.endswith(".mp4")]
    assert videos == [f"Untitled_{shot.code}_T01_16x9.mp4", f"Untitled_{shot.code}_T03_16x9.mp4"]
    for name in videos + [name.replace(".mp4", ".json") for name in videos]:
        assert (from_window / name).read_bytes() == (from_script / name).read_bytes(), name

    def manifest(folder: Path) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
        with (folder / "Untitled-selects.csv").open(encoding="utf-8", newline="") as file:
            rows = list(csv.DictReader(file))
        document = json.loads((folder / "Untitled-selects.json").read_text(encoding="utf-8"))
        return rows, document["takes"]

    window_rows, script_rows = manifest(from_window), manifest(from_script)
    assert window_rows == script_rows  # the export time is the JSON's header, not a row's
    assert [row["take"] for row in window_rows[0]] == ["1", "3"]
    assert window_rows[1][1]["in_ms"] == 1_000 and window_rows[1][1]["task_id"] == takes[2].task_id

    for suffix in ("fcpxml", "xml"):
        clips = timeline_clips(from_window / f"Untitled-selects.{suffix}")
        assert [(name, file) for name, file, _, _ in clips] == [(Path(v).stem, v) for v in videos]
        assert clips == timeline_clips(from_script / f"Untitled-selects.{suffix}")
        # The in/out marks trim the second clip: from 1 s, for 3 s (the out mark's frame included, as editors do).
        assert clips[1][2] == 1.0 and abs(clips[1][3] - 3.0) <= 1 / 30 + 0.001, clips
    edl = (from_window / "Untitled-selects.edl").read_text(encoding="utf-8")
    # The same events; the file comments name each export's own folder.
    assert edl.replace(str(from_window), "<folder>") == (from_script / "Untitled-selects.edl").read_text(
        encoding="utf-8"
    ).replace(str(from_script), "<folder>")
    assert edl.count("SH010T01") >= 1 and edl.count("SH010T03") >= 1

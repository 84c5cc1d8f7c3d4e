"""Frame actions in the real window: save the frame on screen as a PNG at the video's own size, copy it, make it the
start image of this shot or of a new shot after it (fitted to the shot's model, lineage recorded, uploaded at once),
continue from the last frame; the composer shows the lineage until the image is replaced."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.secrets import SecretStore
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.core.images.host import NO_IMAGE_HOST_MESSAGE
from sora2_desktop.core.projects import source_frame
from sora2_desktop.core.projects.project_service import ProjectService
from sora2_desktop.core.projects.source_frame import SourceFrame
from sora2_desktop.core.results.download_record import Download, DownloadState
from sora2_desktop.core.session import Session
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.resources import resource_path
from sora2_desktop.ui.compose.form_draft import FormValues, to_draft
from sora2_desktop.ui.window.main_window import MainWindow
from tests.helpers.keychain import MemoryKeyring

PROMPT = "The hero walks on, slow dolly in"
PORTRAIT = Path(__file__).parents[2] / "data" / "media" / "portrait_720x1280_30fps.mp4"  # 720×1280, 30 fps, 60 frames


@dataclass
class Setup:
    profile: Profile
    folder: Path  # the project's folder
    landscape: int  # local id of T01: the demo clip, 640×360 at 25 fps
    portrait: int  # local id of T02: a 720×1280 clip at 30 fps


@pytest.fixture
def setup(tmp_path: Path) -> Setup:
    """Project "Trailer" (its own folder): SH010 (Sora 2, landscape, a prompt) with two finished takes on disk, and
    SH020 after it."""
    profile = Profile.from_dir(tmp_path / "profile").ensure()
    folder = tmp_path / "Trailer files"
    folder.mkdir()
    ids = []
    with TaskStore(profile.database_path) as store:
        projects = ProjectService(lambda: store, lambda _task: None)
        project = projects.update_project(
            projects.current_project().__class__(projects.current_project().id, "Trailer", str(folder))
        )
        first = projects.shots(project.id)[0]
        values = FormValues(prompt=PROMPT, model="sora-2", aspect_ratio="landscape", duration=10)
        projects.save_shot_settings(first.id, to_draft(values))
        projects.add_shot(project.id)
        for number, clip in ((1, resource_path("demo_clip.mp4")), (2, PORTRAIT)):
            video = folder / f"Trailer_SH010_T0{number}.mp4"
            shutil.copyfile(clip, video)
            task = store.add(
                Task(request=GenerationRequest(prompt=PROMPT), created_at=datetime.now(UTC), phase=TaskPhase.SUCCESS)
                .with_(shot_id=first.id, take_number=number, task_id=f"task_{number}")
            )  # fmt: skip
            assert task.local_id is not None
            store.downloads.upsert(Download(task.local_id, 0, "https://cdn/x.mp4", video, state=DownloadState.DONE))
            ids.append(task.local_id)
    return Setup(profile, folder, *ids)


@pytest.fixture
def window(qtbot: QtBot, setup: Setup, memory_keyring: MemoryKeyring, run_async: Any) -> Iterator[MainWindow]:
    session = Session(setup.profile, AppSettings(setup.profile), SecretStore())
    made = MainWindow(session)
    qtbot.addWidget(made)
    made.resize(1400, 900)
    made.stack.setCurrentWidget(made.splitter)
    made.show()
    yield made
    made.close()
    run_async(session.aclose())


def show_take(qtbot: QtBot, window: MainWindow, local_id: int, frame: int) -> None:
    """The take in the player, paused on `frame`."""
    task = next(task for task in window.session.tasks() if task.local_id == local_id)
    window.result_control.show_task(task)
    player = window.results.player
    qtbot.waitUntil(lambda: player.transport.rate_known and player.media_player.duration() > 0, timeout=10_000)
    player.pause()
    player.transport.go_to_frame(frame)
    qtbot.waitUntil(lambda: player.transport.frame() == frame, timeout=10_000)
    qtbot.waitUntil(window.take_desk.frames.save_action.isEnabled, timeout=5_000)


def shot(window: MainWindow, code: str) -> Any:
    project = window.session.projects.current_project()
    return next(s for s in window.session.projects.shots(project.id) if s.code == code)


def test_nothing_to_take_a_frame_from_until_a_video_is_shown(window: MainWindow) -> None:
    actions = window.take_desk.frames.actions()
    assert len(actions) == 5 and not any(action.isEnabled() for action in actions)
    video_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Video")
    assert set(actions) <= set(video_menu.actions())
    assert set(actions) <= set(window.results.player.actions())  # its context menu
    assert set(actions) <= set(window.take_strip.view.actions())


def test_save_frame_writes_a_png_at_the_videos_own_size(qtbot: QtBot, window: MainWindow, setup: Setup) -> None:
    show_take(qtbot, window, setup.landscape, 25)
    window.take_desk.frames.save_action.trigger()
    dialog = window.findChild(QFileDialog)
    assert dialog is not None
    # The default: the project's folder, named by project, shot, take and the frame's timecode.
    assert Path(dialog.selectedFiles()[0]) == setup.folder / "Trailer_SH010_T01_00-00-01-00.png"
    target = setup.folder / "stills" / "hero.png"
    target.parent.mkdir()
    dialog.selectFile(str(target))
    dialog.accept()
    qtbot.waitUntil(target.exists, timeout=10_000)
    saved = QImage(str(target))
    assert (saved.width(), saved.height()) == (640, 360)
    qtbot.waitUntil(lambda: "640 × 360" in window.statusBar().currentMessage(), timeout=5_000)


def test_copy_frame_puts_the_full_size_picture_on_the_clipboard(qtbot: QtBot, window: MainWindow, setup: Setup) -> None:
    QGuiApplication.clipboard().clear()
    show_take(qtbot, window, setup.landscape, 50)
    window.take_desk.frames.copy_action.trigger()
    qtbot.waitUntil(lambda: not QGuiApplication.clipboard().image().isNull(), timeout=10_000)
    copied = QGuiApplication.clipboard().image()
    assert (copied.width(), copied.height()) == (640, 360)
    assert "00:00:02:00" in window.statusBar().currentMessage()


def test_a_portrait_frame_becomes_this_landscape_shots_start_image(
    qtbot: QtBot, window: MainWindow, setup: Setup
) -> None:
    show_take(qtbot, window, setup.portrait, 15)
    window.take_desk.frames.use_action.trigger()
    qtbot.waitUntil(lambda: source_frame.DRAFT_KEY in shot(window, "SH010").settings, timeout=10_000)
    settings = shot(window, "SH010").settings
    image = Path(settings["images"][0]["source"])
    assert image == setup.folder / "frames" / "Trailer_SH010_T02_00-00-00-15_1280x720.png"
    assert QImage(str(image)).size().toTuple() == (1280, 720)
    assert (settings["mode"], settings["aspect_ratio"], settings["prompt"]) == ("image-to-video", "landscape", PROMPT)
    lineage = source_frame.for_takes(settings)
    assert lineage == SourceFrame(setup.portrait, "SH010", 2, 516, "00:00:00:15")
    # The composer shows the shot with its start image, the words of its lineage, and the upload's problem now.
    values = window.form.values()
    assert (str(values.mode), values.prompt, [i.source for i in values.images]) == (
        "image-to-video",
        PROMPT,
        [str(image)],
    )
    picker = window.form.image_picker
    assert picker.lineage() == "From SH010 T02 at 00:00:00:15"
    qtbot.waitUntil(lambda: picker.error() == NO_IMAGE_HOST_MESSAGE, timeout=10_000)
    assert [s.code for s in window.session.projects.shots(shot(window, "SH010").project_id)] == ["SH010", "SH020"]


def test_a_frame_starts_a_new_shot_after_this_one(qtbot: QtBot, window: MainWindow, setup: Setup) -> None:
    show_take(qtbot, window, setup.landscape, 100)
    window.take_desk.frames.use_new_shot_action.trigger()
    project = window.session.projects.current_project()
    qtbot.waitUntil(lambda: len(window.session.projects.shots(project.id)) == 3, timeout=10_000)
    codes = [s.code for s in window.session.projects.shots(project.id)]
    assert codes == ["SH010", "SH015", "SH020"]
    new = shot(window, "SH015")
    assert source_frame.for_takes(new.settings) == SourceFrame(setup.landscape, "SH010", 1, 4020, "00:00:04:00")
    assert new.settings["prompt"] == PROMPT and QImage(new.settings["images"][0]["source"]).size().toTuple() == (
        1280,
        720,
    )
    assert source_frame.DRAFT_KEY not in shot(window, "SH010").settings  # the take's own shot is untouched
    qtbot.waitUntil(lambda: bool(window.form.image_picker.lineage()), timeout=5_000)
    assert (window.shots.current_shot() or new).id == new.id
    assert window.shot_composer.shot() is not None and window.shot_composer.shot().id == new.id


def test_continue_from_the_last_frame(qtbot: QtBot, window: MainWindow, setup: Setup) -> None:
    show_take(qtbot, window, setup.portrait, 3)
    window.take_desk.frames.continue_action.trigger()
    project = window.session.projects.current_project()
    qtbot.waitUntil(lambda: len(window.session.projects.shots(project.id)) == 3, timeout=10_000)
    new = shot(window, "SH015")
    lineage = source_frame.for_takes(new.settings)
    assert lineage is not None and (lineage.timecode, lineage.take_number) == ("00:00:01:29", 2)  # frame 59 of 60
    assert window.form.image_picker.lineage() == "From SH010 T02 at 00:00:01:29"


def test_replacing_the_start_image_drops_its_lineage(qtbot: QtBot, window: MainWindow, setup: Setup) -> None:
    show_take(qtbot, window, setup.portrait, 15)
    window.take_desk.frames.use_action.trigger()
    picker = window.form.image_picker
    qtbot.waitUntil(lambda: bool(picker.lineage()), timeout=10_000)
    picker.clear()
    assert picker.lineage() == ""
    window.shot_composer.save_now()
    settings = shot(window, "SH010").settings
    assert settings["images"] == [] and source_frame.DRAFT_KEY not in settings

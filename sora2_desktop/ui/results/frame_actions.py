"""FrameActions: frames out of the player — save the frame on screen as a full-size PNG, copy it, make it the start
image of this shot or of a new shot after it, or continue from the take's last frame — in the Video menu and the
player's and the take strip's context menus. Every frame is decoded anew by Session.frames, off the UI thread."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QFileDialog, QScrollArea, QWidget

from sora2_desktop.api.model_spec import IMAGE_TO_VIDEO
from sora2_desktop.core.images.source import ImageProblem
from sora2_desktop.core.media.frame_grab import FrameGrabError
from sora2_desktop.core.media.frame_service import PNG_SUFFIX, frame_stem
from sora2_desktop.core.media.start_frame import StartFrameError
from sora2_desktop.core.projects import source_frame
from sora2_desktop.core.projects.model import Project, Shot
from sora2_desktop.core.projects.source_frame import SourceFrame
from sora2_desktop.core.tasks.task import Task
from sora2_desktop.ui.common.background_jobs import BackgroundJobs
from sora2_desktop.ui.common.shortcuts import GROUP_VIDEO, Shortcut, register
from sora2_desktop.ui.compose.form_draft import to_draft
from sora2_desktop.ui.results import frame_wording as words
from sora2_desktop.ui.results.timecode import frame_position, timecode

if TYPE_CHECKING:
    from sora2_desktop.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)

SAVE_KEYS, COPY_KEYS = "Ctrl+Shift+S", "Ctrl+Alt+C"
USE_KEYS, USE_NEW_SHOT_KEYS, CONTINUE_KEYS = "Ctrl+Alt+S", "Ctrl+Alt+N", "Ctrl+Alt+E"
register(
    Shortcut(SAVE_KEYS, "Save the frame on screen as a PNG…", GROUP_VIDEO),
    Shortcut(COPY_KEYS, "Copy the frame on screen", GROUP_VIDEO),
    Shortcut(USE_KEYS, "Use the frame on screen as the shot's start image", GROUP_VIDEO),
    Shortcut(USE_NEW_SHOT_KEYS, "Use the frame on screen as the start of a new shot after this one", GROUP_VIDEO),
    Shortcut(CONTINUE_KEYS, "Continue from the take's last frame in a new shot", GROUP_VIDEO),
)


@dataclass(frozen=True)
class FramePick:
    """A frame of a take's saved video: `at_ms` is a time inside it for the grab (None: the last frame, found by
    the grab itself); `frame`/`rate` give its timecode."""

    take: Task
    video: Path
    at_ms: int | None
    frame: int
    rate: Fraction

    @property
    def timecode(self) -> str:
        return timecode(self.frame, self.rate)

    def lineage(self, shot_code: str) -> SourceFrame:
        assert self.take.local_id is not None
        return SourceFrame(
            self.take.local_id,
            shot_code,
            self.take.take_number,
            frame_position(self.frame, self.rate),
            self.timecode,
        )


class FrameActions(QObject):
    status_message = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._session = window.session
        self._jobs = BackgroundJobs("frame job")
        self.save_action = self._action(self.tr("Save &frame as PNG…"), SAVE_KEYS, self.save_frame)
        self.copy_action = self._action(self.tr("Cop&y frame"), COPY_KEYS, self.copy_frame)
        self.use_action = self._action(self.tr("Use frame as &start image"), USE_KEYS, self.use_frame)
        self.use_new_shot_action = self._action(
            self.tr("Use frame as start of a &new shot"), USE_NEW_SHOT_KEYS, lambda: self.use_frame(new_shot=True)
        )
        self.continue_action = self._action(
            self.tr("&Continue from last frame"), CONTINUE_KEYS, self.continue_from_last
        )
        player = window.results.player
        for widget in (player, window.take_strip.view):
            widget.addActions(self.actions())
            widget.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        # A take's file goes into the player (or leaves it) by a queued call: the actions follow the source.
        player.media_player.sourceChanged.connect(self._sync)
        self._sync()

    def actions(self) -> list[QAction]:
        return [self.save_action, self.copy_action, self.use_action, self.use_new_shot_action, self.continue_action]

    def _action(self, text: str, keys: str, slot: Any) -> QAction:
        action = QAction(text, self._window)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(slot)
        self._window.addAction(action)
        return action

    def _sync(self) -> None:
        ready = self._window.results.video() is not None and self._window.results.task() is not None
        for action in self.actions():
            action.setEnabled(ready)

    # -- the frame on screen ------------------------------------------------------------------------------------

    def pick_here(self) -> FramePick | None:
        """The frame the player shows (paused or not), of the take it shows."""
        results = self._window.results
        task, video = results.task(), results.video()
        if task is None or video is None or task.local_id is None:
            self.status_message.emit(words.no_video_text())
            return None
        transport = results.player.transport
        frame = transport.frame()
        return FramePick(task, video, transport.frame_ms(frame), frame, transport.rate)

    async def pick_last(self) -> FramePick | None:
        """The last frame of the take the player shows (by the file's boxes; else by the player's figures)."""
        here = self.pick_here()
        if here is None:
            return None
        found = await self._session.frames.last_frame(here.video)
        if self._closed():
            return None
        transport = self._window.results.player.transport
        frame, rate = found or (transport.last_frame() or 0, transport.rate)
        return FramePick(here.take, here.video, None, frame, rate)

    # -- save, copy -------------------------------------------------------------------------------------------

    def save_frame(self) -> None:
        pick = self.pick_here()
        if pick is None:
            return
        shot, project = self._shot_and_project(pick.take)
        stem = frame_stem(
            project.name if project else "", shot.code if shot else None, pick.take.take_number, pick.timecode
        )
        folder = Path(project.folder).expanduser() if project and project.folder else self._downloads()
        dialog = QFileDialog(self._window, self.tr("Save frame as PNG"), str(folder / f"{stem}{PNG_SUFFIX}"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("PNG image (*.png)"))
        dialog.setDefaultSuffix("png")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda target: self._jobs.spawn(self.save_frame_to(pick, Path(target))))
        dialog.open()

    async def save_frame_to(self, pick: FramePick, target: Path) -> Path | None:
        try:
            image = await self._session.frames.save_frame(pick.video, pick.at_ms, target)
            if self._closed():
                return target
        except FrameGrabError as err:
            self.status_message.emit(words.frame_failed_text(str(err)))
            return None
        except OSError as err:
            self.status_message.emit(words.save_failed_text(str(target), err.strerror or str(err)))
            return None
        self.status_message.emit(words.saved_text(str(target), image.width(), image.height()))
        return target

    def copy_frame(self) -> None:
        pick = self.pick_here()
        if pick is not None:
            self._jobs.spawn(self.copy_frame_of(pick))

    async def copy_frame_of(self, pick: FramePick) -> None:
        try:
            image = await self._session.frames.grab(pick.video, pick.at_ms)
        except FrameGrabError as err:
            self.status_message.emit(words.frame_failed_text(str(err)))
            return
        if self._closed():
            return
        QGuiApplication.clipboard().setImage(image)
        self.status_message.emit(words.copied_text(pick.timecode, image.width(), image.height()))

    # -- start images -------------------------------------------------------------------------------------------

    def use_frame(self, *, new_shot: bool = False) -> None:
        pick = self.pick_here()
        if pick is not None:
            self._jobs.spawn(self.start_from(pick, new_shot=new_shot))

    def continue_from_last(self) -> None:
        async def run() -> None:
            pick = await self.pick_last()
            if pick is not None:
                await self.start_from(pick, new_shot=True)

        self._jobs.spawn(run())

    async def start_from(self, pick: FramePick, *, new_shot: bool) -> Shot | None:
        """The frame, fitted to the target shot's model, becomes that shot's start image (image-to-video, prompt
        kept, lineage recorded): the take's own shot (else the one on screen), or a new shot after it. Nothing is
        generated: the person reads the prompt and presses Generate. The image is uploaded at once, so a problem
        (no image host…) shows at its row now."""
        source, project = self._shot_and_project(pick.take)
        target = source or self._window.shots.current_shot()
        if target is not None and project is None:
            project = self._session.projects.project(target.project_id)
        if target is None or project is None:
            self.status_message.emit(words.no_shot_text())
            return None
        spec = self._session.models.current().spec_for(str(self._draft_of(target).get("model") or ""))
        stem = frame_stem(project.name, source.code if source else None, pick.take.take_number, pick.timecode)
        try:
            made = await self._session.frames.start_image(
                pick.video, pick.at_ms, spec, self._draft_of(target), self._session.frames.frames_folder(project), stem
            )
        except (StartFrameError, FrameGrabError) as err:
            self.status_message.emit(words.frame_failed_text(str(err)))
            return None
        except OSError as err:
            self.status_message.emit(words.frame_failed_text(err.strerror or str(err)))
            return None
        if self._closed():
            return None
        # Read again after the wait: what was typed meanwhile is kept, only the start image is new.
        settings = {key: value for key, value in self._draft_of(target).items() if key != source_frame.DRAFT_KEY}
        image = str(made.path)
        settings.update(
            {
                "model": spec.id,
                "mode": IMAGE_TO_VIDEO,
                made.target.param: made.target.option,
                "images": [{"source": image, "is_local": True}],
                source_frame.DRAFT_KEY: source_frame.draft_entry(pick.lineage(source.code if source else ""), image),
            }
        )
        projects = self._session.projects
        shot = projects.add_shot(project.id, settings, after=target.id) if new_shot else None
        shot = shot or projects.save_shot_settings(target.id, settings)
        self._bring_to_screen(shot)
        size = made.target.width, made.target.height
        self.status_message.emit(words.start_image_text(shot.code, *size, new_shot=new_shot))
        await self._upload(image)
        return shot

    def _draft_of(self, shot: Shot) -> dict[str, Any]:
        """The shot's draft as the person sees it: the form's values when it is the shot on screen (a shot never
        edited shows the form's model and settings without having stored them), else as stored."""
        composer = self._window.shot_composer
        composer.save_now()
        stored = dict((self._session.projects.shot(shot.id) or shot).settings)
        on_screen = composer.shot()
        if on_screen is not None and on_screen.id == shot.id:
            return {**stored, **to_draft(self._window.form.values())}
        return stored

    def _bring_to_screen(self, shot: Shot) -> None:
        """The shot in the composer with its new draft: selected when another shot is on screen, re-read when it is
        the one on screen (the composer keeps no stale copy)."""
        window = self._window
        current = window.shots.current_shot()
        if current is not None and current.id == shot.id:
            window.shot_composer.show_shot(shot)
        else:
            window.shots.select_shot(shot.id)

    async def _upload(self, image: str) -> None:
        picker = self._window.form.image_picker
        picker.set_entry_status(image, True, words.uploading_text())
        self._reveal(picker)
        try:
            await self._session.frames.prepare(Path(image))
        except ImageProblem as problem:
            if self._closed():
                return
            picker.set_entry_status(image, False, words.not_uploaded_text())
            if any(entry.source == image for entry in picker.entries()):
                picker.set_error(problem.reason)
                self._reveal(picker)
            return
        if not self._closed():
            picker.set_entry_status(image, True, words.uploaded_text())

    # -- plumbing -------------------------------------------------------------------------------------------------

    def _shot_and_project(self, take: Task) -> tuple[Shot | None, Project | None]:
        projects = self._session.projects
        shot = projects.shot(take.shot_id) if take.shot_id is not None else None
        project = projects.project(shot.project_id) if shot is not None else self._window.shots.current_project()
        return shot, project

    def _reveal(self, widget: QWidget) -> None:
        """Scroll the form to `widget` once the layout has placed what just changed (the image, its words)."""

        def scroll() -> None:
            if self._closed():
                return
            area = widget.parentWidget()
            while area is not None and not isinstance(area, QScrollArea):
                area = area.parentWidget()
            if area is not None:
                area.ensureWidgetVisible(widget, 0, 0)

        QTimer.singleShot(0, self, scroll)

    def _closed(self) -> bool:
        """The window went while a frame was decoded or uploaded: nothing is left to show it in."""
        return not shiboken6.isValid(self._window) or not shiboken6.isValid(self._window.form.image_picker)

    def _downloads(self) -> Path:
        return Path(self._session.settings.download_dir).expanduser()

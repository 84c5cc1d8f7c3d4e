"""Frame wording: what the window says about a frame taken from a take — its lineage ("From SH020 T03 at
00:00:04:12"), the outcome of saving, copying and using it, and why it could not be done."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from sora2_desktop.core.projects.model import take_code
from sora2_desktop.core.projects.source_frame import SourceFrame

_translate = QCoreApplication.translate


def lineage_text(frame: SourceFrame) -> str:
    """ "From SH020 T03 at 00:00:04:12"; a take outside any shot is named by its number in the history."""
    if frame.shot_code and frame.take_number:
        where = f"{frame.shot_code} {take_code(frame.take_number)}"
    elif frame.shot_code:
        where = frame.shot_code
    else:
        where = _translate("FrameWording", "task #{0}").format(frame.task_local_id)
    return _translate("FrameWording", "From {take} at {timecode}").format(take=where, timecode=frame.timecode)


def no_video_text() -> str:
    return _translate("FrameWording", "Select a take whose video is saved, then take a frame from it.")


def no_shot_text() -> str:
    return _translate("FrameWording", "Choose a shot first: the frame becomes the start image of a shot.")


def saved_text(path: str, width: int, height: int) -> str:
    return _translate("FrameWording", "Frame saved as {0} ({1} × {2}).").format(path, width, height)


def copied_text(timecode: str, width: int, height: int) -> str:
    return _translate("FrameWording", "Frame {0} copied ({1} × {2}).").format(timecode, width, height)


def save_failed_text(path: str, reason: str) -> str:
    return _translate("FrameWording", "Could not save the frame as {0}: {1}").format(path, reason)


def frame_failed_text(reason: str) -> str:
    return _translate("FrameWording", "Could not take the frame: {0}").format(reason)


def start_image_text(shot_code: str, width: int, height: int, *, new_shot: bool) -> str:
    if new_shot:
        text = _translate(
            "FrameWording", "New shot {0} starts from this frame ({1} × {2}); check its prompt, then Generate."
        )
    else:
        text = _translate(
            "FrameWording", "{0} now starts from this frame ({1} × {2}); check its prompt, then Generate."
        )
    return text.format(shot_code, width, height)


def uploading_text() -> str:
    return _translate("FrameWording", "Uploading…")


def uploaded_text() -> str:
    return _translate("FrameWording", "Uploaded: ready for Generate")


def not_uploaded_text() -> str:
    return _translate("FrameWording", "Not uploaded")

"""SourceFrame: where a take's start image came from (a frame of another take), as stored facts; and how a shot's
draft carries it from "use this frame" to the takes it submits."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

# The shot draft's key (beside form_draft.to_draft's keys). Its value is SourceFrame.to_json() plus "image": the
# start image's path, so the lineage goes when the person replaces or removes that image (`kept_in_draft`).
DRAFT_KEY = "source_frame"


@dataclass(frozen=True)
class SourceFrame:
    """A frame of take `take_number` of shot `shot_code` (task `task_local_id`), `at_ms` from its start;
    `timecode` is that frame as HH:MM:SS:FF at the clip's own rate, as it was shown when the frame was taken."""

    task_local_id: int
    shot_code: str
    take_number: int | None
    at_ms: int
    timecode: str

    def to_json(self) -> dict[str, Any]:
        return {
            "task_local_id": self.task_local_id,
            "shot_code": self.shot_code,
            "take_number": self.take_number,
            "at_ms": self.at_ms,
            "timecode": self.timecode,
        }

    def to_text(self) -> str:
        """The tasks column's form (JSON)."""
        return json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":"))


def source_frame_from_json(data: object) -> SourceFrame | None:
    """Read `to_json` output back; None for anything malformed (a hand edit, a later version's form): a take
    without its lineage shown is better than a history that does not open."""
    if not isinstance(data, Mapping):
        return None
    local_id, code, number = data.get("task_local_id"), data.get("shot_code"), data.get("take_number")
    at_ms, timecode = data.get("at_ms"), data.get("timecode")
    if not (_whole(local_id) and _whole(at_ms) and isinstance(code, str) and isinstance(timecode, str)):
        return None
    if number is not None and not _whole(number):
        return None
    return SourceFrame(local_id, code, number, at_ms, timecode)


def source_frame_from_text(text: str | None) -> SourceFrame | None:
    if not text:
        return None
    try:
        return source_frame_from_json(json.loads(text))
    except ValueError:
        return None


# -- in a shot's draft --------------------------------------------------------------------------------------------


def draft_entry(frame: SourceFrame, image: str) -> dict[str, Any]:
    """The draft's `source_frame` value for a start image at `image` (its path, as the draft lists it)."""
    return {**frame.to_json(), "image": image}


def from_draft(settings: Mapping[str, Any]) -> tuple[SourceFrame, str] | None:
    """The lineage a shot's draft carries and the image it belongs to, if any."""
    entry = settings.get(DRAFT_KEY)
    frame = source_frame_from_json(entry)
    image = entry.get("image") if isinstance(entry, Mapping) else None
    return (frame, image) if frame is not None and isinstance(image, str) and image else None


def kept_in_draft(entry: object, draft: Mapping[str, Any]) -> bool:
    """True while the draft still lists the image the lineage `entry` belongs to."""
    image = entry.get("image") if isinstance(entry, Mapping) else None
    return isinstance(image, str) and image in _draft_images(draft.get("images"))


def for_takes(settings: Mapping[str, Any]) -> SourceFrame | None:
    """The lineage the takes submitted from this draft record: only in image-to-video, and only while the start
    image is still listed (a draft saved by an older version may carry a stale one)."""
    found = from_draft(settings)
    if found is None or settings.get("mode") != "image-to-video" or not kept_in_draft(settings[DRAFT_KEY], settings):
        return None
    return found[0]


def _draft_images(images: object) -> list[str]:
    if not isinstance(images, Sequence) or isinstance(images, str):
        return []
    sources = (image.get("source") if isinstance(image, Mapping) else image for image in images)
    return [source for source in sources if isinstance(source, str)]


def _whole(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0

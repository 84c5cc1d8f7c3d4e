"""Result files on disk: readable names for downloaded videos, the MP4 check, the JSON sidecar, the final rename."""

from __future__ import annotations

import contextlib
import json
import os
import re
import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sora2_desktop import __version__
from sora2_desktop.core.results.download_record import Download
from sora2_desktop.core.runtime.atomic_files import write_json_atomically
from sora2_desktop.core.tasks.task import Task

VIDEO_SUFFIX = ".mp4"
SIDECAR_SUFFIX = ".json"
# The client streams to `<staging>.part` and renames to `<staging>` when the bytes are complete; the video gets
# its `.mp4` name only after the MP4 check, so nothing that looks like a finished clip is ever half-written.
STAGING_SUFFIX = ".download"
SLUG_MAX_CHARS = 40
TASK_ID_MAX_CHARS = 48  # keeps a whole name far below the 255-byte limit of common file systems
MAX_CLASH_NUMBER = 10_000
SIDECAR_VERSION = 1

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_NOT_ID = re.compile(r"[^A-Za-z0-9_-]+")
_CLASH_NUMBER = re.compile(r" \(\d+\)$")


class NotAVideoError(Exception):
    """The downloaded bytes are empty or do not start like an MP4: the player could not open them."""


class ClaimedPaths:
    """Final paths that downloads under way will use, case-folded (on macOS and Windows "A.mp4" and "a.mp4" are
    the same file), each with the key of the download that claims it. Kept up to date as downloads start, move
    and end, so choosing a name costs a lookup per candidate instead of rebuilding the set for every name.

    `path in claimed` is one dict lookup, atomic under the GIL: a worker thread (`land`) may ask while the loop
    thread claims and releases."""

    def __init__(self, paths: Iterable[Path] = ()) -> None:
        self._owners: dict[str, object] = {_folded(path): None for path in paths}

    def claim(self, path: Path, owner: object) -> None:
        self._owners[_folded(path)] = owner

    def release(self, path: Path, owner: object) -> None:
        """Forget `path` if `owner` still holds it (a later claim of the same name by another download stays)."""
        folded = _folded(path)
        if folded in self._owners and self._owners[folded] == owner:
            del self._owners[folded]

    def owner(self, path: Path) -> object:
        """Who claims `path`; None when nobody does (or it was claimed without an owner)."""
        return self._owners.get(_folded(path))

    def held_by_another(self, path: Path, owner: object) -> bool:
        """True when someone other than `owner` claims `path` (an unowned claim counts for nobody)."""
        holder = self.owner(path)
        return holder is not None and holder != owner

    def move(self, owner: object, old: Path | None, new: Path | None) -> None:
        """`owner` now claims `new` instead of `old` (either may be None: no path)."""
        if old == new:
            return
        if old is not None:
            self.release(old, owner)
        if new is not None:
            self.claim(new, owner)

    def copy(self) -> ClaimedPaths:
        """A snapshot for a worker thread that adds names of its own."""
        snapshot = ClaimedPaths()
        snapshot._owners = dict(self._owners)
        return snapshot

    def __contains__(self, path: object) -> bool:
        return isinstance(path, Path) and _folded(path) in self._owners

    def __len__(self) -> int:
        return len(self._owners)


def _folded(path: Path) -> str:
    return str(path).casefold()


def slug(text: str, max_chars: int = SLUG_MAX_CHARS) -> str:
    """Lower-case ASCII words joined by hyphens ("A Lighthouse, at dusk!" → "a-lighthouse-at-dusk")."""
    # NFKD splits "é" into "e" + accent, so accented prompts keep their letters; scripts without an ASCII
    # form (Chinese, Arabic…) drop out and the name falls back to "video": the date and task id still identify it.
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = _NOT_SLUG.sub("-", ascii_text).strip("-")
    if len(words) > max_chars:
        cut = words[: max_chars + 1]
        boundary = cut.rfind("-")
        # End on a whole word unless that would throw away more than half of the room.
        words = cut[:boundary] if boundary >= max_chars // 2 else words[:max_chars]
    return words.strip("-") or "video"


def safe_task_id(task: Task) -> str:
    """The service's task id reduced to [A-Za-z0-9_-]; it comes from the network, so it is never trusted as is."""
    cleaned = _NOT_ID.sub("", task.task_id or "")[:TASK_ID_MAX_CHARS]
    return cleaned or f"row{task.local_id}"


def video_stem(task: Task, url_index: int) -> str:
    """`YYYY-MM-DD_HHMM_<prompt slug>_<task id>[_<n>]`: sorts by time, reads as what was asked for."""
    created = task.created_at if task.created_at.tzinfo else task.created_at.replace(tzinfo=UTC)
    # Local wall time: the moment the person pressed Generate, as their clock showed it.
    stem = f"{created.astimezone():%Y-%m-%d_%H%M}_{slug(task.request.prompt)}_{safe_task_id(task)}"
    return stem if url_index == 0 else f"{stem}_{url_index + 1}"


def staging_path(final: Path) -> Path:
    """Where the complete but not yet checked bytes of `final` wait (their `.part` sits beside it)."""
    return final.with_name(final.name + STAGING_SUFFIX)


def sidecar_path(final: Path) -> Path:
    return final.with_suffix(SIDECAR_SUFFIX)


def poster_path_for(video_path: str | Path) -> Path:
    """`/lib/clip.mp4` -> `/lib/clip.poster.png`: the poster lives beside its video and goes where it goes."""
    return Path(video_path).with_suffix(".poster.png")


def unfinished_size(final: Path) -> int:
    """Bytes already fetched for `final` (its staging file or that file's `.part`); 0 when none."""
    from sora2_desktop.api.download import part_path  # the download client (asyncio with it) waits for its use

    for path in (staging_path(final), part_path(staging_path(final))):
        with contextlib.suppress(OSError):
            return path.stat().st_size
    return 0


def discard_unfinished(final: Path) -> None:
    from sora2_desktop.api.download import part_path

    for path in (staging_path(final), part_path(staging_path(final))):
        path.unlink(missing_ok=True)


def choose_destination(folder: Path, stem: str, taken: ClaimedPaths | Iterable[Path] = ()) -> Path:
    """`folder/stem.mp4`, or `stem (2).mp4`, `stem (3).mp4`… when that name (or its sidecar, or an unfinished
    download of it) is on disk or in `taken` (paths other downloads will use). Never a path outside `folder`.

    Pass a ClaimedPaths the caller keeps up to date: any other collection is case-folded into one on every call."""
    from sora2_desktop.api.download import part_path

    folder = folder.expanduser().resolve()
    claimed = taken if isinstance(taken, ClaimedPaths) else ClaimedPaths(taken)
    base = _CLASH_NUMBER.sub("", stem)
    for number in range(1, MAX_CLASH_NUMBER):
        name = base if number == 1 else f"{base} ({number})"
        candidate = folder / f"{name}{VIDEO_SUFFIX}"
        if candidate in claimed:
            continue
        traces = (candidate, sidecar_path(candidate), staging_path(candidate), part_path(staging_path(candidate)))
        if any(path.exists() for path in traces):
            continue
        if not candidate.resolve().is_relative_to(folder):
            # Cannot happen with the characters a stem is made of; checked because a slip here writes anywhere.
            raise ValueError(f"refusing a download path outside the download folder: {candidate}")
        return candidate
    raise FileExistsError(f"no free name for {base!r} in {folder}")


def check_mp4(path: Path) -> int:
    """The file's size; NotAVideoError unless it is non-empty and opens with an MP4 `ftyp` box."""
    with path.open("rb") as file:
        head = file.read(8)
        size = os.fstat(file.fileno()).st_size
    # ISO BMFF: a 4-byte box size, then the box type; every MP4 a player opens begins with `ftyp`.
    if size == 0 or len(head) < 8 or head[4:8] != b"ftyp":
        raise NotAVideoError(path.name)
    return size


def sidecar_document(task: Task, download: Download, downloaded_at: datetime) -> dict[str, Any]:
    """Everything needed to trace a clip back to how it was made; the file's name and size are added on landing."""
    return {
        "sidecar_version": SIDECAR_VERSION,
        "app": "Sora 2 Desktop",
        "app_version": __version__,
        "prompt": task.request.prompt,
        # Which model made it and by which catalogue its settings were judged (tasks from before: Sora 2, none).
        "model": task.request.model,
        "catalogue_version": task.catalogue_version,
        "settings": task.request.to_dict(),
        "task_id": task.task_id,
        "local_task_id": task.local_id,
        "batch_id": task.batch_id,
        # Where it belongs in the production (None outside a shot); the shot's code is in the file's name.
        "shot_id": task.shot_id,
        "take_number": task.take_number,
        "prompt_version_id": task.version_id,
        # The frame of another take its start image was made from (None when it was not).
        "source_frame": None if task.source_frame is None else task.source_frame.to_json(),
        "cost_estimate_usd": task.cost_estimate_usd,
        "submitted_at": _iso(task.submitted_at or task.created_at),
        # The service's own figures (Unix ms, as its status answer gives them) beside readable forms.
        "service": {
            "createTime": _millis(task.service_created_at),
            "completeTime": _millis(task.completed_at),
            "costTime": task.cost_time_ms,
            "created": _iso(task.service_created_at),
            "completed": _iso(task.completed_at),
        },
        "source_url": download.url,
        "url_index": download.url_index,
        "url_expires_at": _iso(download.expires_at),
        "downloaded_at": _iso(downloaded_at),
    }


def land(
    staging: Path, final: Path, sidecar: dict[str, Any], taken: ClaimedPaths | Iterable[Path] = ()
) -> tuple[Path, int]:
    """Check `staging`, write the sidecar, rename the video into place; return (the video's path, its size).

    Blocking (fsync, rename): run it in a worker thread. If a file appeared at `final` since the name was chosen,
    the next free name is used: nothing is overwritten. The sidecar goes first, so a video under its final
    name always has its sidecar beside it. Raises NotAVideoError (the staging file is left for the caller)."""
    size = check_mp4(staging)
    if final.exists():
        final = choose_destination(final.parent, final.stem, taken)
    write_json_atomically(sidecar_path(final), {**sidecar, "video_file": final.name, "file_size": size})
    # os.replace is atomic on one file system: the `.mp4` name shows the whole file or nothing.
    os.replace(staging, final)
    _fsync_folder(final.parent)
    return final, size


def landed_before(final: Path, url: str, local_id: int) -> bool:
    """True when `final` is already this download's finished video: the app stopped after the rename but
    before the database heard of it. Judged by the sidecar (written just before the rename) and the size."""
    try:
        document = json.loads(sidecar_path(final).read_text(encoding="utf-8"))
        size = final.stat().st_size
    except (OSError, ValueError):
        return False
    return (
        isinstance(document, dict)
        and document.get("source_url") == url
        and document.get("local_task_id") == local_id
        and document.get("file_size") == size
        and size > 0
    )


def _fsync_folder(folder: Path) -> None:
    """Makes the rename itself survive a power cut (POSIX; Windows has no directory handles for this)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _millis(moment: datetime | None) -> int | None:
    return None if moment is None else round(moment.timestamp() * 1000)

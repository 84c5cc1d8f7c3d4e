"""HistoryResults: what the history list shows of its finished tasks' files, found once after the first paint."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sora2_desktop.core.results.download_record import Download, DownloadState
from sora2_desktop.core.results.files import poster_path_for  # not the poster maker's module: QtMultimedia


@dataclass(frozen=True)
class HistoryResults:
    """What the history list shows of its finished tasks' files, read once after the first paint."""

    downloads: dict[int, list[Download]]  # local id → its download records
    posters: dict[int, str]  # local id → a poster PNG already on disk; the missing ones come by `poster_ready`


def posters_on_disk(by_task: dict[int, list[Download]]) -> tuple[dict[int, str], dict[int, Path]]:
    """Posters already made, and finished videos still without one: a file-system walk, so in a worker."""
    posters: dict[int, str] = {}
    missing: dict[int, Path] = {}
    for local_id, records in by_task.items():
        done = next((r.path for r in records if r.state == DownloadState.DONE and r.path is not None), None)
        if done is None:
            continue
        poster = poster_path_for(done)
        if poster.is_file():
            posters[local_id] = str(poster)
        elif done.is_file():
            missing[local_id] = done
    return posters, missing

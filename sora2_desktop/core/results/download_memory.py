"""DownloadMemory: the download records the views asked for, kept current by the downloader's events, so a
progress event or a repaint costs no database read."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sora2_desktop.core.results.download_record import Download


class DownloadMemory:
    """Local id → url index → record, for the tasks whose records were asked for or read in bulk."""

    def __init__(self) -> None:
        self._known: dict[int, dict[int, Download]] = {}

    def clear(self) -> None:
        self._known.clear()

    def forget(self, local_id: int) -> None:
        self._known.pop(local_id, None)

    def records(self, local_id: int, read: Callable[[int], list[Download]]) -> list[Download]:
        """The task's records in url order: read with `read` the first time, from memory after that."""
        known = self._known.get(local_id)
        if known is None:
            known = self._known[local_id] = {record.url_index: record for record in read(local_id)}
        return [known[index] for index in sorted(known)]

    def note(self, record: Download) -> None:
        """A record's new state; kept only for a task already known (the others are read when asked for)."""
        known = self._known.get(record.local_id)
        if known is not None:
            known[record.url_index] = record

    def merge(self, records: Iterable[Download]) -> dict[int, list[Download]]:
        """Records read in bulk join the known ones, which stay where they are (as new or newer: progress is not
        written per chunk); returns every known task's records in url order."""
        for record in records:
            self._known.setdefault(record.local_id, {}).setdefault(record.url_index, record)
        return {local_id: [known[i] for i in sorted(known)] for local_id, known in self._known.items() if known}

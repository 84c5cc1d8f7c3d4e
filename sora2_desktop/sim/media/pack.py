"""The pre-encoded material under resources/demo_media/ (made by resources/make_demo_media.py): per frame format
(size × frame rate) a few looks, each one second of H.264 as a closed GOP, plus one silent AAC frame."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Gop:
    """One second of video: `fps` samples, an IDR frame first, in MP4 form (4-byte NAL lengths)."""

    width: int
    height: int
    fps: int
    look: str  # "A", "B", …: the letter the picture shows
    sps: bytes
    pps: bytes
    samples: tuple[bytes, ...]


@dataclass(frozen=True)
class SilentAudio:
    """One AAC-LC frame of silence (1024 samples) and the AudioSpecificConfig that describes it."""

    rate: int
    channels: int
    config: bytes
    frame: bytes
    samples_per_frame: int = 1024


class DemoPack:
    """Reads index.json on first use and each GOP's samples when first asked for; thread-safe (the CDN serves
    from many threads). Nothing is read at import or construction, so the app's start-up does not pay for it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._index: dict[str, Any] | None = None
        self._gops: dict[tuple[int, int, int, str], Gop] = {}

    def _read_index(self) -> dict[str, Any]:
        with self._lock:
            if self._index is None:
                self._index = json.loads((self.folder / "index.json").read_text(encoding="utf-8"))
            return self._index

    def looks(self, width: int, height: int, fps: int) -> list[str]:
        """The looks there are for this format, in order; empty when the pack has no such format."""
        return [
            entry["look"]
            for entry in self._read_index()["gops"]
            if (entry["width"], entry["height"], entry["fps"]) == (width, height, fps)
        ]

    def formats(self) -> set[tuple[int, int, int]]:
        return {(entry["width"], entry["height"], entry["fps"]) for entry in self._read_index()["gops"]}

    def gop(self, width: int, height: int, fps: int, look: str) -> Gop:
        key = (width, height, fps, look)
        with self._lock:
            cached = self._gops.get(key)
        if cached is not None:
            return cached
        entry = next(
            (e for e in self._read_index()["gops"] if (e["width"], e["height"], e["fps"], e["look"]) == key), None
        )
        if entry is None:
            raise KeyError(f"no demo GOP for {width}x{height} at {fps} fps, look {look}")
        data = (self.folder / entry["file"]).read_bytes()
        samples, offset = [], 0
        for size in entry["samples"]:
            samples.append(data[offset : offset + size])
            offset += size
        if offset != len(data):
            raise ValueError(f"{entry['file']}: {len(data)} bytes, the index lists {offset}")
        gop = Gop(width, height, fps, look, bytes.fromhex(entry["sps"]), bytes.fromhex(entry["pps"]), tuple(samples))
        with self._lock:
            self._gops[key] = gop
        return gop

    def audio(self) -> SilentAudio:
        audio = self._read_index()["audio"]
        return SilentAudio(
            int(audio["rate"]), int(audio["channels"]), bytes.fromhex(audio["config"]), bytes.fromhex(audio["frame"])
        )

"""Which demo video a task gets — its picture size from the request, its model's frame rate, its look — and the
clips already built, kept in memory so a thousand tasks of a few kinds are muxed a few times only."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sora2_desktop.sim.contract import DEFAULT_PICTURE, PICTURE_SIZES
from sora2_desktop.sim.media.mp4_mux import mux
from sora2_desktop.sim.media.pack import DemoPack
from sora2_desktop.sim.service import FRAME_PARAMS

# Built clips kept, newest last. A 15 s 1080p clip is about 0.6 MB; this bounds the cache's memory, not its count.
CACHE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class ClipSpec:
    width: int
    height: int
    fps: int
    seconds: int
    look: int  # the task's place in the stand-in's round-robin of looks (any integer; wrapped per format)


def picture_size(request_input: dict[str, Any]) -> tuple[int, int]:
    """The delivered width × height for a submit's `input`: its aspect_ratio, size or resolution value."""
    for param in FRAME_PARAMS:
        value = request_input.get(param)
        if isinstance(value, str) and value in PICTURE_SIZES:
            return PICTURE_SIZES[value]
    return DEFAULT_PICTURE


class DemoClips:
    """Builds (and caches) the MP4 for a ClipSpec from the pack; safe to call from the CDN's handler threads."""

    def __init__(self, folder: Path, *, cache_bytes: int = CACHE_BYTES) -> None:
        self.pack = DemoPack(folder)
        self._cache_bytes = cache_bytes
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[int, int, int, int, str], bytes] = OrderedDict()
        self._held = 0

    @property
    def held_bytes(self) -> int:
        """Bytes of built clips kept in memory now (at most the cache's bound, or one clip larger than it)."""
        with self._lock:
            return self._held

    def look_letter(self, spec: ClipSpec) -> str:
        looks = self.pack.looks(spec.width, spec.height, spec.fps)
        if not looks:
            raise KeyError(f"no demo media for {spec.width}x{spec.height} at {spec.fps} fps")
        return looks[spec.look % len(looks)]

    def clip(self, spec: ClipSpec) -> bytes:
        letter = self.look_letter(spec)
        key = (spec.width, spec.height, spec.fps, spec.seconds, letter)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
        # Built outside the lock: two threads may build the same clip once each, but no thread waits on another's.
        data = mux(self.pack.gop(spec.width, spec.height, spec.fps, letter), self.pack.audio(), spec.seconds)
        with self._lock:
            if key not in self._cache:
                self._cache[key] = data
                self._held += len(data)
                while self._held > self._cache_bytes and len(self._cache) > 1:
                    _, dropped = self._cache.popitem(last=False)
                    self._held -= len(dropped)
        return data

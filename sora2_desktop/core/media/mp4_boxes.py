"""Walking the boxes of an ISO base media file (MP4, MOV): sizes, nesting and the few field layouts we read.

Only the headers of the top-level boxes are read from the file; the one box whose contents matter (`moov`) is read
whole, so a multi-gigabyte `mdat` costs two seeks wherever it sits (before or after `moov`).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

# A moov box holds sample tables (a few bytes per frame); hours of video stay well under this. Anything larger is
# taken for a damaged size field rather than read into memory.
MAX_MOOV_BYTES = 256 * 1024 * 1024

# Container boxes whose children we walk (ISO/IEC 14496-12); everything else is opaque payload.
CONTAINERS = frozenset({"moov", "trak", "mdia", "minf", "stbl", "edts", "dinf", "mvex", "udta"})


class MediaProbeError(ValueError):
    """The file is not a readable MP4; the message says why (not an MP4, no video track, truncated …)."""


@dataclass(frozen=True)
class Box:
    type: str
    start: int  # offset of the box's first header byte
    header: int  # 8, or 16 with a 64-bit size
    size: int  # whole box, header included

    @property
    def body(self) -> int:
        return self.start + self.header

    @property
    def end(self) -> int:
        return self.start + self.size


def _fourcc(raw: bytes) -> str | None:
    """The box type as text, or None when the bytes cannot be a box type (a sign the data is not ISO-BMFF)."""
    if len(raw) != 4 or not all(0x20 <= b <= 0x7E or b == 0xA9 for b in raw):  # 0xA9 = © in QuickTime tags
        return None
    return raw.decode("latin-1")


def _header(raw: bytes, start: int, limit: int, where: str) -> Box:
    """Decodes the box header in `raw` (at least 16 bytes, or what was left) found at `start`; `limit` = its end."""
    if len(raw) < 8:
        raise MediaProbeError(f"truncated: {limit - start} stray bytes at offset {start} in {where}")
    size, kind = struct.unpack(">I4s", raw[:8])
    name = _fourcc(kind)
    if name is None:
        raise MediaProbeError(f"not an MP4: bytes at offset {start} in {where} are not a box header")
    header = 8
    if size == 1:  # a 64-bit size follows the type
        if len(raw) < 16:
            raise MediaProbeError(f"truncated: the '{name}' box header at offset {start} is cut short")
        (size,) = struct.unpack(">Q", raw[8:16])
        header = 16
    elif size == 0:  # the box runs to the end of its parent (or of the file)
        size = limit - start
    if size < header:
        raise MediaProbeError(f"damaged: the '{name}' box at offset {start} declares an impossible size {size}")
    if start + size > limit:
        raise MediaProbeError(
            f"truncated: the '{name}' box at offset {start} needs {size} bytes but only {limit - start} remain"
        )
    return Box(name, start, header, size)


def top_level_boxes(f: BinaryIO, file_size: int) -> Iterator[Box]:
    """The top-level boxes of an open file, reading only their headers."""
    offset = 0
    while offset < file_size:
        f.seek(offset)
        box = _header(f.read(16), offset, file_size, "the file")
        yield box
        offset = box.end


def read_box(f: BinaryIO, box: Box) -> bytes:
    """The whole of a top-level box (header included), so offsets inside it match `child_boxes`."""
    if box.size > MAX_MOOV_BYTES:
        raise MediaProbeError(f"damaged: the '{box.type}' box claims {box.size} bytes, more than any movie header")
    f.seek(box.start)
    data = f.read(box.size)
    if len(data) != box.size:
        raise MediaProbeError(f"truncated: the '{box.type}' box ends before its {box.size} bytes")
    return data


def child_boxes(data: bytes, parent: Box, skip: int = 0) -> Iterator[Box]:
    """The boxes inside `parent` (which lies in `data`), after `skip` bytes of the parent's own fields."""
    offset = parent.body + skip
    while offset < parent.end:
        box = _header(data[offset : offset + 16], offset, parent.end, f"'{parent.type}'")
        yield box
        offset = box.end


def find_child(data: bytes, parent: Box, kind: str, skip: int = 0) -> Box | None:
    return next((b for b in child_boxes(data, parent, skip) if b.type == kind), None)


def require_child(data: bytes, parent: Box, path: str) -> Box:
    """The box at a '/'-separated path below `parent`; a clear error naming the missing box otherwise."""
    box = parent
    for kind in path.split("/"):
        found = find_child(data, box, kind)
        if found is None:
            raise MediaProbeError(f"damaged: no '{kind}' box inside '{box.type}'")
        box = found
    return box


def unpack(fmt: str, data: bytes, offset: int, box: Box) -> tuple[int, ...]:
    """Big-endian fields at `offset`, refusing to read past the end of `box` (a short box is damage, not zeros)."""
    size = struct.calcsize(fmt)
    if offset + size > box.end:
        raise MediaProbeError(f"damaged: the '{box.type}' box is too short for its fields")
    values: tuple[int, ...] = struct.unpack_from(fmt, data, offset)
    return values


def unpack_float(data: bytes, offset: int, box: Box) -> float:
    """One big-endian 64-bit float (the sample rate of a QuickTime version 2 sound description)."""
    if offset + 8 > box.end:
        raise MediaProbeError(f"damaged: the '{box.type}' box is too short for its fields")
    value: float = struct.unpack_from(">d", data, offset)[0]
    return value


def full_box_version(data: bytes, box: Box) -> int:
    """The version byte of a 'full box' (mvhd, tkhd, mdhd, stts …); its flags follow in three bytes."""
    return unpack(">B", data, box.body, box)[0]

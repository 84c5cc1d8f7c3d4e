"""Hand-made MP4 movie headers for the probe's tests: the cases ffmpeg rarely writes (a turned picture, version 1
boxes, variable frame durations, QuickTime sound descriptions) and rearrangements of a real file's boxes."""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

from sora2_desktop.core.media.mp4_boxes import Box, child_boxes, top_level_boxes
from sora2_desktop.sim.media.mp4_mux import box, full_box

IDENTITY = (0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
QUARTER_TURN = (0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000)  # what phones write for portrait video
FTYP = box("ftyp", b"isom", struct.pack(">I", 0x200), b"isomavc1")


@dataclass(frozen=True)
class Video:
    width: int = 1280
    height: int = 720
    timescale: int = 30_000
    runs: tuple[tuple[int, int], ...] = ((60, 1001),)  # stts: (frames, ticks each)
    matrix: tuple[int, ...] = IDENTITY
    version: int = 0  # of tkhd and mdhd (1 = 64-bit times)
    codec: str = "avc1"


@dataclass(frozen=True)
class Sound:
    rate: int = 48_000
    channels_field: int = 2  # mp4a's own channel count (writers put a template 2 there)
    aac_channels: int | None = 1  # channelConfiguration in esds; None = no esds
    version: int = 0  # QuickTime sound description version (0 = ISO, 1, 2)


def movie(*tracks: Video | Sound, extra: bytes = b"") -> bytes:
    """ftyp + moov with the tracks; no media data (the probe never reads it)."""
    traks = [_video(t) if isinstance(t, Video) else _sound(t) for t in tracks]
    mvhd = full_box("mvhd", 0, 0, struct.pack(">IIII", 0, 0, 1000, 2000), bytes(80))
    return FTYP + box("moov", mvhd, *traks, extra)


def _trak(kind: bytes, timescale: int, version: int, matrix: tuple[int, ...], size: tuple[int, int], entry: bytes,
          stts: bytes) -> bytes:  # fmt: skip
    times = struct.pack(">QQIIQ", 0, 0, 1, 0, 0) if version else struct.pack(">IIIII", 0, 0, 1, 0, 0)
    tkhd = full_box("tkhd", version, 3, times, bytes(16), struct.pack(">9i", *matrix),
                    struct.pack(">II", size[0] << 16, size[1] << 16))  # fmt: skip
    mdhd_times = struct.pack(">QQIQ", 0, 0, timescale, 0) if version else struct.pack(">IIII", 0, 0, timescale, 0)
    mdhd = full_box("mdhd", version, 0, mdhd_times, struct.pack(">HH", 0x55C4, 0))
    hdlr = full_box("hdlr", 0, 0, bytes(4), kind, bytes(12), b"\0")
    stbl = box("stbl", full_box("stsd", 0, 0, struct.pack(">I", 1), entry), stts)
    return box("trak", tkhd, box("mdia", mdhd, hdlr, box("minf", stbl)))


def stts(runs: tuple[tuple[int, int], ...]) -> bytes:
    return full_box("stts", 0, 0, struct.pack(">I", len(runs)), *(struct.pack(">II", n, d) for n, d in runs))


def _video(v: Video) -> bytes:
    entry = box(v.codec, bytes(6), struct.pack(">H", 1), bytes(16), struct.pack(">HH", v.width, v.height), bytes(50))
    return _trak(b"vide", v.timescale, v.version, v.matrix, (v.width, v.height), entry, stts(v.runs))


def _sound(s: Sound) -> bytes:
    fields = bytes(6) + struct.pack(">HHHI", 1, s.version, 0, 0)
    if s.version == 2:
        fields += struct.pack(">HHhHIId", 3, 16, -2, 0, 65536, 72, float(s.rate))
        fields += struct.pack(">IIIIII", s.channels_field, 0x7F000000, 16, 0, 0, 1024)
    else:
        fields += struct.pack(">HHHHI", s.channels_field, 16, 0, 0, min(s.rate, 65535) << 16)
        fields += bytes(16) if s.version == 1 else b""
    children = b""
    if s.aac_channels is not None:
        config = ((2 << 11) | (3 << 7) | (s.aac_channels << 3)).to_bytes(2, "big")  # AAC-LC, 48 kHz index
        decoder = bytes([0x04, 13 + 2 + 2, 0x40, 0x15]) + bytes(11) + bytes([0x05, 2]) + config
        children = full_box("esds", 0, 0, bytes([0x03, 3 + len(decoder)]) + struct.pack(">HB", 2, 0) + decoder)
    entry = box("mp4a", fields, children)
    return _trak(b"soun", s.rate, 0, IDENTITY, (0, 0), entry, stts(((10, 1024),)))


def rearranged(data: bytes, *, moov_last: bool = False, large_mdat: bool = False, open_mdat: bool = False) -> bytes:
    """The same movie with its boxes moved: moov after mdat, mdat with a 64-bit size, or mdat with size 0 (to the
    end of the file, only when it is last). Chunk offsets are corrected, so the result still plays."""
    with io.BytesIO(data) as f:
        boxes = {b.type: b for b in top_level_boxes(f, len(data))}
    ftyp, moov, mdat = boxes["ftyp"], boxes["moov"], boxes["mdat"]
    payload = data[mdat.body : mdat.end]
    if large_mdat:
        mdat_header = struct.pack(">I4sQ", 1, b"mdat", 16 + len(payload))
    elif open_mdat:
        mdat_header = struct.pack(">I4s", 0, b"mdat")
    else:
        mdat_header = struct.pack(">I4s", 8 + len(payload), b"mdat")
    head = data[ftyp.start : ftyp.end]
    new_body = len(head) + len(mdat_header) + (0 if moov_last else moov.size)
    moov_bytes = _shift_chunks(data[moov.start : moov.end], new_body - mdat.body)
    if moov_last:
        return head + mdat_header + payload + moov_bytes
    return head + moov_bytes + mdat_header + payload


def _shift_chunks(moov: bytes, delta: int) -> bytes:
    out = bytearray(moov)
    top = Box("moov", 0, 8, len(moov))

    def walk(parent: Box) -> None:
        for child in child_boxes(moov, parent):
            if child.type in ("trak", "mdia", "minf", "stbl"):
                walk(child)
            elif child.type == "stco":
                (count,) = struct.unpack_from(">I", moov, child.body + 4)
                for i in range(count):
                    at = child.body + 8 + 4 * i
                    struct.pack_into(">I", out, at, struct.unpack_from(">I", moov, at)[0] + delta)

    walk(top)
    return bytes(out)

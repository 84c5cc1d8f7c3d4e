"""What an MP4 holds — picture size, frame rate, frame count, length, sound — read from its boxes in pure Python.

No ffprobe (not shipped) and no Qt (a player takes hundreds of milliseconds to open a file; this takes well under
one): exports and timelines need exact rational rates for dozens of files, read from a worker thread.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from sora2_desktop.core.media.mp4_boxes import (
    Box,
    MediaProbeError,
    child_boxes,
    find_child,
    full_box_version,
    read_box,
    require_child,
    top_level_boxes,
    unpack,
    unpack_float,
)

__all__ = ["MediaInfo", "MediaProbeError", "probe"]

# Boxes that may open an ISO-BMFF file; anything else in the first eight bytes is some other kind of file.
_FIRST_BOXES = frozenset({"ftyp", "moov", "mdat", "free", "skip", "wide", "pnot", "uuid", "styp"})


@dataclass(frozen=True)
class MediaInfo:
    width: int  # display width of the video track (tkhd, turned by its matrix), e.g. 720 for a portrait take
    height: int
    frame_rate: Fraction  # Fraction(30), Fraction(30000, 1001)
    frame_count: int
    duration: Fraction  # seconds of video: frame_count / frame_rate at a constant rate
    has_audio: bool
    audio_rate: int | None  # Hz
    audio_channels: int | None
    video_codec: str  # the sample entry's fourcc, e.g. "avc1"


@dataclass(frozen=True)
class _Track:
    handler: str  # "vide", "soun", …
    trak: Box
    timescale: int
    width: int  # display size from tkhd (0 for sound)
    height: int
    entry: Box | None  # the first sample entry in stsd


def probe(path: Path) -> MediaInfo:
    """Reads the movie header of `path`; MediaProbeError says why when it is not a playable MP4 video."""
    try:
        with path.open("rb") as f:
            file_size = path.stat().st_size
            if file_size < 8:
                raise MediaProbeError(f"not an MP4: the file has only {file_size} bytes")
            head = f.read(8)
            if head[4:8].decode("latin-1") not in _FIRST_BOXES:
                shown = "".join(chr(b) if 0x20 <= b < 0x7F else "." for b in head)
                raise MediaProbeError(f"not an MP4: the file starts with '{shown}', not an MP4 box")
            moov: Box | None = None
            for box in top_level_boxes(f, file_size):
                if box.type == "moov" and moov is None:
                    moov = box
            if moov is None:
                raise MediaProbeError("not a finished MP4: it has no movie header ('moov' box)")
            data = read_box(f, moov)
    except OSError as exc:
        raise MediaProbeError(f"cannot read the file: {exc.strerror or exc}") from exc
    moov = Box(moov.type, 0, moov.header, moov.size)  # offsets now count from the start of `data`
    return _media_info(data, moov)


def _media_info(data: bytes, moov: Box) -> MediaInfo:
    tracks = [_track(data, trak) for trak in child_boxes(data, moov) if trak.type == "trak"]
    video = next((t for t in tracks if t.handler == "vide"), None)
    if video is None:
        kinds = ", ".join(sorted({t.handler for t in tracks})) or "none"
        raise MediaProbeError(f"no video track (tracks found: {kinds})")
    if video.entry is None:
        raise MediaProbeError("damaged: the video track has no sample description")
    frame_rate, frame_count, duration = _timing(data, video, fragmented=find_child(data, moov, "mvex") is not None)
    width, height = video.width, video.height
    if not (width and height):  # some writers leave tkhd's size at zero; the coded size is the next best thing
        width, height = unpack(">HH", data, video.entry.body + 24, video.entry)
    if not (width and height):
        raise MediaProbeError("damaged: the video track gives no picture size")
    audio = next((t for t in tracks if t.handler == "soun"), None)
    rate, channels = _audio_format(data, audio) if audio is not None else (None, None)
    return MediaInfo(
        width=width,
        height=height,
        frame_rate=frame_rate,
        frame_count=frame_count,
        duration=duration,
        has_audio=audio is not None,
        audio_rate=rate,
        audio_channels=channels,
        video_codec=video.entry.type,
    )


def _track(data: bytes, trak: Box) -> _Track:
    mdia = require_child(data, trak, "mdia")
    hdlr = require_child(data, mdia, "hdlr")
    handler = data[hdlr.body + 8 : hdlr.body + 12].decode("latin-1") if hdlr.size >= hdlr.header + 12 else ""
    mdhd = require_child(data, mdia, "mdhd")
    # mdhd: version+flags, then creation/modification times (4 or 8 bytes each), then the timescale.
    (timescale,) = unpack(">I", data, mdhd.body + (20 if full_box_version(data, mdhd) == 1 else 12), mdhd)
    if timescale == 0:
        raise MediaProbeError(f"damaged: the '{handler}' track has a time scale of zero")
    width, height = _display_size(data, require_child(data, trak, "tkhd"))
    stsd = find_child(data, require_child(data, mdia, "minf/stbl"), "stsd")
    # stsd: version+flags and an entry count precede the sample entries, which are boxes.
    entry = next(iter(child_boxes(data, stsd, skip=8)), None) if stsd is not None else None
    return _Track(handler, trak, timescale, width, height, entry)


def _display_size(data: bytes, tkhd: Box) -> tuple[int, int]:
    """tkhd's width and height (16.16 fixed point), swapped when its matrix turns the picture a quarter turn
    (phones store portrait video as landscape frames plus a 90° matrix)."""
    # After version+flags: times, track id, reserved, duration (20 or 32 bytes), then 16 bytes of layer/volume.
    matrix = tkhd.body + 4 + (32 if full_box_version(data, tkhd) == 1 else 20) + 16
    a, b, _u, c, d, _v, _x, _y, _w = unpack(">9i", data, matrix, tkhd)
    w16, h16 = unpack(">II", data, matrix + 36, tkhd)
    width, height = round(w16 / 65536), round(h16 / 65536)
    if a == 0 and d == 0 and b != 0 and c != 0:
        return height, width
    return width, height


def _timing(data: bytes, video: _Track, *, fragmented: bool) -> tuple[Fraction, int, Fraction]:
    """(frame rate, frame count, seconds) from the time-to-sample table of the video track."""
    stts = require_child(data, video.trak, "mdia/minf/stbl/stts")
    (count,) = unpack(">I", data, stts.body + 4, stts)
    runs = [unpack(">II", data, stts.body + 8 + 8 * i, stts) for i in range(count)]
    frames = sum(n for n, _ in runs)
    if frames == 0:
        if fragmented:
            raise MediaProbeError("fragmented MP4 (samples in 'moof' boxes) is not read; remux it with faststart")
        raise MediaProbeError("the video track has no frames")
    if any(delta == 0 for n, delta in runs if n):
        raise MediaProbeError("damaged: a video frame has a duration of zero")
    ticks = sum(n * delta for n, delta in runs)
    per_delta: Counter[int] = Counter()
    for n, delta in runs:
        per_delta[delta] += n
    common_delta, common_count = per_delta.most_common(1)[0]
    rate = Fraction(video.timescale, common_delta)
    # Constant rate when every frame but possibly the last has the common duration (muxers often shorten or
    # stretch the last one to match the audio); then the length is whole frames at that rate.
    if common_count >= frames - 1:
        return rate, frames, frames / rate
    return rate, frames, Fraction(ticks, video.timescale)


def _audio_format(data: bytes, audio: _Track) -> tuple[int | None, int | None]:
    """(sample rate in Hz, channels) from the sound sample entry (mp4a and other sound descriptions)."""
    entry = audio.entry
    if entry is None:
        return None, None
    # SoundSampleEntry: 6 reserved + data reference index, then QuickTime's version, revision and vendor.
    (version,) = unpack(">H", data, entry.body + 8, entry)
    if version == 2:
        # QuickTime sound description v2: constants, then the rate as a float64 and a 32-bit channel count.
        rate = unpack_float(data, entry.body + 32, entry)
        (channels,) = unpack(">I", data, entry.body + 40, entry)
        return round(rate) or audio.timescale, channels or None
    channels, _bits, _cid, _packet, rate_fixed = unpack(">HHHHI", data, entry.body + 16, entry)
    # The 16.16 rate overflows above 65535 Hz (96 kHz audio writes 0 or garbage); the track's time scale is the
    # sample rate in every muxer we know, so it stands in when the field cannot hold the value.
    rate = rate_fixed >> 16
    if rate == 0 or (audio.timescale > 65535 and rate != audio.timescale):
        rate = audio.timescale
    # MP4 writers put a template 2 in mp4a's channel count; the AAC decoder configuration in esds has the truth.
    esds = find_child(data, entry, "esds", skip=_SOUND_FIELDS.get(version, 28)) if entry.type == "mp4a" else None
    configured = _aac_channels(data[esds.body + 4 : esds.end]) if esds is not None else None
    return rate, configured or channels or None


# Bytes of fields before a sound sample entry's child boxes, by QuickTime sound description version (0 = ISO).
_SOUND_FIELDS = {0: 28, 1: 44, 2: 64}

# channelConfiguration of an AudioSpecificConfig (ISO/IEC 14496-3, 1.6.3.5) → channels; 0 = stated elsewhere.
_AAC_CHANNELS = {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 8}


def _aac_channels(descriptors: bytes) -> int | None:
    """The channel count in the AudioSpecificConfig inside an esds box's descriptors, None when not stated."""
    pos = 0

    def descriptor() -> tuple[int, int] | None:  # (tag, length), moving `pos` to the payload
        nonlocal pos
        if pos >= len(descriptors):
            return None
        tag, length = descriptors[pos], 0
        pos += 1
        for _ in range(4):  # the length is 1–4 bytes of 7 bits, high bit = more follow
            if pos >= len(descriptors):
                return None
            byte = descriptors[pos]
            pos += 1
            length = (length << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        return tag, length

    if descriptor() is None or descriptors[0] != 0x03:  # ES_Descriptor
        return None
    if pos + 3 > len(descriptors):
        return None
    flags = descriptors[pos + 2]
    pos += 3 + (2 if flags & 0x80 else 0)
    if flags & 0x40 and pos < len(descriptors):  # a URL: its length byte, then the URL
        pos += 1 + descriptors[pos]
    pos += 2 if flags & 0x20 else 0
    found = descriptor()
    if found is None or found[0] != 0x04:  # DecoderConfigDescriptor
        return None
    pos += 13  # object type, stream type, buffer size, max and average bit rates
    found = descriptor()
    if found is None or found[0] != 0x05 or pos + 2 > len(descriptors):  # DecoderSpecificInfo
        return None
    bits = int.from_bytes(descriptors[pos : pos + 8].ljust(8, b"\0"), "big")  # ≤ 43 bits are needed
    object_type, shift = bits >> 59, 59
    if object_type == 31:  # escape: six more bits of object type
        shift -= 6
    shift -= 4
    if (bits >> shift) & 0xF == 15:  # an explicit 24-bit sampling frequency instead of an index
        shift -= 24
    shift -= 4
    return _AAC_CHANNELS.get((bits >> shift) & 0xF) if shift >= 0 else None

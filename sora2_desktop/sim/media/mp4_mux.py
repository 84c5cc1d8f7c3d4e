"""A minimal MP4 writer: one H.264 track made of a repeated one-second GOP and one silent AAC track, movie header
first (fast start), as a player or an editor expects from a delivered video (ISO/IEC 14496-12 and -14, -15)."""

from __future__ import annotations

import math
import struct
from collections.abc import Iterable

from sora2_desktop.sim.media.pack import Gop, SilentAudio

MOVIE_TIMESCALE = 1000  # mvhd and tkhd durations in milliseconds
VIDEO_TIMESCALE = 90_000  # divisible by 24, 25, 30, 48, 50, 60: every frame lasts a whole number of ticks
_MATRIX = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)  # identity (no turn)
_LANGUAGE_UND = 0x55C4  # "und" packed as three 5-bit letters


def box(kind: str, *parts: bytes) -> bytes:
    payload = b"".join(parts)
    return struct.pack(">I4s", 8 + len(payload), kind.encode("ascii")) + payload


def full_box(kind: str, version: int, flags: int, *parts: bytes) -> bytes:
    return box(kind, struct.pack(">I", (version << 24) | flags), *parts)


def mux(gop: Gop, audio: SilentAudio, seconds: int) -> bytes:
    """An MP4 of exactly `seconds` × gop.fps frames, with silent audio as long within one AAC frame."""
    if seconds < 1:
        raise ValueError("a demo clip lasts at least one second")
    video_gop = b"".join(gop.samples)
    audio_frames = math.ceil(seconds * audio.rate / audio.samples_per_frame)
    # Audio is interleaved with the video one second at a time: chunk i holds the AAC frames that start in second i.
    starts = [math.ceil(i * audio.rate / audio.samples_per_frame) for i in range(seconds)] + [audio_frames]
    audio_chunks = [starts[i + 1] - starts[i] for i in range(seconds)]
    chunk_bytes = [len(video_gop) + n * len(audio.frame) for n in audio_chunks]

    ftyp = box("ftyp", b"isom", struct.pack(">I", 0x200), b"isomiso2avc1mp41")

    def moov(mdat_body: int) -> bytes:
        video_offsets, audio_offsets, at = [], [], mdat_body
        for i in range(seconds):
            video_offsets.append(at)
            audio_offsets.append(at + len(video_gop))
            at += chunk_bytes[i]
        return _moov(gop, audio, seconds, audio_frames, audio_chunks, video_offsets, audio_offsets)

    # The chunk offsets point past ftyp and moov, whose size does not depend on their values: measure, then write.
    header = len(ftyp) + len(moov(0)) + 8
    parts = [ftyp, moov(header), struct.pack(">I4s", 8 + sum(chunk_bytes), b"mdat")]
    for n in audio_chunks:
        parts += (video_gop, audio.frame * n)
    return b"".join(parts)


def _moov(
    gop: Gop,
    audio: SilentAudio,
    seconds: int,
    audio_frames: int,
    audio_chunks: list[int],
    video_offsets: list[int],
    audio_offsets: list[int],
) -> bytes:
    frames = seconds * gop.fps
    sizes = [len(sample) for sample in gop.samples]
    video_ms = seconds * MOVIE_TIMESCALE
    audio_ticks = audio_frames * audio.samples_per_frame
    audio_ms = math.ceil(audio_ticks * MOVIE_TIMESCALE / audio.rate)
    mvhd = full_box(
        "mvhd", 0, 0,
        struct.pack(">IIII", 0, 0, MOVIE_TIMESCALE, max(video_ms, audio_ms)),
        struct.pack(">IH10x", 0x10000, 0x100), _MATRIX, bytes(24), struct.pack(">I", 3),
    )  # fmt: skip
    avc1 = box(
        "avc1",
        bytes(6), struct.pack(">H", 1), bytes(16), struct.pack(">HH", gop.width, gop.height),
        struct.pack(">IIIH", 0x480000, 0x480000, 0, 1), bytes(32), struct.pack(">Hh", 0x18, -1),
        _avcc(gop),
    )  # fmt: skip
    video_table = [
        full_box("stsd", 0, 0, struct.pack(">I", 1), avc1),
        full_box("stts", 0, 0, struct.pack(">III", 1, frames, VIDEO_TIMESCALE // gop.fps)),
        full_box(
            "stss", 0, 0, struct.pack(">I", seconds), *(struct.pack(">I", 1 + i * gop.fps) for i in range(seconds))
        ),
        _stsc([gop.fps] * seconds),
        # Every sample's size: the GOP's sizes once per second.
        full_box("stsz", 0, 0, struct.pack(">II", 0, frames), struct.pack(f">{gop.fps}I", *sizes) * seconds),
        _stco(video_offsets),
    ]
    video = _trak(1, gop.width, gop.height, video_ms, "vide", VIDEO_TIMESCALE, frames * (VIDEO_TIMESCALE // gop.fps),
                  full_box("vmhd", 0, 1, bytes(8)), video_table)  # fmt: skip
    mp4a = box(
        "mp4a",
        bytes(6), struct.pack(">H", 1), bytes(8), struct.pack(">HHHHI", audio.channels, 16, 0, 0, audio.rate << 16),
        _esds(audio),
    )  # fmt: skip
    audio_table = [
        full_box("stsd", 0, 0, struct.pack(">I", 1), mp4a),
        full_box("stts", 0, 0, struct.pack(">III", 1, audio_frames, audio.samples_per_frame)),
        _stsc(audio_chunks),
        full_box("stsz", 0, 0, struct.pack(">II", len(audio.frame), audio_frames)),
        _stco(audio_offsets),
    ]
    sound = _trak(2, 0, 0, audio_ms, "soun", audio.rate, audio_ticks, full_box("smhd", 0, 0, bytes(4)), audio_table)
    return box("moov", mvhd, video, sound)


def _trak(
    track_id: int, width: int, height: int, movie_ms: int, handler: str, timescale: int, ticks: int,
    media_header: bytes, table: list[bytes],
) -> bytes:  # fmt: skip
    volume = 0x100 if handler == "soun" else 0
    tkhd = full_box(
        "tkhd", 0, 3,  # enabled, in the movie
        struct.pack(">IIIII", 0, 0, track_id, 0, movie_ms), bytes(8), struct.pack(">hhHH", 0, 0, volume, 0),
        _MATRIX, struct.pack(">II", width << 16, height << 16),
    )  # fmt: skip
    mdhd = full_box("mdhd", 0, 0, struct.pack(">IIIIHH", 0, 0, timescale, ticks, _LANGUAGE_UND, 0))
    name = b"VideoHandler\0" if handler == "vide" else b"SoundHandler\0"
    hdlr = full_box("hdlr", 0, 0, bytes(4), handler.encode("ascii"), bytes(12), name)
    dinf = box("dinf", full_box("dref", 0, 0, struct.pack(">I", 1), full_box("url ", 0, 1)))
    minf = box("minf", media_header, dinf, box("stbl", *table))
    return box("trak", tkhd, box("mdia", mdhd, hdlr, minf))


def _stsc(per_chunk: Iterable[int]) -> bytes:
    """Samples per chunk, run-length coded as (first chunk, samples per chunk, description index 1)."""
    runs: list[tuple[int, int]] = []
    for chunk, count in enumerate(per_chunk, start=1):
        if not runs or runs[-1][1] != count:
            runs.append((chunk, count))
    return full_box("stsc", 0, 0, struct.pack(">I", len(runs)), *(struct.pack(">III", c, n, 1) for c, n in runs))


def _stco(offsets: list[int]) -> bytes:
    return full_box("stco", 0, 0, struct.pack(">I", len(offsets)), *(struct.pack(">I", o) for o in offsets))


def _avcc(gop: Gop) -> bytes:
    """AVCDecoderConfigurationRecord: profile, compatibility and level are bytes 1-3 of the SPS."""
    sps, pps = gop.sps, gop.pps
    return box(
        "avcC",
        bytes([1, sps[1], sps[2], sps[3], 0xFF, 0xE1]), struct.pack(">H", len(sps)), sps,
        b"\x01", struct.pack(">H", len(pps)), pps,
    )  # fmt: skip


def _descriptor(tag: int, payload: bytes) -> bytes:
    """An MPEG-4 descriptor with its length in the four-byte form many muxers write."""
    n = len(payload)
    size = bytes([0x80 | (n >> 21) & 0x7F, 0x80 | (n >> 14) & 0x7F, 0x80 | (n >> 7) & 0x7F, n & 0x7F])
    return bytes([tag]) + size + payload


def _esds(audio: SilentAudio) -> bytes:
    bitrate = len(audio.frame) * 8 * audio.rate // audio.samples_per_frame
    decoder = _descriptor(
        0x04,
        # MPEG-4 audio (0x40), an audio stream (5 << 2 | reserved 1), buffer size, max and average bit rate.
        bytes([0x40, 0x15]) + (len(audio.frame)).to_bytes(3, "big") + struct.pack(">II", bitrate, bitrate)
        + _descriptor(0x05, audio.config),
    )  # fmt: skip
    es = _descriptor(0x03, struct.pack(">HB", 2, 0) + decoder + _descriptor(0x06, b"\x02"))
    return full_box("esds", 0, 0, es)

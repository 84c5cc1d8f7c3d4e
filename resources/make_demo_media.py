#!/usr/bin/env python3
"""Rebuilds resources/demo_media/: the pre-encoded pictures the local stand-in (sora2_desktop/sim/media) builds its
"generated" videos from, so a demo take has the size, frame rate and length that were asked for.

For every frame format the stand-in delivers (size × frame rate) and every look (A-D: palette, gradient, moving
element), ffmpeg encodes ONE second as a closed GOP — an IDR frame, then P frames only — with the same x264
settings, so the stand-in can repeat it N times for an N-second take and mux it with silent AAC audio in pure
Python. Each GOP is stored as its H.264 samples in MP4 form (4-byte lengths) beside index.json, which holds the
SPS/PPS, the sample sizes, and one silent AAC frame with its AudioSpecificConfig.

A dev tool like make_demo_clip.sh: never run by CI or tests (they read what it wrote). Needs ffmpeg with libx264 and
the DejaVu fonts (Debian: apt-get install ffmpeg fonts-dejavu-core). Usage: python3 resources/make_demo_media.py
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

OUT = Path(__file__).resolve().parent / "demo_media"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

# Size × frame rate of every clip the stand-in delivers (sim/contract.py says which model asks for which): Sora 2 at
# 30 fps in landscape and portrait; Sora 2 Pro at 24 fps in its text-to-video sizes and its 1080p image-to-video.
FORMATS = [
    (1280, 720, 30),
    (720, 1280, 30),
    (1280, 720, 24),
    (720, 1280, 24),
    (1792, 1024, 24),
    (1024, 1792, 24),
    (1920, 1080, 24),
]
AUDIO_RATE, AUDIO_CHANNELS = 48_000, 1


@dataclass(frozen=True)
class Look:
    letter: str
    c0: str  # gradient colours
    c1: str
    gradient: str  # linear, radial, circular, spiral (ffmpeg's gradients source)
    mover: str  # the element that moves through each second: sweep, fall, orbit, fill
    ink: str  # colour of the moving element


# Four looks, because a batch has at most four takes and the stand-in hands them out round-robin: the takes of one
# batch never share a look. Palettes and movements differ so that even a thumbnail tells them apart.
LOOKS = [
    Look("A", "0x1d2b64", "0x6a3093", "linear", "sweep", "white@0.45"),
    Look("B", "0x0b4d3c", "0x2fa39a", "radial", "fall", "0xffe066@0.70"),
    Look("C", "0x7a1f1f", "0xf08a24", "circular", "orbit", "0x101010@0.75"),
    Look("D", "0x1c1f26", "0x5b6b82", "spiral", "fill", "0x4fc3f7@0.85"),
]


def _mover(look: Look, width: int, height: int) -> tuple[str, str]:
    """(the moving element's colour source size, the overlay's x:y) — one full cycle per second, so repeating
    the one-second GOP loops without a jump."""
    short = min(width, height)
    if look.mover == "sweep":  # a vertical bar crossing left to right
        return f"{short // 24}x{height}", "x='(W-w)*t':y=0"
    if look.mover == "fall":  # a horizontal bar falling top to bottom
        return f"{width}x{short // 24}", "x=0:y='(H-h)*t'"
    if look.mover == "orbit":  # a square going round the centre
        side = short // 8
        return (
            f"{side}x{side}",
            f"x='W/2+{short * 0.36:.0f}*cos(2*PI*t)-w/2':y='H/2+{short * 0.36:.0f}*sin(2*PI*t)-h/2'",
        )
    # fill: a progress bar growing along the bottom (a block pushed in from the left)
    return f"{width}x{short // 30}", "x='-w+w*(t+1/30)':y=H-h"


def _text(text: str, size: float, y: float, alpha: float = 1.0) -> str:
    escaped = text.replace("\\", "\\\\").replace("'", "\\'").replace(":", "\\:")
    return (
        f"drawtext=fontfile={FONT}:text='{escaped}':fontsize=h*{size}:fontcolor=white@{alpha}"
        f":shadowcolor=black@0.5:shadowx=2:shadowy=2:x=(w-tw)/2:y=h*{y}"
    )


def encode_gop(width: int, height: int, fps: int, look: Look) -> bytes:
    """One second as an Annex B H.264 stream: IDR first, P frames only, SPS/PPS once."""
    mover_size, mover_at = _mover(look, width, height)
    # Text scaled by the short side so a portrait frame holds it too; big enough to read at quarter size.
    scale = min(width, height) / height
    lines = [
        _text(look.letter, 0.40 * scale, 0.12),
        _text(f"DEMO · look {look.letter}", 0.075 * scale, 0.58),
        _text(f"{width}×{height} · {fps} fps", 0.060 * scale, 0.58 + 0.11 * scale),
        _text("Sora 2 Desktop stand-in, not a Sora 2 video", 0.032 * scale, 0.58 + 0.22 * scale, 0.85),
    ]
    graph = (
        f"gradients=s={width}x{height}:r={fps}:c0={look.c0}:c1={look.c1}:type={look.gradient}"
        f":x0=0:y0=0:x1={width}:y1={height}:speed=0.00001:d=1[bg];"
        f"color=c={look.ink}:s={mover_size}:r={fps},format=yuva420p[mv];"
        f"[bg][mv]overlay={mover_at}:eval=frame:shortest=1,{','.join(lines)},format=yuv420p[v]"
    )
    x264 = f"keyint={fps}:min-keyint={fps}:scenecut=0:bframes=0:open-gop=0"
    command = [
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-filter_complex", graph, "-map", "[v]",
        "-frames:v", str(fps), "-c:v", "libx264", "-profile:v", "main", "-preset", "veryslow", "-crf", "28",
        "-threads", "1", "-x264-params", x264, "-bitexact", "-f", "h264", "-",
    ]  # fmt: skip
    return subprocess.run(command, check=True, capture_output=True).stdout


def nal_units(stream: bytes) -> list[bytes]:
    """The NAL units of an Annex B stream (start codes 00 00 01 or 00 00 00 01 removed)."""
    units, start = [], stream.find(b"\0\0\1")
    while start >= 0:
        begin = start + 3
        nxt = stream.find(b"\0\0\1", begin)
        end = len(stream) if nxt < 0 else nxt
        units.append(stream[begin:end].rstrip(b"\0") if nxt >= 0 else stream[begin:end])
        start = nxt
    return units


def split_gop(stream: bytes, fps: int) -> tuple[bytes, bytes, list[bytes]]:
    """(SPS, PPS, samples): each sample one coded frame in MP4 form (4-byte length + NAL)."""
    sps = pps = b""
    samples: list[bytes] = []
    for unit in nal_units(stream):
        kind = unit[0] & 0x1F
        if kind == 7:
            sps = unit
        elif kind == 8:
            pps = unit
        elif kind in (1, 5):  # one slice per frame (x264's default): a slice is a frame
            if kind == 5 and samples:
                raise SystemExit("x264 made a second IDR inside the GOP")
            samples.append(len(unit).to_bytes(4, "big") + unit)
        # SEI (x264's settings banner) and anything else is left out: a decoder needs none of it.
    if not (sps and pps) or len(samples) != fps or samples[0][4] & 0x1F != 5:
        raise SystemExit(f"unexpected GOP: {len(samples)} frames, sps={bool(sps)} pps={bool(pps)}")
    return sps, pps, samples


def silent_aac() -> tuple[bytes, bytes]:
    """(AudioSpecificConfig, one raw AAC-LC frame of silence) at AUDIO_RATE, AUDIO_CHANNELS."""
    command = [
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi",
        "-i", f"anullsrc=channel_layout=mono:sample_rate={AUDIO_RATE}", "-t", "1",
        "-c:a", "aac", "-b:a", "24k", "-ac", str(AUDIO_CHANNELS), "-bitexact", "-f", "adts", "-",
    ]  # fmt: skip
    adts = subprocess.run(command, check=True, capture_output=True).stdout
    frames = []
    pos = 0
    while pos + 7 <= len(adts):
        header = adts[pos : pos + 7]
        length = ((header[3] & 0x03) << 11) | (header[4] << 3) | (header[5] >> 5)
        has_crc = not header[1] & 0x01
        frames.append((header, adts[pos + (9 if has_crc else 7) : pos + length]))
        pos += length
    header, frame = frames[len(frames) // 2]  # from the middle: past the encoder's start-up frames
    profile, rate_index, channels = (
        (header[2] >> 6) + 1,
        (header[2] >> 2) & 0x0F,
        ((header[2] & 1) << 2) | (header[3] >> 6),
    )
    config = ((profile << 11) | (rate_index << 7) | (channels << 3)).to_bytes(2, "big")
    return config, frame


def main() -> None:
    if not FONT.is_file():
        raise SystemExit(f"missing font {FONT} (apt-get install fonts-dejavu-core)")
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*.avcc"):
        old.unlink()
    gops = []
    for width, height, fps in FORMATS:
        for look in LOOKS:
            sps, pps, samples = split_gop(encode_gop(width, height, fps, look), fps)
            name = f"{width}x{height}-{fps}-{look.letter}.avcc"
            (OUT / name).write_bytes(b"".join(samples))
            gops.append({
                "width": width, "height": height, "fps": fps, "look": look.letter, "file": name,
                "sps": sps.hex(), "pps": pps.hex(), "samples": [len(s) for s in samples],
            })  # fmt: skip
            print(f"{name}: {sum(len(s) for s in samples)} bytes", file=sys.stderr)
    config, frame = silent_aac()
    index = {
        "made_by": "resources/make_demo_media.py",
        "audio": {"rate": AUDIO_RATE, "channels": AUDIO_CHANNELS, "config": config.hex(), "frame": frame.hex()},
        "gops": gops,
    }
    (OUT / "index.json").write_text(json.dumps(index, indent=1) + "\n", encoding="utf-8")
    total = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"{OUT}: {len(gops)} GOPs, {total} bytes in all", file=sys.stderr)


if __name__ == "__main__":
    main()

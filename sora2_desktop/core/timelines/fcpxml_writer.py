"""FCPXML 1.8 (Final Cut Pro 10.4.1+, DaVinci Resolve 16+) of a timeline plan: a thin writer of our own.

Not OpenTimelineIO's fcpx_xml adapter (1.0), because correcting its output would mean rewriting nearly all of it:
it runs `ffprobe` in a subprocess to name formats (absent from the app's bundle, and blocking), keys formats by
frame rate alone (a portrait take gets the landscape 1280×720 format), has no frame duration for 30000/1001
(it looks rates up by `int(rate)`), marks every asset `hasAudio="0"`, makes times from floats, and puts
`asset-clip`s outside any event. Its reader still opens what this writes (the tests check it does).

Version 1.8, the oldest that both Final Cut Pro and Resolve import, keeps `src` on `<asset>` (1.9 moved it into
`<media-rep>`); tests validate against Apple's DTD for it. Times are rational seconds on a frame grid: the
sequence's for where a clip sits (`offset`, `duration`), the take's own for where in the file it starts (`start`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from fractions import Fraction

from sora2_desktop.core.timelines.timeline_plan import ClipPlacement, TimelinePlan

FCPXML_VERSION = "1.8"
# Apple's names for the standard landscape formats; any other size (a portrait take) gets no name, only its
# width and height, since a name such as FFVideoFormat720p30 tells Final Cut the picture is 1280×720.
_FORMAT_NAMES = {(1280, 720): "720p", (1920, 1080): "1080p"}
# Rates that `conform-rate` may name (the DTD's list) as Final Cut writes them.
_CONFORM_RATES = {
    Fraction(24000, 1001): "23.98",
    Fraction(24): "24",
    Fraction(25): "25",
    Fraction(30000, 1001): "29.97",
    Fraction(30): "30",
    Fraction(48000, 1001): "47.95",
    Fraction(48): "48",
    Fraction(50): "50",
    Fraction(60000, 1001): "59.94",
    Fraction(60): "60",
}


def frame_duration(rate: Fraction) -> tuple[int, int]:
    """Seconds per frame as (numerator, denominator) the way Final Cut writes them: 100/2400 for 24 fps,
    1001/30000 for 29.97."""
    if rate.denominator == 1:
        return 100, 100 * rate.numerator
    return rate.denominator, rate.numerator


def time_text(frames: int, rate: Fraction) -> str:
    """`frames` frames at `rate` as an FCPXML time: "0s", "4800/2400s", "30030/30000s"."""
    if frames == 0:
        return "0s"
    numerator, denominator = frame_duration(rate)
    return f"{frames * numerator}/{denominator}s"


def fcpxml_text(plan: TimelinePlan) -> str:
    root = ET.Element("fcpxml", version=FCPXML_VERSION)
    resources = ET.SubElement(root, "resources")
    formats = _add_formats(plan, resources)
    assets = _add_assets(plan, resources, formats, first_id=len(formats) + 1)

    seq = plan.sequence
    event = ET.SubElement(root, "event", name=plan.title)
    project = ET.SubElement(event, "project", name=plan.title)
    sequence = ET.SubElement(
        project,
        "sequence",
        format=formats[(seq.width, seq.height, seq.frame_rate)],
        duration=time_text(plan.duration_frames, seq.frame_rate),
        tcStart="0s",
        tcFormat="NDF",
        audioLayout="stereo",
        audioRate="48k",
    )
    spine = ET.SubElement(sequence, "spine")
    for placement in plan.placements:
        media = placement.clip.media
        clip_format = formats[(media.width, media.height, media.frame_rate)]
        _add_clip(spine, placement, seq.frame_rate, assets[placement.clip.path.as_uri()], clip_format)
    ET.indent(root, space="    ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE fcpxml>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _add_formats(plan: TimelinePlan, resources: ET.Element) -> dict[tuple[int, int, Fraction], str]:
    """One `<format>` per distinct size × rate, the sequence's first; returns their ids."""
    seq = plan.sequence
    keys = [(seq.width, seq.height, seq.frame_rate)]
    keys += [(p.clip.media.width, p.clip.media.height, p.clip.media.frame_rate) for p in plan.placements]
    ids: dict[tuple[int, int, Fraction], str] = {}
    for width, height, rate in keys:
        if (width, height, rate) in ids:
            continue
        format_id = f"r{len(ids) + 1}"
        ids[(width, height, rate)] = format_id
        numerator, denominator = frame_duration(rate)
        element = ET.SubElement(resources, "format", id=format_id)
        name = _format_name(width, height, rate)
        if name:
            element.set("name", name)
        element.set("frameDuration", f"{numerator}/{denominator}s")
        element.set("width", str(width))
        element.set("height", str(height))
    return ids


def _format_name(width: int, height: int, rate: Fraction) -> str | None:
    size = _FORMAT_NAMES.get((width, height))
    rate_word = _CONFORM_RATES.get(rate)
    if size is None or rate_word is None:
        return None
    return f"FFVideoFormat{size}{rate_word.replace('.', '')}"


def _add_assets(
    plan: TimelinePlan, resources: ET.Element, formats: dict[tuple[int, int, Fraction], str], first_id: int
) -> dict[str, str]:
    """One `<asset>` per file with its whole length and its sound; returns their ids by file URL."""
    ids: dict[str, str] = {}
    for placement in plan.placements:
        clip, media = placement.clip, placement.clip.media
        url = clip.path.as_uri()
        if url in ids:
            continue
        asset_id = f"r{first_id + len(ids)}"
        ids[url] = asset_id
        asset = ET.SubElement(resources, "asset", id=asset_id, name=clip.name, src=url, start="0s")
        asset.set("duration", time_text(media.frame_count, media.frame_rate))
        asset.set("hasVideo", "1")
        asset.set("format", formats[(media.width, media.height, media.frame_rate)])
        if media.has_audio:
            asset.set("hasAudio", "1")
            asset.set("audioSources", "1")
            asset.set("audioChannels", str(media.audio_channels or 2))
            asset.set("audioRate", str(media.audio_rate or 48000))
        metadata = ET.SubElement(asset, "metadata")
        for key, value in (
            ("com.apple.proapps.studio.reel", placement.reel),
            ("com.apple.proapps.studio.scene", clip.shot_code),
            ("com.apple.proapps.studio.shot", f"T{clip.take_number:02d}"),
        ):
            ET.SubElement(metadata, "md", key=key, value=value)
    return ids


def _add_clip(spine: ET.Element, placement: ClipPlacement, seq_rate: Fraction, asset_id: str, format_id: str) -> None:
    media = placement.clip.media
    clip = ET.SubElement(spine, "asset-clip", ref=asset_id, name=placement.clip.name)
    clip.set("offset", time_text(placement.record_in, seq_rate))
    clip.set("start", time_text(placement.source_in, media.frame_rate))
    clip.set("duration", time_text(placement.record_frames, seq_rate))
    clip.set("format", format_id)  # the take's own size and rate, as Final Cut writes it for any clip
    clip.set("tcFormat", "NDF")
    if placement.converted:
        # Played at its own speed (scaleEnabled 0), not sped up or slowed to the sequence's rate.
        conform = ET.SubElement(clip, "conform-rate", scaleEnabled="0")
        rate_word = _CONFORM_RATES.get(media.frame_rate)
        if rate_word:
            conform.set("srcFrameRate", rate_word)

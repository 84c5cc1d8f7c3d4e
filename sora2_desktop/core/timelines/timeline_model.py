"""The timeline as an OpenTimelineIO model: the plan's takes, trimmed, in order, each at its own rate and size.

OpenTimelineIO is imported inside the functions: the app never pays for it at start-up, only when an export runs.
OTIO keeps rates as floats; the exact rate, size and sound of each take travel in the clip's metadata (under
`METADATA_KEY`) so a writer never has to guess 30000/1001 back from 29.97002997.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

from sora2_desktop.core.timelines.timeline_plan import ClipPlacement, TimelinePlan

if TYPE_CHECKING:
    import opentimelineio as otio

METADATA_KEY = "sora2_desktop"


def build_timeline(plan: TimelinePlan) -> otio.schema.Timeline:
    """A video track (V1) of every take and an audio track (A1) of their sound (a gap where a take has none).

    Each clip's source range starts at its in mark at the take's own rate and lasts exactly the time it holds on
    the sequence (its record frames at the sequence rate); its media reference is the exported file's URL with
    the file's whole length as the available range."""
    import opentimelineio as otio

    seq_rate = float(plan.sequence.frame_rate)
    timeline = otio.schema.Timeline(name=plan.title, global_start_time=otio.opentime.RationalTime(0, seq_rate))
    video = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    audio = otio.schema.Track(name="A1", kind=otio.schema.TrackKind.Audio)
    for placement in plan.placements:
        video.append(_clip(placement, plan.sequence.frame_rate))
        if placement.clip.media.has_audio:
            audio.append(_clip(placement, plan.sequence.frame_rate))
        else:
            length = otio.opentime.RationalTime(placement.record_frames, seq_rate)
            audio.append(otio.schema.Gap(source_range=otio.opentime.TimeRange(duration=length)))
    timeline.tracks.append(video)
    if any(p.clip.media.has_audio for p in plan.placements):
        timeline.tracks.append(audio)
    return timeline


def _clip(placement: ClipPlacement, seq_rate: Fraction) -> otio.schema.Clip:
    import opentimelineio as otio

    clip, media = placement.clip, placement.clip.media
    rate = float(media.frame_rate)
    length_in_own_frames = Fraction(placement.record_frames) * media.frame_rate / seq_rate
    reference = otio.schema.ExternalReference(
        target_url=clip.path.as_uri(),
        available_range=otio.opentime.TimeRange(
            otio.opentime.RationalTime(0, rate), otio.opentime.RationalTime(media.frame_count, rate)
        ),
    )
    reference.name = clip.path.name
    return otio.schema.Clip(
        name=clip.name,
        media_reference=reference,
        source_range=otio.opentime.TimeRange(
            otio.opentime.RationalTime(placement.source_in, rate),
            otio.opentime.RationalTime(float(length_in_own_frames), rate),
        ),
        metadata={METADATA_KEY: clip_metadata(placement)},
    )


def clip_metadata(placement: ClipPlacement) -> dict[str, Any]:
    """What a writer needs exactly and OTIO would round: the take's identity, exact rate, size, sound, placing."""
    clip, media = placement.clip, placement.clip.media
    return {
        "shot_code": clip.shot_code,
        "take_number": clip.take_number,
        "reel": placement.reel,
        "width": media.width,
        "height": media.height,
        "frame_rate": str(media.frame_rate),
        "frame_count": media.frame_count,
        "has_audio": media.has_audio,
        "audio_rate": media.audio_rate,
        "audio_channels": media.audio_channels,
        "source_in": placement.source_in,
        "source_frames": placement.source_frames,
        "record_in": placement.record_in,
        "record_frames": placement.record_frames,
    }

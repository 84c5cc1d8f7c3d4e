"""CMX 3600 EDL of a timeline: OpenTimelineIO's cmx_3600 adapter on a copy conformed to one rate, then corrected.

An EDL counts every timecode at one rate, so the adapter is given a copy of the timeline in which each take's
source in/out is already converted to the sequence rate (the plan's frames), counted at the nominal rate (30 for
29.97) so the timecodes are non-drop-frame; each clip carries its reel name (unique per file, "SH010T03") and its
file name as clip name. Left alone the adapter derives one reel from the file or timeline name for every clip
(relinking cannot tell three takes apart), counts source frames of a 30 fps take as if they were 24 fps ones, and
writes 29.97 as drop-frame. After it writes, two corrections: the `FCM: NON-DROP FRAME` line it never writes,
and the channel of takes with sound (`AA/V` stereo, `B` mono: picture and sound) where it writes `V` for all.
"""

from __future__ import annotations

import re

from sora2_desktop.core.timelines.timeline_plan import ClipPlacement, TimelinePlan

FCM_LINE = "FCM: NON-DROP FRAME"
# An event line as the adapter writes it: number, reel (8 wide), channel (5 wide), transition, four timecodes.
_EVENT = re.compile(r"^(?P<number>\d{3})  (?P<reel>.{8}) (?P<channel>.{5}) (?P<rest>C .*)$")


def edl_rate(plan: TimelinePlan) -> int:
    """Frames per timecode second of the EDL: the sequence's nominal rate (30 for 29.97)."""
    return max(1, round(plan.sequence.frame_rate))


def edl_text(plan: TimelinePlan) -> str:
    import opentimelineio as otio

    rate = edl_rate(plan)
    timeline = otio.schema.Timeline(name=plan.title)
    track = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    for placement in plan.placements:
        track.append(_conformed_clip(placement, rate))
    timeline.tracks.append(track)
    written = otio.adapters.write_to_string(timeline, "cmx_3600", rate=rate, style="avid")
    return _correct(plan, written)


def _conformed_clip(placement: ClipPlacement, rate: int) -> object:
    import opentimelineio as otio

    clip = placement.clip
    reference = otio.schema.ExternalReference(target_url=clip.path.as_uri())
    return otio.schema.Clip(
        name=clip.path.name,
        media_reference=reference,
        source_range=otio.opentime.TimeRange(
            otio.opentime.RationalTime(placement.source_in_at_sequence_rate, rate),
            otio.opentime.RationalTime(placement.record_frames, rate),
        ),
        metadata={"cmx_3600": {"reel": placement.reel}},
    )


def _correct(plan: TimelinePlan, written: str) -> str:
    lines = written.splitlines()
    if not lines or not lines[0].startswith("TITLE:"):
        raise ValueError("the EDL adapter wrote no TITLE line")
    out = [lines[0], FCM_LINE]
    events = iter(plan.placements)
    for line in lines[1:]:
        match = _EVENT.match(line)
        if match is None:
            out.append(line)
            continue
        placement = next(events)
        out.append(f"{match['number']}  {match['reel']} {channel(placement):5} {match['rest']}")
    return "\n".join(out).rstrip("\n") + "\n"


def channel(placement: ClipPlacement) -> str:
    """The EDL channel of a take: picture alone, or picture with its sound (one or two audio channels)."""
    media = placement.clip.media
    if not media.has_audio:
        return "V"
    return "B" if media.audio_channels == 1 else "AA/V"

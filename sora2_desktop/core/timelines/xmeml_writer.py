"""FCP 7 XML (xmeml, what Premiere imports) of a timeline: OpenTimelineIO's fcp_xml adapter, told more and corrected.

The adapter (otio-fcp-adapter 1.0) writes the structure, the rates and the clip timings well. What it gets
wrong or leaves out is put right, after it writes unless said otherwise:
- the sequence `<duration>` comes out at the highest clip rate, not the sequence timebase: set from the plan;
- every clipitem gets its `<rate>` twice: one is kept;
- an audio clip equal to its video clip becomes a bare reference to the *video* clipitem: before it writes, each
  audio clip is given a `sourcetrack` (through the adapter's `fcp_xml` metadata) so it gets a clipitem of its
  own, and ids the `<link>`s added after can name, so picture and sound move together as in Premiere;
- every file claims a sound track, and no frame size is written anywhere (Premiere would guess the sequence's):
  each file's `<media>` and the sequence's `<format>` get their samplecharacteristics from the probed files.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from sora2_desktop.core.timelines.timeline_model import METADATA_KEY
from sora2_desktop.core.timelines.timeline_plan import ClipPlacement, TimelinePlan

if TYPE_CHECKING:
    import opentimelineio as otio

_NS = "fcp_xml"  # the adapter's metadata namespace


def xmeml_text(plan: TimelinePlan, timeline: otio.schema.Timeline) -> str:
    """The FCP 7 XML document of `timeline` (built from `plan`), ready to write as UTF-8."""
    import opentimelineio as otio

    model = copy.deepcopy(timeline)
    _describe_for_adapter(plan, model)
    root = ET.fromstring(otio.adapters.write_to_string(model, "fcp_xml"))
    _correct(plan, root)
    _strip_whitespace(root)
    ET.indent(root, space="    ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE xmeml>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _describe_for_adapter(plan: TimelinePlan, timeline: otio.schema.Timeline) -> None:
    """Ids the links can name (video clipitem-1…N, audio clipitem-(N+1)…) and each audio clip's source track,
    in the `fcp_xml` metadata the adapter copies into the XML."""
    import opentimelineio as otio

    count = len(plan.placements)
    number_at = {p.record_in: n for n, p in enumerate(plan.placements, start=1)}  # record_in is unique
    for track in timeline.tracks:
        audio = track.kind == otio.schema.TrackKind.Audio
        for clip in track.find_clips():
            number = number_at[clip.metadata[METADATA_KEY]["record_in"]]
            clip.metadata[_NS] = {"@id": f"clipitem-{number + count if audio else number}"}
            if audio:
                clip.metadata[_NS]["sourcetrack"] = {"mediatype": "audio", "trackindex": 1}


def _correct(plan: TimelinePlan, root: ET.Element) -> None:
    sequence = root.find("./project/children/sequence")
    if sequence is None:
        raise ValueError("the FCP 7 XML adapter wrote no sequence")
    _set_text(sequence, "duration", str(plan.duration_frames))
    seq_format = sequence.find("./media/video/format")
    if seq_format is not None:
        seq_format.append(_video_characteristics(plan.sequence.width, plan.sequence.height))
    for clipitem in sequence.iter("clipitem"):
        for extra in clipitem.findall("rate")[1:]:
            clipitem.remove(extra)
    by_url = {p.clip.path.as_uri(): p for p in plan.placements}
    for file in sequence.iter("file"):
        placement = by_url.get(file.findtext("pathurl") or "")
        media = file.find("media")
        if placement is not None and media is not None:
            file.remove(media)
            file.append(_file_media(placement))
        timecode = file.find("timecode")
        if placement is not None and timecode is not None:  # the same reel name the EDL gives the file
            ET.SubElement(ET.SubElement(timecode, "reel"), "name").text = placement.reel
    _link_picture_and_sound(plan, sequence)


def _file_media(placement: ClipPlacement) -> ET.Element:
    media = placement.clip.media
    element = ET.Element("media")
    ET.SubElement(element, "video").append(_video_characteristics(media.width, media.height))
    if media.has_audio:
        audio = ET.SubElement(element, "audio")
        sound = ET.SubElement(audio, "samplecharacteristics")
        ET.SubElement(sound, "depth").text = "16"
        ET.SubElement(sound, "samplerate").text = str(media.audio_rate or 48000)
        ET.SubElement(audio, "channelcount").text = str(media.audio_channels or 2)
    return element


def _video_characteristics(width: int, height: int) -> ET.Element:
    element = ET.Element("samplecharacteristics")
    for tag, text in (
        ("width", str(width)),
        ("height", str(height)),
        ("anamorphic", "FALSE"),
        ("pixelaspectratio", "square"),
        ("fielddominance", "none"),
    ):
        ET.SubElement(element, tag).text = text
    return element


def _set_text(parent: ET.Element, tag: str, text: str) -> None:
    child = parent.find(tag)
    if child is None:
        child = ET.SubElement(parent, tag)
    child.text = text


def _link_picture_and_sound(plan: TimelinePlan, sequence: ET.Element) -> None:
    """Each take's video and audio clipitems name each other in `<link>`s, so they move and trim together."""
    count = len(plan.placements)
    items = {item.get("id"): item for item in sequence.iter("clipitem") if item.get("id")}
    for index, placement in enumerate(plan.placements):
        if not placement.clip.media.has_audio:
            continue
        video_id, audio_id = f"clipitem-{index + 1}", f"clipitem-{index + 1 + count}"
        video_item, audio_item = items.get(video_id), items.get(audio_id)
        if video_item is None or audio_item is None:
            continue
        clip_index = sum(1 for p in plan.placements[:index] if p.clip.media.has_audio) + 1
        for item in (video_item, audio_item):
            _add_link(item, video_id, "video", index + 1)
            _add_link(item, audio_id, "audio", clip_index)


def _add_link(item: ET.Element, clip_id: str, media_type: str, clip_index: int) -> None:
    link = ET.SubElement(item, "link")
    ET.SubElement(link, "linkclipref").text = clip_id
    ET.SubElement(link, "mediatype").text = media_type
    ET.SubElement(link, "trackindex").text = "1"
    ET.SubElement(link, "clipindex").text = str(clip_index)


def _strip_whitespace(element: ET.Element) -> None:
    """Drops the adapter's pretty-printing (minidom's) so the corrected tree is indented once, evenly."""
    for node in element.iter():
        if node.text is not None and not node.text.strip():
            node.text = None
        if node.tail is not None and not node.tail.strip():
            node.tail = None

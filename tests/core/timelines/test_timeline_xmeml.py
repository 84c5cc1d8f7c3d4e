"""FCP 7 XML (Premiere) read back with a strict reader of our own — timebases, clip timings, file URLs, sizes,
sound, links — and then with OpenTimelineIO's reader."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path
from urllib.parse import unquote, urlparse

import opentimelineio as otio

from sora2_desktop.core.media.probe import probe
from sora2_desktop.core.timelines.timeline import write_timelines
from tests.core.timelines.timeline_rig import EXPECTED_RECORD, EXPECTED_SOURCE, mixed_takes


def written(tmp_path: Path) -> tuple[Path, ET.Element]:
    result = write_timelines("Trailer selects", mixed_takes(tmp_path / "takes"), tmp_path, {"xml"})
    path = result.files["xml"]
    return path, ET.parse(path).getroot()


def rate_of(element: ET.Element) -> Fraction:
    """The one <rate> of an element as a frame rate (timebase 30 + NTSC = 30000/1001)."""
    rates = element.findall("rate")
    assert len(rates) == 1, f"{element.tag} has {len(rates)} <rate> elements"
    timebase, ntsc = int(rates[0].findtext("timebase")), rates[0].findtext("ntsc")
    assert ntsc in ("TRUE", "FALSE")
    return Fraction(timebase * 1000, 1001) if ntsc == "TRUE" else Fraction(timebase)


def files_by_id(root: ET.Element) -> dict[str, ET.Element]:
    return {f.get("id"): f for f in root.iter("file") if f.find("pathurl") is not None}


def test_sequence_duration_and_clip_start_end_are_in_the_sequence_timebase(tmp_path: Path) -> None:
    _, root = written(tmp_path)
    sequence = root.find("project/children/sequence")
    assert rate_of(sequence) == 24
    video = sequence.findall("media/video/track/clipitem")
    assert [(int(c.findtext("start")), int(c.findtext("end"))) for c in video] == EXPECTED_RECORD
    ends = [int(c.findtext("end")) for c in video]
    starts = [int(c.findtext("start")) for c in video]
    assert starts[1:] == ends[:-1], "clips must follow each other with no gap"
    assert int(sequence.findtext("duration")) == ends[-1] == 133


def test_in_and_out_are_in_each_clips_own_rate(tmp_path: Path) -> None:
    _, root = written(tmp_path)
    files = files_by_id(root)
    video = root.findall("project/children/sequence/media/video/track/clipitem")
    for clipitem, (record_in, record_out), (source_in, source_end) in zip(
        video, EXPECTED_RECORD, EXPECTED_SOURCE, strict=True
    ):
        own = rate_of(clipitem)
        file = files[clipitem.find("file").get("id")]
        info = probe(Path(unquote(urlparse(file.findtext("pathurl")).path)))
        assert own == info.frame_rate and rate_of(file) == info.frame_rate
        start_in, out = int(clipitem.findtext("in")), int(clipitem.findtext("out"))
        assert start_in == source_in
        # out − in is the clip's length on the sequence, counted at its own rate (to the nearest frame)…
        held = Fraction(record_out - record_in, 24) * own
        assert abs((out - start_in) - held) <= Fraction(1, 2)
        # …and never passes the marked frames or the file.
        assert out <= source_end <= int(file.findtext("duration")) == info.frame_count


def test_pathurls_are_percent_encoded_file_urls_that_exist(tmp_path: Path) -> None:
    _, root = written(tmp_path)
    urls = [f.findtext("pathurl") for f in files_by_id(root).values()]
    assert len(urls) == 4
    for url in urls:
        assert url.startswith("file:///") and url.isascii() and " " not in url, url
        assert Path(unquote(urlparse(url).path)).exists()
    assert any(url.endswith("Trailer%20SH010%20T03%20caf%C3%A9.mp4") for url in urls)


def test_files_and_sequence_say_their_size_and_sound(tmp_path: Path) -> None:
    _, root = written(tmp_path)
    sequence = root.find("project/children/sequence")
    seq_size = sequence.find("media/video/format/samplecharacteristics")
    assert (seq_size.findtext("width"), seq_size.findtext("height")) == ("1280", "720")
    for file in files_by_id(root).values():
        info = probe(Path(unquote(urlparse(file.findtext("pathurl")).path)))
        size = file.find("media/video/samplecharacteristics")
        assert (int(size.findtext("width")), int(size.findtext("height"))) == (info.width, info.height)
        audio = file.find("media/audio")
        if info.has_audio:
            assert int(audio.findtext("samplecharacteristics/samplerate")) == info.audio_rate
            assert int(audio.findtext("channelcount")) == info.audio_channels
        else:
            assert audio is None, "a silent file must not claim a sound track"
        assert file.findtext("timecode/reel/name")


def test_sound_has_its_own_clipitems_linked_to_the_picture(tmp_path: Path) -> None:
    _, root = written(tmp_path)
    sequence = root.find("project/children/sequence")
    video = sequence.findall("media/video/track/clipitem")
    audio = sequence.findall("media/audio/track/clipitem")
    assert len(audio) == 3  # the silent 29.97 take has none
    ids = {c.get("id") for c in video} | {c.get("id") for c in audio}
    assert len(ids) == len(video) + len(audio), "an audio clipitem must not reuse a video clipitem's id"
    for clipitem in audio:
        assert clipitem.findtext("sourcetrack/mediatype") == "audio"
        assert clipitem.find("file").get("id") in files_by_id(root)
        linked = {link.findtext("linkclipref") for link in clipitem.findall("link")}
        partner = next(v for v in video if v.get("id") in linked)
        assert (partner.findtext("start"), partner.findtext("end")) == (
            clipitem.findtext("start"),
            clipitem.findtext("end"),
        )
        assert clipitem.get("id") in {link.findtext("linkclipref") for link in partner.findall("link")}


def test_opentimelineio_reads_back_the_clips_in_order(tmp_path: Path) -> None:
    path, _ = written(tmp_path)
    timeline = otio.adapters.read_from_file(str(path), adapter_name="fcp_xml")
    video = [c for c in timeline.find_clips() if c.parent().kind == otio.schema.TrackKind.Video]
    assert [c.name for c in video] == [
        "Trailer SH010 T03 café",
        "Trailer_SH020_T01_9x16",
        "Trailer_SH030_T02_16x9",
        "Trailer_SH040_T01_16x9",
    ]
    assert unquote(video[0].media_reference.target_url).endswith("/takes/Trailer SH010 T03 café.mp4")
    for clip, (record_in, record_out) in zip(video, EXPECTED_RECORD, strict=True):
        range_in_timeline = clip.range_in_parent()
        assert round(range_in_timeline.start_time.to_seconds() * 24) == record_in
        assert round(range_in_timeline.duration.to_seconds() * 24) == record_out - record_in

"""FCPXML read back as Final Cut and Resolve read it: Apple's DTD, then each rule of docs/INTERCHANGE on the file
itself (formats, assets, rational times on the frame grid, a contiguous spine), then OpenTimelineIO's reader."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from urllib.parse import unquote, urlparse

import opentimelineio as otio
from lxml import etree

from sora2_desktop.core.media.probe import probe
from sora2_desktop.core.timelines.timeline import write_timelines
from tests.core.timelines.timeline_rig import EXPECTED_RECORD, EXPECTED_SOURCE, fcpxml_time, mixed_takes

DTD = Path(__file__).resolve().parents[2] / "data" / "fcpxml" / "FCPXMLv1_8.dtd"


def written(tmp_path: Path) -> tuple[Path, etree._ElementTree]:
    clips = mixed_takes(tmp_path / "takes")
    result = write_timelines("Trailer selects", clips, tmp_path, {"fcpxml"})
    path = result.files["fcpxml"]
    return path, etree.parse(str(path))


def test_the_file_is_valid_against_apples_dtd_for_its_version(tmp_path: Path) -> None:
    _, doc = written(tmp_path)
    assert doc.getroot().get("version") == "1.8"
    dtd = etree.DTD(str(DTD))
    assert dtd.validate(doc), dtd.error_log.filter_from_errors()


def test_one_format_per_size_and_rate_with_no_name_that_lies(tmp_path: Path) -> None:
    _, doc = written(tmp_path)
    formats = {f.get("id"): f for f in doc.iterfind("resources/format")}
    shapes = [
        (int(f.get("width")), int(f.get("height")), fcpxml_time(f.get("frameDuration"))) for f in formats.values()
    ]
    assert sorted(shapes) == sorted(
        [(1280, 720, Fraction(1, 24)), (720, 1280, Fraction(1, 30)), (1280, 720, Fraction(1001, 30000))]
    )
    assert len(set(shapes)) == len(shapes)
    for element in formats.values():
        name = element.get("name")
        size = (int(element.get("width")), int(element.get("height")))
        if name is not None:  # a standard name must describe this very size (an unknown name fails too)
            assert _NAMED_SIZES[_size_word(name)] == size, name
        if size == (720, 1280):
            assert name is None
    sequence = doc.find("event/project/sequence")
    seq_format = formats[sequence.get("format")]
    assert (seq_format.get("width"), seq_format.get("height"), seq_format.get("frameDuration")) == (
        "1280",
        "720",
        "100/2400s",
    )


_NAMED_SIZES = {"720p": (1280, 720), "1080p": (1920, 1080)}


def _size_word(name: str) -> str:
    body = name.removeprefix("FFVideoFormat")
    return body[: body.index("p") + 1]


def test_assets_have_the_files_length_sound_and_a_percent_encoded_url_that_exists(tmp_path: Path) -> None:
    _, doc = written(tmp_path)
    formats = {f.get("id"): f for f in doc.iterfind("resources/format")}
    assets = list(doc.iterfind("resources/asset"))
    assert len(assets) == 4
    for asset in assets:
        url = asset.get("src")
        assert url.startswith("file:///") and " " not in url and url.isascii(), url
        path = Path(unquote(urlparse(url).path))
        assert path.exists(), path
        info = probe(path)
        frame = fcpxml_time(formats[asset.get("format")].get("frameDuration"))
        assert frame == 1 / info.frame_rate
        assert fcpxml_time(asset.get("duration")) == info.duration
        assert fcpxml_time(asset.get("start")) == 0
        if info.has_audio:
            assert (asset.get("hasAudio"), asset.get("audioChannels"), asset.get("audioRate")) == (
                "1",
                str(info.audio_channels),
                str(info.audio_rate),
            )
        else:
            assert asset.get("hasAudio") in (None, "0")
    names = [unquote(a.get("src")).rsplit("/", 1)[1] for a in assets]
    assert "Trailer SH010 T03 café.mp4" in names


def test_times_are_rational_on_the_frame_grid_and_the_spine_is_contiguous(tmp_path: Path) -> None:
    _, doc = written(tmp_path)
    formats = {f.get("id"): fcpxml_time(f.get("frameDuration")) for f in doc.iterfind("resources/format")}
    assets = {a.get("id"): a for a in doc.iterfind("resources/asset")}
    sequence = doc.find("event/project/sequence")
    seq_frame = formats[sequence.get("format")]
    clips = list(sequence.find("spine"))
    assert [c.tag for c in clips] == ["asset-clip"] * 4
    position = Fraction(0)
    for clip, (record_in, record_out), (source_in, source_end) in zip(
        clips, EXPECTED_RECORD, EXPECTED_SOURCE, strict=True
    ):
        asset = assets[clip.get("ref")]
        asset_frame = formats[asset.get("format")]
        offset, duration, start = (fcpxml_time(clip.get(k)) for k in ("offset", "duration", "start"))
        assert offset == position, "a gap or an overlap in the spine"
        assert (offset / seq_frame, duration / seq_frame) == (record_in, record_out - record_in)
        assert (offset / seq_frame).denominator == 1 and (duration / seq_frame).denominator == 1
        assert start / asset_frame == source_in  # on the take's own frame grid
        assert start + duration <= Fraction(source_end) * asset_frame <= fcpxml_time(asset.get("duration"))
        position = offset + duration
    assert fcpxml_time(sequence.get("duration")) == position == Fraction(133, 24)


def test_takes_at_another_rate_play_at_their_own_speed(tmp_path: Path) -> None:
    _, doc = written(tmp_path)
    conforms = [c.find("conform-rate") for c in doc.iterfind("event/project/sequence/spine/asset-clip")]
    assert conforms[0] is None and conforms[3] is None
    assert [(c.get("scaleEnabled"), c.get("srcFrameRate")) for c in conforms[1:3]] == [("0", "30"), ("0", "29.97")]


def test_opentimelineio_reads_back_the_clips_in_order(tmp_path: Path) -> None:
    path, _ = written(tmp_path)
    read = otio.adapters.read_from_file(str(path), adapter_name="fcpx_xml")
    timelines = list(read.find_children(descended_from_type=otio.schema.Timeline))
    assert len(timelines) == 1
    clips = list(timelines[0].find_clips())
    assert [c.name for c in clips] == [
        "Trailer SH010 T03 café",
        "Trailer_SH020_T01_9x16",
        "Trailer_SH030_T02_16x9",
        "Trailer_SH040_T01_16x9",
    ]
    assert [unquote(c.media_reference.target_url).rsplit("/", 1)[1] for c in clips] == [
        "Trailer SH010 T03 café.mp4",
        "Trailer_SH020_T01_9x16.mp4",
        "Trailer_SH030_T02_16x9.mp4",
        "Trailer_SH040_T01_16x9.mp4",
    ]
    # The adapter's reader counts whole frames at int(rate) (29 for 29.97): seconds agree within a frame.
    for clip, (record_in, record_out) in zip(clips, EXPECTED_RECORD, strict=True):
        seconds = clip.source_range.duration.to_seconds()
        assert abs(seconds - (record_out - record_in) / 24) < 1 / 24

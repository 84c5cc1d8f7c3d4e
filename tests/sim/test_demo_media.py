"""The stand-in's videos match the request — size, frame rate, length, sound — and differ from take to take."""

from __future__ import annotations

import struct
from collections.abc import Callable, Coroutine
from fractions import Fraction
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtGui import QImage

from sora2_desktop.core.media.frame_grab import grab_frame
from sora2_desktop.core.media.mp4_boxes import Box, child_boxes, require_child
from sora2_desktop.core.media.probe import probe
from sora2_desktop.resources import resource_path
from sora2_desktop.sim.contract import CONTRACTS, models_for
from sora2_desktop.sim.media.clips import ClipSpec, DemoClips, picture_size
from tests.helpers.sim import ManualSim
from tests.helpers.sim_protocol import result_url, status

Run = Callable[[Coroutine[Any, Any, Any]], Any]
DEMO_MEDIA = resource_path("demo_media")
IMAGE = "https://images.example.com/start.png"  # a public host: the stand-in assumes it can fetch it
MEDIA_BUDGET = 2_500_000  # resources/demo_media; with demo_clip.mp4 the shipped demo media stay under 3 MB
LOOKS_PER_FORMAT = 4  # a batch has at most four takes (ui/compose/delivery_rows.MAX_TAKES)


def order(
    api: httpx.Client, sim: ManualSim, model: str, duration: int, mode: str = "text-to-video", **frame: str
) -> str:
    """Submit, finish and return the task id."""
    fields: dict[str, Any] = {"mode": mode, "prompt": "a slow dolly in", "duration": duration, **frame}
    if mode == "image-to-video":
        fields["image_urls"] = [IMAGE]
    answer = api.post(f"/api/v1/generateTask/{model}", json={"input": fields})
    assert answer.status_code == 200, answer.text
    task_id = str(answer.json()["data"]["taskId"])
    sim.finish_all()
    return task_id


def downloaded(api: httpx.Client, web: httpx.Client, tmp_path: Path, task_id: str, model: str = "sora-2") -> Path:
    answer = api.get(f"/api/v1/statusTask/{model}", params={"taskId": task_id})
    video = web.get(result_url(answer.json()["data"]))
    assert video.status_code == 200 and video.headers["content-type"] == "video/mp4"
    path = tmp_path / f"{task_id}.mp4"
    path.write_bytes(video.content)
    return path


def sound_seconds(path: Path) -> Fraction:
    """The audio track's length from its mdhd (the probe reports the video's)."""
    data = path.read_bytes()
    moov_at = data.index(b"moov") - 4
    moov = Box("moov", moov_at, 8, int.from_bytes(data[moov_at : moov_at + 4], "big"))
    for trak in (b for b in child_boxes(data, moov) if b.type == "trak"):
        hdlr = require_child(data, trak, "mdia/hdlr")
        if data[hdlr.body + 8 : hdlr.body + 12] == b"soun":
            mdhd = require_child(data, trak, "mdia/mdhd")
            timescale, duration = struct.unpack_from(">II", data, mdhd.body + 12)
            return Fraction(duration, timescale)
    raise AssertionError("no sound track")


@pytest.mark.parametrize(
    ("model", "mode", "frame", "duration", "size", "fps"),
    [
        ("sora-2", "text-to-video", {"aspect_ratio": "landscape"}, 10, (1280, 720), 30),
        ("sora-2", "text-to-video", {"aspect_ratio": "portrait"}, 15, (720, 1280), 30),
        ("sora-2", "image-to-video", {"aspect_ratio": "portrait"}, 10, (720, 1280), 30),
        ("sora-2", "text-to-video", {}, 10, (1280, 720), 30),  # the default frame
        ("sora-2-pro", "text-to-video", {"size": "1280*720"}, 4, (1280, 720), 24),
        ("sora-2-pro", "text-to-video", {"size": "720*1280"}, 8, (720, 1280), 24),
        ("sora-2-pro", "text-to-video", {"size": "1792*1024"}, 12, (1792, 1024), 24),
        ("sora-2-pro", "text-to-video", {"size": "1024*1792"}, 4, (1024, 1792), 24),
        ("sora-2-pro", "image-to-video", {"resolution": "720p"}, 8, (1280, 720), 24),
        ("sora-2-pro", "image-to-video", {"resolution": "1080p"}, 12, (1920, 1080), 24),
    ],
)
def test_the_served_video_is_what_was_asked(
    sim: ManualSim,
    api: httpx.Client,
    web: httpx.Client,
    tmp_path: Path,
    model: str,
    mode: str,
    frame: dict[str, str],
    duration: int,
    size: tuple[int, int],
    fps: int,
) -> None:
    task_id = order(api, sim, model, duration, mode, **frame)
    path = downloaded(api, web, tmp_path, task_id, model)
    info = probe(path)
    assert (info.width, info.height) == size
    assert info.frame_rate == fps and info.frame_count == duration * fps and info.duration == duration
    assert info.video_codec == "avc1"
    assert (info.has_audio, info.audio_rate, info.audio_channels) == (True, 48_000, 1)
    assert 0 <= sound_seconds(path) - duration < Fraction(1024, 48_000)  # within one AAC frame


def test_every_frame_option_of_every_model_has_material_in_the_pack() -> None:
    clips = DemoClips(DEMO_MEDIA)
    for contract in CONTRACTS:
        for rules in models_for(contract).values():
            for mode, frame in rules.frame.items():
                for value in frame.options:
                    width, height = picture_size({frame.param: value})
                    looks = clips.pack.looks(width, height, rules.frame_rate)
                    assert len(looks) == LOOKS_PER_FORMAT, (contract, rules.model, mode, value)


def test_consecutive_tasks_get_different_looks_and_bytes(
    sim: ManualSim, api: httpx.Client, web: httpx.Client, tmp_path: Path
) -> None:
    batch = [order(api, sim, "sora-2", 10) for _ in range(LOOKS_PER_FORMAT)]  # one batch of identical takes
    looks = [sim.clips.look_letter(sim.clip_spec(task_id)) for task_id in batch]
    assert sorted(looks) == ["A", "B", "C", "D"]
    files = [downloaded(api, web, tmp_path, task_id).read_bytes() for task_id in batch]
    assert len(set(files)) == LOOKS_PER_FORMAT
    assert all(probe(tmp_path / f"{task_id}.mp4").frame_count == 300 for task_id in batch)
    again = web.get(result_url(status(api, batch[0]))).content
    assert again == files[0]  # a task's video is the same on every download


def test_a_failed_task_does_not_take_a_look(sim: ManualSim, api: httpx.Client) -> None:
    first = order(api, sim, "sora-2", 10)
    sim.faults.inject("content_violation")
    order(api, sim, "sora-2", 10)
    second = order(api, sim, "sora-2", 10)
    assert sim.clip_spec(second).look == sim.clip_spec(first).look + 1


def test_built_clips_are_cached_within_a_bound() -> None:
    clips = DemoClips(DEMO_MEDIA, cache_bytes=1_000_000)
    first = clips.clip(ClipSpec(1280, 720, 30, 10, 0))
    assert clips.clip(ClipSpec(1280, 720, 30, 10, 4)) is first  # look 4 wraps to A: the same clip, not rebuilt
    for seconds in (10, 15):
        for look in range(LOOKS_PER_FORMAT):
            clips.clip(ClipSpec(1920, 1080, 24, seconds, look))
            assert clips.held_bytes <= 1_000_000
    assert clips.clip(ClipSpec(1280, 720, 30, 10, 0)) == first  # dropped, then built again the same


def test_the_demo_media_stay_within_budget() -> None:
    files = [p for p in DEMO_MEDIA.iterdir() if p.is_file()]
    total = sum(p.stat().st_size for p in files)
    assert total < MEDIA_BUDGET, f"{total} bytes under resources/demo_media"
    assert total + resource_path("demo_clip.mp4").stat().st_size < 3_000_000


def test_a_portrait_pro_clip_decodes_at_its_probed_size(
    sim: ManualSim, api: httpx.Client, web: httpx.Client, tmp_path: Path, run_async: Run
) -> None:
    # Decoded by QtMultimedia (FFmpeg), not our parser: the muxed file is valid beyond our own reading of it.
    tasks = [order(api, sim, "sora-2-pro", 4, size="1024*1792") for _ in range(2)]
    paths = [downloaded(api, web, tmp_path, task_id, "sora-2-pro") for task_id in tasks]
    info = probe(paths[0])
    frames: list[QImage] = [run_async(grab_frame(path, 2500)) for path in paths]
    assert [(f.width(), f.height()) for f in frames] == [(info.width, info.height)] * 2 == [(1024, 1792)] * 2
    # Two looks tell apart even in a quarter-size thumbnail: their pictures differ in most sampled pixels.
    small = [f.scaled(256, 448) for f in frames]
    points = [(x, y) for x in range(0, 256, 16) for y in range(0, 448, 16)]
    assert sum(small[0].pixel(x, y) != small[1].pixel(x, y) for x, y in points) > len(points) // 2

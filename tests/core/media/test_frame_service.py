"""FrameService: a frame saved as a full-size PNG, a start image fitted to a shot's model in the `frames/` folder, and
that image uploaded at once through the session's resolver (the demo stand-in's host here; none configured: why)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from PySide6.QtGui import QImage

from sora2_desktop.core.catalogue.catalogue import shipped_catalogue
from sora2_desktop.core.images.demo_host import StandInImageHost, stand_in_host
from sora2_desktop.core.images.host import NO_IMAGE_HOST_MESSAGE, ImageHost
from sora2_desktop.core.images.resolver import ImageProblem, ImageResolver
from sora2_desktop.core.media.frame_service import FrameService, frame_stem
from sora2_desktop.core.media.start_frame import StartFrameError
from sora2_desktop.core.projects.model import Project
from sora2_desktop.resources import resource_path
from tests.helpers.sim import ManualSim

T = TypeVar("T")
RunAsync = Callable[[Coroutine[Any, Any, T]], T]
DEMO_CLIP = resource_path("demo_clip.mp4")  # 640×360, 25 fps, 5 s
PORTRAIT = Path(__file__).parents[2] / "data" / "media" / "portrait_720x1280_30fps.mp4"
SORA_2 = shipped_catalogue().spec_for("sora-2")
SORA_2_PRO = shipped_catalogue().spec_for("sora-2-pro")


def service(tmp_path: Path, host: Callable[[], ImageHost | None] = lambda: None) -> tuple[FrameService, list[Any]]:
    """A FrameService whose resolver uploads to `host`; the list collects what must be closed."""
    http = httpx.AsyncClient(trust_env=False)
    resolver = ImageResolver(http, host, allow_local=lambda: True)
    return FrameService(lambda: tmp_path / "profile", lambda: resolver), [http]


def test_a_saved_frame_is_a_png_at_the_videos_own_size(tmp_path: Path, run_async: RunAsync[Any]) -> None:
    frames, closing = service(tmp_path)
    target = tmp_path / "out" / "frame.png"
    image = run_async(frames.save_frame(DEMO_CLIP, 1_000, target))
    run_async(closing[0].aclose())
    saved = QImage(str(target))
    assert (saved.width(), saved.height()) == (640, 360) == (image.width(), image.height())
    assert [path.name for path in target.parent.iterdir()] == ["frame.png"]  # no temporary file left


def test_a_start_image_from_a_portrait_take_fits_a_landscape_shot(tmp_path: Path, run_async: RunAsync[Any]) -> None:
    frames, closing = service(tmp_path)
    folder = frames.frames_folder(None)
    assert folder == tmp_path / "profile" / "frames"
    draft = {"model": "sora-2", "aspect_ratio": "landscape"}
    first = run_async(frames.start_image(PORTRAIT, 500, SORA_2, draft, folder, "Trailer_SH020_T03_00-00-00-15"))
    again = run_async(frames.start_image(PORTRAIT, None, SORA_2, draft, folder, "Trailer_SH020_T03_00-00-00-15"))
    run_async(closing[0].aclose())
    assert first.path == folder / "Trailer_SH020_T03_00-00-00-15_1280x720.png"
    assert again.path.name == "Trailer_SH020_T03_00-00-00-15_1280x720 (2).png"  # nothing overwritten
    for made in (first, again):
        picture = QImage(str(made.path))
        assert (picture.width(), picture.height()) == (1280, 720)
        assert (made.target.param, made.target.option) == ("aspect_ratio", "landscape")


def test_sora_2_pro_1080p_and_a_project_folder(tmp_path: Path, run_async: RunAsync[Any]) -> None:
    frames, closing = service(tmp_path)
    project = Project(id=1, name="Trailer", folder=str(tmp_path / "Trailer files"))
    folder = frames.frames_folder(project)
    assert folder == tmp_path / "Trailer files" / "frames"
    made = run_async(frames.start_image(DEMO_CLIP, 2_000, SORA_2_PRO, {"resolution": "1080p"}, folder, "x"))
    run_async(closing[0].aclose())
    assert QImage(str(made.path)).size().toTuple() == (1920, 1080)


def test_a_model_without_a_start_image_is_said_before_any_decoding(tmp_path: Path, run_async: RunAsync[Any]) -> None:
    from dataclasses import replace

    frames, closing = service(tmp_path)
    text_only = replace(SORA_2, modes=("text-to-video",))
    with pytest.raises(StartFrameError):
        run_async(frames.start_image(tmp_path / "missing.mp4", 0, text_only, {}, tmp_path, "x"))
    run_async(closing[0].aclose())


def test_prepare_uploads_to_the_demo_stand_in_and_generate_reuses_it(
    tmp_path: Path, sim: ManualSim, run_async: RunAsync[Any]
) -> None:
    frames, closing = service(tmp_path, lambda: stand_in_host(sim))
    made = run_async(frames.start_image(DEMO_CLIP, 1_000, SORA_2, {}, tmp_path / "frames", "still"))
    url = run_async(frames.prepare(made.path))
    again = run_async(frames.prepare(made.path))  # the resolver's cache: one upload
    run_async(closing[0].aclose())
    assert url == again and url.startswith(f"{sim.uploads_url}/") and len(sim.uploads.names()) == 1
    stored = sim.uploads.get(url.rsplit("/", 1)[1])
    assert stored is not None and stored == (made.path.read_bytes(), "image/png")


def test_prepare_without_an_image_host_says_what_to_do(tmp_path: Path, run_async: RunAsync[Any]) -> None:
    frames, closing = service(tmp_path)
    made = run_async(frames.start_image(DEMO_CLIP, 0, SORA_2, {}, tmp_path / "frames", "still"))
    with pytest.raises(ImageProblem) as problem:
        run_async(frames.prepare(made.path))
    run_async(closing[0].aclose())
    assert problem.value.reason == NO_IMAGE_HOST_MESSAGE and problem.value.source == str(made.path)


def test_the_demo_host_is_only_ever_on_this_computer() -> None:
    assert stand_in_host(None) is None and stand_in_host(object()) is None
    with pytest.raises(ValueError, match="this computer"):
        StandInImageHost("http://example.com/_sim/uploads")
    assert StandInImageHost("http://127.0.0.1:9/_sim/uploads").describe()


def test_frame_names_say_project_shot_take_and_timecode() -> None:
    assert frame_stem("Trailer", "SH020", 3, "00:00:04:12") == "Trailer_SH020_T03_00-00-04-12"
    assert frame_stem("Mon film é/2", None, None, "00:00:00:00") == "Mon-film-e-2_00-00-00-00"

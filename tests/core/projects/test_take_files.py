"""Take files: a take of a shot is named by its project's template, in its project's folder; other tasks keep
today's names in the download folder."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.projects.project_service import ProjectService
from sora2_desktop.core.projects.shot_codes import code_between, code_number
from sora2_desktop.core.projects.take_files import ratio_text, safe_name, take_stem
from sora2_desktop.core.results.files import video_stem
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.task import Task

LANDSCAPE = GenerationRequest(prompt="x")


@pytest.mark.parametrize(
    ("request_", "ratio"),
    [
        (LANDSCAPE, "16x9"),
        (replace(LANDSCAPE, aspect_ratio="portrait"), "9x16"),
        (replace(LANDSCAPE, size="1280*720"), "16x9"),
        (replace(LANDSCAPE, size="720*1280"), "9x16"),
        (replace(LANDSCAPE, size="1792*1024"), "7x4"),
        (replace(LANDSCAPE, resolution="720p"), "720p"),
        (replace(LANDSCAPE, aspect_ratio="cinema"), "cinema"),  # a shape the app has no word for: as it is
    ],
)
def test_the_ratio_comes_from_the_frame_the_model_took(request_: GenerationRequest, ratio: str) -> None:
    assert ratio_text(request_) == ratio


def test_the_default_template_names_a_take_as_editors_do() -> None:
    stem = take_stem("{project}_{shot}_{take}_{ratio}", "Trailer", "SH010", 3, LANDSCAPE)
    assert stem == "Trailer_SH010_T03_16x9"
    assert take_stem("{project}_{shot}_{take}_{ratio}", "Trailer", "SH010", 3, LANDSCAPE, url_index=1).endswith("_2")


def test_names_are_made_safe_but_keep_their_case() -> None:
    stem = take_stem("{project} / {shot}.{take} {unknown}", "Café: Noir/..\\Ü", "SH010", 12, LANDSCAPE)
    assert stem == "Cafe-Noir-U-SH010-T12-unknown"
    assert safe_name("龍 🐉") == "video"
    assert len(safe_name("a" * 500)) == 120
    assert take_stem("", "Trailer", "SH020", 1, LANDSCAPE) == "Trailer_SH020_T01_16x9"  # no template: the default


def test_shot_codes_slot_in_between_or_go_after_the_highest() -> None:
    assert code_number("sh015 ") == 15 and code_number("Hero") is None
    assert code_between("SH010", "SH020", ["SH010", "SH020"]) == "SH015"
    assert code_between(None, "SH010", ["SH010"]) == "SH005"
    assert code_between("SH010", "SH011", ["SH010", "SH011", "SH090"]) == "SH100"
    assert code_between("SH030", None, ["SH010", "SH030", "Hero"]) == "SH040"
    assert code_between("Hero", "SH010", ["Hero", "SH010"]) == "SH020"


def test_the_downloader_is_told_the_projects_folder_and_name(store: TaskStore, tmp_path: Path) -> None:
    service = ProjectService(lambda: store, lambda task: None)
    downloads = tmp_path / "downloads"
    place = service.file_place(lambda: downloads)
    trailer = service.create_project("Trailer", folder=str(tmp_path / "trailer"))
    (shot,) = service.shots(trailer.id)
    untitled = service.current_project()
    (loose_shot,) = service.shots(untitled.id)
    made = datetime(2026, 1, 9, 13, 33, tzinfo=UTC)
    portrait = replace(LANDSCAPE, size="720*1280")
    take = Task(request=portrait, created_at=made, local_id=4, task_id="t1", shot_id=shot.id, take_number=3)
    assert place(take, 0) == (tmp_path / "trailer", "Trailer_SH010_T03_9x16")
    # A project without a folder of its own: the app's download folder.
    in_untitled = take.with_(shot_id=loose_shot.id)
    assert place(in_untitled, 0) == (downloads, "Untitled_SH010_T03_9x16")
    # A task made outside any shot keeps today's name.
    loose = take.with_(shot_id=None, take_number=None)
    assert place(loose, 1) == (downloads, video_stem(loose, 1))
    # A renamed project shows in the next file's name.
    service.rename_project(trailer.id, "Teaser")
    assert place(take, 0)[1] == "Teaser_SH010_T03_9x16"

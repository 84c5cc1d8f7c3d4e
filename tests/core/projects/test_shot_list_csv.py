"""Shot lists in and out as CSV: reading what spreadsheets write (BOM, semicolons, quoted line breaks, other column
names), every kind of bad cell marked at its cell with words saying what is allowed, codes given or numbered,
the import in one transaction and its undo, and export → import giving the same shots."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from sora2_desktop.api.model_spec import FrameChoice
from sora2_desktop.core.catalogue.catalogue import ModelCatalogue, shipped_catalogue
from sora2_desktop.core.projects.project_service import ProjectService
from sora2_desktop.core.projects.shot_list_check import (
    PlannedShot,
    RowCheck,
    ShotListRules,
    assign_codes,
    check_row,
    is_untouched,
)
from sora2_desktop.core.projects.shot_list_csv import (
    SheetRow,
    parse_shot_list,
    read_shot_list,
    shot_list_rows,
    write_shot_list,
)
from sora2_desktop.core.projects.shot_list_frame import frame_value
from sora2_desktop.core.projects.shot_list_problems import (
    CellFault,
    SheetFault,
    ShotListError,
    problem_text,
    shot_list_error_text,
)
from sora2_desktop.core.storage.task_store import TaskStore

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
GIF = b"GIF89a" + b"\0" * 32


def rules(
    folder: Path | None = None, taken: Sequence[str] = (), catalogue: ModelCatalogue | None = None
) -> ShotListRules:
    return ShotListRules(catalogue or shipped_catalogue(), folder, 4, frozenset(code.upper() for code in taken))


def one_row(folder: Path | None = None, **cells: str) -> RowCheck:
    return check_row(SheetRow(2, {"prompt": "A lighthouse in fog", **cells}), rules(folder))


def texts(check: RowCheck) -> dict[str, str]:
    return {column: problem_text(problem) for column, problem in check.problems.items()}


# -- reading -----------------------------------------------------------------------------------------------------


def test_excel_csv_utf8_with_bom_semicolons_quotes_and_line_breaks_is_read(tmp_path: Path) -> None:
    text = (
        "\ufeffCode;Title;PROMPT;Model;Aspect Ratio;Duration;Takes;Notes\r\n"
        'SH010;Hero walks in;"She says ""go"";\r\nthe door opens";Sora 2;16:9;15;2;ignored\r\n'
        ";;;;;;;\r\n"
        "; ;A harbour at dawn;sora-2-pro;1280x720;8;;\r\n"
    )
    (tmp_path / "shots.csv").write_bytes(text.encode("utf-8"))
    sheet = read_shot_list(tmp_path / "shots.csv")
    assert sheet.columns == ("code", "title", "prompt", "model", "duration", "frame", "takes")
    assert sheet.ignored == ("Notes",) and sheet.folder == tmp_path
    first, second = sheet.rows  # the empty ";;;;" row is no shot
    assert first.cell("prompt") == 'She says "go";\r\nthe door opens' and first.line == 2
    assert second.line == 5 and second.cell("frame") == "1280x720"
    check = check_row(first, rules(tmp_path))
    assert not check.problems
    settings = check.settings(first.cell("prompt"))
    assert (settings["model"], settings["aspect_ratio"], settings["duration"], settings["takes"]) == (
        "sora-2",
        "landscape",
        15,
        2,
    )
    pro = check_row(second, rules(tmp_path))
    assert not pro.problems and pro.frame == ("size", "1280*720") and pro.takes == 1


def test_commas_and_the_frame_under_any_of_its_names_first_filled_wins() -> None:
    sheet = parse_shot_list("prompt,size,aspect,resolution\nA,,portrait,\nB,720x1280,,\n")
    assert [row.cell("frame") for row in sheet.rows] == ["portrait", "720x1280"]
    assert sheet.columns == ("prompt", "frame")


def test_utf16_with_its_bom_is_read(tmp_path: Path) -> None:
    (tmp_path / "u16.csv").write_bytes("prompt\nÉté à Paris\n".encode("utf-16"))
    assert read_shot_list(tmp_path / "u16.csv").rows[0].cell("prompt") == "Été à Paris"


@pytest.mark.parametrize(
    ("data", "fault", "words"),
    [
        (b"", SheetFault.EMPTY, "The file is empty"),
        (b"code,title\nSH010,x\n", SheetFault.NO_PROMPT_COLUMN, "no “prompt” column (it has: code, title)"),
        (b"PK\x03\x04rest of a workbook", SheetFault.SPREADSHEET, "save it as “CSV UTF-8”"),
        ("prompt\nÉté\n".encode("cp1252"), SheetFault.NOT_UTF8, "not UTF-8 text"),
    ],
)
def test_a_file_that_is_no_shot_list_says_why(tmp_path: Path, data: bytes, fault: SheetFault, words: str) -> None:
    (tmp_path / "bad.csv").write_bytes(data)
    with pytest.raises(ShotListError) as raised:
        read_shot_list(tmp_path / "bad.csv")
    assert raised.value.fault == fault
    assert words.lower() in shot_list_error_text(raised.value).lower()


def test_a_missing_file_is_unreadable_with_the_systems_reason(tmp_path: Path) -> None:
    with pytest.raises(ShotListError) as raised:
        read_shot_list(tmp_path / "gone.csv")
    assert raised.value.fault == SheetFault.UNREADABLE
    assert shot_list_error_text(raised.value) == "The file cannot be read: No such file or directory"


# -- cells -------------------------------------------------------------------------------------------------------


def test_empty_cells_take_the_models_defaults_and_an_image_makes_it_image_to_video(tmp_path: Path) -> None:
    (tmp_path / "start.png").write_bytes(PNG)
    plain = one_row()
    assert not plain.problems and plain.spec is not None and plain.spec.id == "sora-2"
    assert (plain.mode, plain.duration, plain.frame, plain.takes) == (
        "text-to-video",
        10,
        ("aspect_ratio", "landscape"),
        1,
    )
    assert plain.defaults == {"model", "mode", "duration", "frame", "takes"}
    with_image = one_row(tmp_path, image="start.png")
    assert not with_image.problems and with_image.mode == "image-to-video"
    assert with_image.images[0].source == str(tmp_path / "start.png") and with_image.images[0].is_local
    pro = one_row(tmp_path, model="SORA 2 PRO", image="https://cdn.example.com/a.png")
    assert not pro.problems and pro.frame == ("resolution", "720p") and not pro.images[0].is_local


@pytest.mark.parametrize(
    ("cells", "column", "fault", "words"),
    [
        ({"prompt": "  "}, "prompt", CellFault.PROMPT_MISSING, "A prompt is required: describe the shot."),
        (
            {"model": "sora-2-pro", "prompt": "x" * 5001},
            "prompt",
            CellFault.PROMPT_TOO_LONG,
            "Sora 2 Pro takes prompts of at most 5,000 characters; this one has 5,001.",
        ),
        (
            {"model": "sora-3"},
            "model",
            CellFault.MODEL_UNKNOWN,
            "Unknown model “sora-3”: use Sora 2 (sora-2) or Sora 2 Pro (sora-2-pro).",
        ),
        ({"mode": "video-to-video"}, "mode", CellFault.MODE_UNKNOWN, "“video-to-video” is not a mode"),
        (
            {"duration": "ten"},
            "duration",
            CellFault.DURATION_NOT_NUMBER,
            "“ten” is not a number of seconds; Sora 2 takes 10 or 15 s.",
        ),
        ({"duration": "12"}, "duration", CellFault.DURATION_NOT_OFFERED, "Sora 2 takes 10 or 15 s."),
        (
            {"model": "sora-2-pro", "duration": "10 s"},
            "duration",
            CellFault.DURATION_NOT_OFFERED,
            "Sora 2 Pro takes 4, 8 or 12 s.",
        ),
        (
            {"frame": "square"},
            "frame",
            CellFault.FRAME_NOT_OFFERED,
            "Sora 2 takes landscape or portrait here, not “square”.",
        ),
        (
            {"model": "sora-2-pro", "frame": "1920x1080"},
            "frame",
            CellFault.FRAME_NOT_OFFERED,
            "Sora 2 Pro takes 1280x720, 720x1280, 1792x1024 or 1024x1792 here, not “1920x1080”.",
        ),
        ({"takes": "0"}, "takes", CellFault.TAKES_OUT_OF_RANGE, "Takes is a whole number from 1 to 4, not “0”."),
        ({"takes": "2.5"}, "takes", CellFault.TAKES_OUT_OF_RANGE, "from 1 to 4"),
        ({"image": "image.png"}, "image", CellFault.IMAGE_NOT_FOUND, "No file image.png next to the CSV."),
        ({"image": "ftp://host/a.png"}, "image", CellFault.IMAGE_NOT_ADDRESS, "neither a file nor an http"),
        ({"mode": "i2v"}, "image", CellFault.IMAGE_NEEDED, "Image-to-video needs an image"),
        (
            {"mode": "text-to-video", "image": "https://x.example/a.png"},
            "image",
            CellFault.IMAGE_UNWANTED,
            "Text-to-video takes no image",
        ),
        (
            {"model": "sora-2-pro", "image": "https://x.example/a.png | https://x.example/b.png"},
            "image",
            CellFault.IMAGE_TOO_MANY,
            "Sora 2 Pro takes at most 1 image(s) here; this cell has 2.",
        ),
    ],
)
def test_each_bad_cell_is_marked_at_its_column_saying_what_is_allowed(
    tmp_path: Path, cells: dict[str, str], column: str, fault: CellFault, words: str
) -> None:
    check = one_row(tmp_path, **cells)
    assert set(check.problems) == {column}, texts(check)
    assert check.problems[column].fault == fault
    assert words in problem_text(check.problems[column])
    with pytest.raises(ValueError):
        check.settings("anything")  # a row with a problem becomes no shot


def test_an_image_the_service_would_refuse_says_why(tmp_path: Path) -> None:
    (tmp_path / "anim.gif").write_bytes(GIF)
    check = one_row(tmp_path, image="anim.gif")
    assert check.problems["image"].fault == CellFault.IMAGE_REJECTED
    assert problem_text(check.problems["image"]) == "“anim.gif” is a GIF image; use a JPG, PNG or WebP image."


def test_a_mode_the_model_does_not_make_is_marked() -> None:
    spec = shipped_catalogue().spec_for("sora-2")
    text_only = replace(spec, id="text-only", title="Text Only", modes=("text-to-video",), default_mode="text-to-video")
    catalogue = ModelCatalogue("test", (spec, text_only))
    check = check_row(SheetRow(2, {"prompt": "p", "model": "text-only", "mode": "image"}), rules(catalogue=catalogue))
    assert problem_text(check.problems["mode"]) == "Text Only does not make image-to-video: use text-to-video."


@pytest.mark.parametrize(
    ("text", "param", "expected"),
    [
        ("Landscape", "aspect_ratio", "landscape"),
        ("9:16", "aspect_ratio", "portrait"),
        ("1280*720", "aspect_ratio", "landscape"),
        ("vertical", "aspect_ratio", "portrait"),
        ("1280x720", "size", "1280*720"),
        ("1024 × 1792", "size", "1024*1792"),
        ("portrait", "size", "720*1280"),
        ("16x9", "size", "1280*720"),
        ("1792x1024", "resolution", None),
        ("1920x1080", "resolution", "1080p"),
        ("720P", "resolution", "720p"),
        ("landscape", "resolution", None),
        ("2:1", "aspect_ratio", "landscape"),
        ("banana", "size", None),
    ],
)
def test_frames_are_read_as_the_models_own_option(text: str, param: str, expected: str | None) -> None:
    options = {
        "aspect_ratio": FrameChoice("aspect_ratio", ("landscape", "portrait"), "landscape"),
        "size": FrameChoice("size", ("1280*720", "720*1280", "1792*1024", "1024*1792"), "1280*720"),
        "resolution": FrameChoice("resolution", ("720p", "1080p"), "720p"),
    }
    assert frame_value(text, options[param]) == expected


# -- codes -------------------------------------------------------------------------------------------------------


def test_codes_are_kept_when_given_else_numbered_after_the_projects_last_shot() -> None:
    rows = [SheetRow(n + 2, {"prompt": "p", "code": code}) for n, code in enumerate(["", "SH500", "", "sh030"])]
    choices = assign_codes(rows, [True] * 4, rules(taken=["SH010", "SH020"]))
    assert [(c.code, c.automatic, c.problem) for c in choices] == [
        ("SH040", True, None),  # after the project's SH020, and past SH030 that a later row gives
        ("SH500", False, None),
        ("SH050", True, None),
        ("sh030", False, None),
    ]


def test_a_code_taken_or_repeated_is_marked_and_leaving_a_row_out_clears_it() -> None:
    rows = [
        SheetRow(n + 2, {"prompt": "p", "code": code}) for n, code in enumerate(["SH010", "SH050", "sh050", "A\tB"])
    ]
    choices = assign_codes(rows, [True] * 4, rules(taken=["SH010"]))
    words = [problem_text(c.problem) if c.problem else "" for c in choices]
    assert words[0] == "SH010 is already a shot of this project: give another code, or leave it empty."
    assert words[1] == "SH050 is also the code of the row on line 4."
    assert words[2] == "sh050 is also the code of the row on line 3."
    assert words[3] == "A code is one line of at most 24 characters, such as SH010."
    again = assign_codes(rows, [False, True, False, False], rules(taken=["SH010"]))
    assert [c.problem for c in again] == [None, None, None, None]


# -- import, undo and the round trip ------------------------------------------------------------------------------


@pytest.fixture
def projects(tmp_path: Path) -> Iterator[ProjectService]:
    with TaskStore(tmp_path / "tasks.sqlite3") as store:
        yield ProjectService(lambda: store, lambda _task: None)


def planned(rows: Sequence[SheetRow], rule: ShotListRules) -> list[PlannedShot]:
    checks = [check_row(row, rule) for row in rows]
    codes = assign_codes(rows, [True] * len(rows), rule)
    assert all(not check.problems for check in checks) and all(c.problem is None for c in codes)
    return [
        PlannedShot(code.code, row.cell("title").strip(), check.settings(row.cell("prompt").strip()))
        for row, check, code in zip(rows, checks, codes, strict=True)
    ]


def test_import_replaces_a_new_projects_empty_shot_in_one_transaction_and_undo_brings_it_back(
    projects: ProjectService,
) -> None:
    project = projects.current_project()
    (empty,) = projects.shots(project.id)
    assert is_untouched(empty, 0) and not is_untouched(empty.with_(title="Hero"), 0) and not is_untouched(empty, 1)
    rows = [SheetRow(2, {"prompt": "A", "code": "SH010"}), SheetRow(3, {"prompt": "B"})]
    heard: list[int] = []
    projects.shots_changed.connect(heard.append)
    made = projects.import_shots(project.id, planned(rows, rules()), replacing=[empty.id])
    assert [(s.code, s.settings["prompt"]) for s in projects.shots(project.id)] == [("SH010", "A"), ("SH020", "B")]
    assert heard == [project.id]
    projects.undo_import(project.id, [shot.id for shot in made], [empty.id])
    assert [shot.id for shot in projects.shots(project.id)] == [empty.id]


def test_an_import_with_a_code_already_in_the_project_writes_nothing(projects: ProjectService) -> None:
    project = projects.current_project()
    before = projects.shots(project.id)
    clash = [PlannedShot("SH900", "", {"prompt": "new"}), PlannedShot(before[0].code, "", {"prompt": "clash"})]
    with pytest.raises(ValueError, match="SH010"):
        projects.import_shots(project.id, clash)
    assert projects.shots(project.id) == before


def test_export_then_import_gives_the_same_shots(tmp_path: Path, projects: ProjectService) -> None:
    (tmp_path / "frames").mkdir()
    (tmp_path / "frames" / "start.png").write_bytes(PNG)
    source = (
        "code,title,prompt,model,mode,duration,frame,takes,image\n"
        'SH010,Hero walks in,"A hero, walking\nin the rain",sora-2,,15,portrait,3,\n'
        "SH020,,Harbour,Sora 2 Pro,,8,1792x1024,,\n"
        "SH030,Gulls,Gulls over the pier,sora-2-pro,image-to-video,4,1080p,2,frames/start.png\n"
        "SH040,,Skyline,sora-2,i2v,,,,https://cdn.example.com/sky.png\n"
    )
    project = projects.create_project("Trailer")
    first = [shot.id for shot in projects.shots(project.id)]
    rule = rules(tmp_path)
    projects.import_shots(project.id, planned(parse_shot_list(source, tmp_path).rows, rule), replacing=first)
    shots = projects.shots(project.id)
    assert [shot.code for shot in shots] == ["SH010", "SH020", "SH030", "SH040"]

    out = tmp_path / "exported.csv"
    write_shot_list(out, shot_list_rows(shots, shipped_catalogue(), tmp_path))
    assert out.read_bytes().startswith(b"\xef\xbb\xbfcode,title,prompt,model,mode,duration,frame,takes,image\r\n")
    again = read_shot_list(out)
    assert again.rows[2].cell("image") == "frames/start.png"  # relative: the list and its images move together
    other = projects.create_project("Copy")
    replaced = [shot.id for shot in projects.shots(other.id)]
    projects.import_shots(other.id, planned(again.rows, rules(tmp_path)), replacing=replaced)
    copies = projects.shots(other.id)
    assert [(s.code, s.title, s.settings) for s in copies] == [(s.code, s.title, s.settings) for s in shots]

"""The manifest: one row per exported take; the CSV reads back to the same values (commas, quotes, new lines and
non-ASCII in prompts and notes), the JSON carries the same rows with numbers as numbers."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from sora2_desktop.core.export.manifest import COLUMNS, ManifestEntry, csv_text, manifest_row, write_manifest
from sora2_desktop.core.export.selection import Selection
from sora2_desktop.core.media.probe import MediaInfo
from sora2_desktop.core.projects.model import TakeMark
from tests.core.export.export_rig import ExportRig

HARD_PROMPT = 'Wide shot, "golden hour"; the hero says: «Ça va?»\nThen — 夕焼け, a 🚀 lifts off,\r\nslowly.'
HARD_NOTE = 'Keep, but trim "the wobble", after 4s\nask Zoë'
PORTRAIT = MediaInfo(720, 1280, Fraction(30000, 1001), 301, Fraction(301 * 1001, 30000), False, None, None, "avc1")


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[ExportRig]:
    made = ExportRig(tmp_path)
    yield made
    made.close()


def entry(rig: ExportRig, media: MediaInfo | None = PORTRAIT, **fields: Any) -> ManifestEntry:
    shot = rig.projects.rename_shot(rig.shot(0).id, "Hero, at dusk")
    task = rig.take(shot, prompt=HARD_PROMPT, **fields)
    version = rig.projects.version(task.version_id or 0)
    source = rig.files[task.local_id or 0]
    return ManifestEntry(rig.project, shot, task, version, media, source, rig.folder / "out" / "Trailer_SH010.mp4")


def test_a_row_holds_how_the_take_was_made_and_what_its_file_holds(rig: ExportRig) -> None:
    row = manifest_row(entry(rig, rating=4, review_note=HARD_NOTE, in_ms=1_000, out_ms=9_510))
    assert list(row) == list(COLUMNS)
    assert row["project"] == "Trailer" and row["shot_code"] == "SH010" and row["shot_title"] == "Hero, at dusk"
    assert (row["take"], row["take_code"], row["mark"], row["rating"]) == (1, "T01", "circled", 4)
    assert row["note"] == HARD_NOTE and row["prompt"] == HARD_PROMPT and row["prompt_version"] == 1
    assert (row["model"], row["mode"], row["requested_duration_s"], row["aspect_ratio"]) == (
        "sora-2",
        "text-to-video",
        10,
        "landscape",
    )
    assert (row["size"], row["resolution"], row["provider"], row["remove_watermark"]) == (None, None, "auto", True)
    assert row["task_id"] == "task-SH010-1" and row["catalogue_version"] == "2025-03-01"
    assert row["created_at"] == "2025-03-04T09:30:15+00:00" and row["finished_at"] == "2025-03-04T09:34:02+00:00"
    assert (row["frame_rate"], row["width"], row["height"], row["has_audio"]) == ("30000/1001", 720, 1280, False)
    assert (row["duration_s"], row["frame_count"]) == (10.043, 301)
    # 9.51 s at 29.97 is frame 285: 9 timecode seconds of 30 frames and 15 frames.
    assert (row["in_timecode"], row["in_ms"], row["out_timecode"], row["out_ms"]) == (
        "00:00:00:29",
        1000,
        "00:00:09:15",
        9510,
    )
    assert row["cost_estimate_usd"] == 0.15
    assert row["source_file"] == "download_SH010_1.mp4" and row["exported_file"] == "Trailer_SH010.mp4"
    assert row["source_frame"] is None


def test_an_unreadable_file_and_a_take_without_marks_leave_their_cells_empty(rig: ExportRig) -> None:
    row = manifest_row(entry(rig, media=None, mark=None))
    for column in ("mark", "frame_rate", "width", "height", "has_audio", "duration_s", "in_timecode", "out_ms"):
        assert row[column] is None, column
    assert csv_text(None) == "" and csv_text(False) == "false" and csv_text(0.15) == "0.15"


def test_the_lineage_of_a_start_frame_is_in_its_column(rig: ExportRig) -> None:
    from sora2_desktop.core.projects.source_frame import SourceFrame

    made = entry(rig)
    frame = SourceFrame(task_local_id=7, shot_code="SH020", take_number=3, at_ms=4_480, timecode="00:00:04:12")
    row = manifest_row(ManifestEntry(**{**made.__dict__, "task": made.task.with_(source_frame=frame)}))
    assert row["source_frame"]["text"] == "SH020 T03 00:00:04:12"
    assert row["source_frame"]["task_local_id"] == 7 and row["source_frame"]["at_ms"] == 4_480
    assert csv_text(row["source_frame"]) == "SH020 T03 00:00:04:12"


def test_the_csv_reads_back_to_the_same_values_and_the_json_to_the_same_rows(rig: ExportRig, tmp_path: Path) -> None:
    first = entry(rig, rating=5, review_note=HARD_NOTE, in_ms=500)
    second = entry(rig, media=None, mark=TakeMark.HOLD, review_note="")
    at = datetime(2025, 3, 5, 12, 0, tzinfo=UTC)
    written = write_manifest([first, second], tmp_path, "Trailer-selects", ["csv", "json"], at)
    assert written == {"csv": tmp_path / "Trailer-selects.csv", "json": tmp_path / "Trailer-selects.json"}
    rows = [manifest_row(first), manifest_row(second)]
    with written["csv"].open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        assert reader.fieldnames == list(COLUMNS)
        read = list(reader)
    assert read == [{key: csv_text(value) for key, value in row.items()} for row in rows]
    assert read[0]["prompt"] == HARD_PROMPT and read[0]["note"] == HARD_NOTE and read[1]["mark"] == "hold"
    document = json.loads(written["json"].read_text(encoding="utf-8"))
    assert document["project"] == "Trailer" and document["exported_at"] == "2025-03-05T12:00:00+00:00"
    assert document["columns"] == list(COLUMNS) and document["takes"] == rows
    assert not list(tmp_path.glob("*.part"))


def test_the_exported_manifest_has_the_probed_figures_of_each_file(
    rig: ExportRig, run_async: Callable[..., Any], tmp_path: Path
) -> None:
    rig.take(rig.shot(0), in_ms=1_200)
    result = run_async(rig.exports.export_selects(Selection(rig.project.id), tmp_path / "out", ["json", "csv"]))
    document = json.loads(result.files["json"][0].read_text(encoding="utf-8"))
    (row,) = document["takes"]
    # resources/demo_clip.mp4: 640×360 at 25 fps, 5 s, with sound.
    assert (row["width"], row["height"], row["frame_rate"], row["has_audio"]) == (640, 360, "25", True)
    assert row["duration_s"] == 5.0 and row["in_timecode"] == "00:00:01:05"
    assert row["exported_file"] == "Trailer_SH010_T01_16x9.mp4" and row["source_file"] == "download_SH010_1.mp4"

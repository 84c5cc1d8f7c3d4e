"""ExportService: what it hands the timeline writers and the contact sheet service, and how their results and
faults reach the export's result (a writer's fault loses its format, never the copied takes)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from sora2_desktop.core.export.export_result import ExportCancelled, ExportResult
from sora2_desktop.core.export.export_service import ExportService
from sora2_desktop.core.export.selection import Selection
from sora2_desktop.core.timelines import timeline
from sora2_desktop.core.timelines.timeline import TimelineClip, TimelineResult
from tests.core.export.export_rig import MEDIA, ExportRig

PORTRAIT = MEDIA / "portrait_720x1280_30fps.mp4"


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[ExportRig]:
    made = ExportRig(tmp_path)
    yield made
    made.close()


class Recorder:
    def __init__(self, fault: Exception | None = None) -> None:
        self.calls: list[tuple[str, list[TimelineClip], Path, list[str]]] = []
        self.fault = fault

    def __call__(self, title: str, clips: list[TimelineClip], folder: Path, formats: Collection[str]) -> TimelineResult:
        self.calls.append((title, list(clips), folder, list(formats)))
        if self.fault is not None:
            raise self.fault
        return TimelineResult({"edl": folder / "t.edl"}, "1280×720 at 24 fps", ["a conform hazard"])


def test_the_timelines_get_the_exported_clips_in_shot_order_with_their_marks_and_probed_media(
    rig: ExportRig, run_async: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = Recorder()
    monkeypatch.setattr(timeline, "write_timelines", writer)
    second, first = rig.shot(1), rig.shot(0)
    rig.take(second, content=PORTRAIT, in_ms=500, out_ms=1_500)
    rig.take(first)
    heard: list[ExportResult] = []
    rig.exports.exported.connect(heard.append)
    out = tmp_path / "out"
    result = run_async(rig.exports.export_selects(Selection(rig.project.id), out, ["edl", "csv"]))
    ((title, clips, folder, formats),) = writer.calls
    assert (title, folder, formats) == ("Trailer selects", out, ["edl"])
    assert [(c.name, c.path, c.shot_code, c.take_number) for c in clips] == [
        ("Trailer_SH010_T01_16x9", out / "Trailer_SH010_T01_16x9.mp4", "SH010", 1),
        ("Trailer_SH020_T01_16x9", out / "Trailer_SH020_T01_16x9.mp4", "SH020", 1),
    ]
    assert (clips[0].in_s, clips[0].out_s) == (None, None)
    assert (clips[1].in_s, clips[1].out_s) == (Fraction(1, 2), Fraction(3, 2))
    assert (clips[0].media.width, clips[0].media.frame_rate) == (640, Fraction(25))  # the demo clip
    assert (clips[1].media.width, clips[1].media.height, clips[1].media.frame_rate) == (720, 1280, Fraction(30))
    assert result.files["edl"] == [out / "t.edl"] and result.sequence == "1280×720 at 24 fps"
    assert result.warnings == ["a conform hazard"] and result.complete
    assert heard == [result]


def test_a_timeline_writer_fault_loses_its_format_and_the_takes_stay(
    rig: ExportRig, run_async: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timeline, "write_timelines", Recorder(OSError(28, "No space left on device")))
    rig.take(rig.shot(0))
    result = run_async(rig.exports.export_selects(Selection(rig.project.id), tmp_path / "out", ["fcpxml", "json"]))
    assert result.problems == ["The timelines could not be written: No space left on device."]
    assert not result.complete and [take.target.name for take in result.takes] == ["Trailer_SH010_T01_16x9.mp4"]
    assert result.files["json"] == [tmp_path / "out" / "Trailer-selects.json"]


def test_a_file_that_is_no_mp4_is_exported_but_kept_off_the_timelines(
    rig: ExportRig, run_async: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = Recorder()
    monkeypatch.setattr(timeline, "write_timelines", writer)
    rig.take(rig.shot(0), content=b"\x00\x00\x00\x08junk" * 10)
    rig.take(rig.shot(0))
    result = run_async(rig.exports.export_selects(Selection(rig.project.id), tmp_path / "out", ["edl"]))
    assert result.takes[0].media is None and result.takes[0].media_problem
    assert [clip.take_number for clip in writer.calls[0][1]] == [2]


class FakeSheets:
    def __init__(self, fault: Exception | None = None) -> None:
        self.calls: list[tuple[Selection, Path, list[str], str]] = []
        self.fault = fault

    async def write(
        self, selection: Selection, folder: Path, formats: Collection[str], *, title: str, **_: Any
    ) -> dict[str, list[Path]]:
        self.calls.append((selection, folder, list(formats), title))
        if self.fault is not None:
            raise self.fault
        return {"pdf": [folder / "sheet.pdf"]}


def test_contact_sheets_are_made_by_the_sheet_service_with_the_same_selection(
    rig: ExportRig, run_async: Callable[..., Any], tmp_path: Path
) -> None:
    sheets = FakeSheets()
    service = ExportService(rig.projects, rig.local_video, sheets)  # type: ignore[arg-type]
    rig.take(rig.shot(0))
    selection = Selection(rig.project.id)
    result = run_async(service.export_selects(selection, tmp_path / "out", ["pdf", "csv"]))
    assert sheets.calls == [(selection, tmp_path / "out", ["pdf"], "Trailer")]
    assert result.files["pdf"] == [tmp_path / "out" / "sheet.pdf"] and result.complete

    cancelled = ExportService(rig.projects, rig.local_video, FakeSheets(ExportCancelled(0)))  # type: ignore[arg-type]
    with pytest.raises(ExportCancelled) as stopped:
        run_async(cancelled.export_selects(selection, tmp_path / "again", ["png"]))
    assert stopped.value.kept == 1  # the copied take stays

    without = run_async(rig.exports.export_selects(selection, tmp_path / "third", ["png"]))
    assert without.problems == ["Contact sheets cannot be made here; the rest was exported."]


def test_unknown_formats_and_projects_are_refused_before_anything_is_written(
    rig: ExportRig, run_async: Callable[..., Any], tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match="mov"):
        run_async(rig.exports.export_selects(Selection(rig.project.id), tmp_path / "out", ["mov"]))
    with pytest.raises(LookupError):
        run_async(rig.exports.export_selects(Selection(999), tmp_path / "out", ["csv"]))
    assert not (tmp_path / "out").exists()

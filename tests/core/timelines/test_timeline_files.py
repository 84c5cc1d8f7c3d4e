"""write_timelines as the export calls it: which files, under which names, what it says, and what it never does
(import OpenTimelineIO at start-up, leave half-written files)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sora2_desktop.core.timelines.timeline import write_timelines
from tests.core.timelines.timeline_rig import LANDSCAPE_24, PORTRAIT_30, mixed_takes, take


def test_each_asked_timeline_format_is_one_file_named_after_the_title(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = write_timelines(
        "Trailer: selects / v2", mixed_takes(tmp_path / "takes"), out, {"fcpxml", "xml", "edl", "csv"}
    )
    assert result.files == {
        "fcpxml": out / "Trailer-selects-v2.fcpxml",
        "xml": out / "Trailer-selects-v2.xml",
        "edl": out / "Trailer-selects-v2.edl",
    }
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in result.files.values())
    assert result.sequence == "1280×720 at 24 fps, the format of 2 of 4 takes"
    assert result.warnings[-1] == (
        "Another size than the 1280×720 sequence, fitted into its frame by the editor: SH020 take 1."
    )
    # The title inside the files is the person's own, not the file-safe one.
    assert "TITLE: Trailer: selects / v2" in result.files["edl"].read_text(encoding="utf-8")


def test_only_the_asked_formats_and_no_edl_warning_without_an_edl(tmp_path: Path) -> None:
    result = write_timelines("T", mixed_takes(tmp_path / "takes"), tmp_path, ["xml"])
    assert list(result.files) == ["xml"]
    assert not any("EDL" in w for w in result.warnings)
    assert write_timelines("T", mixed_takes(tmp_path / "more"), tmp_path, ["csv", "pdf"]).files == {}


def test_an_earlier_timeline_of_the_same_name_is_replaced(tmp_path: Path) -> None:
    first = [take(tmp_path / "takes", LANDSCAPE_24, "A.mp4", "SH010", 1)]
    second = [*first, take(tmp_path / "takes", PORTRAIT_30, "B.mp4", "SH020", 1)]
    write_timelines("Cut", first, tmp_path, {"edl"})
    result = write_timelines("Cut", second, tmp_path, {"edl"})
    assert result.files["edl"].read_text(encoding="utf-8").count("FROM CLIP NAME") == 2
    assert not list(tmp_path.glob("*.part"))


def test_a_folder_that_cannot_be_written_raises_and_leaves_nothing(tmp_path: Path) -> None:
    clips = [take(tmp_path / "takes", LANDSCAPE_24, "A.mp4", "SH010", 1)]
    missing = tmp_path / "no such folder"
    with pytest.raises(OSError):
        write_timelines("Cut", clips, missing, {"fcpxml"})
    assert not missing.exists()


def test_no_clips_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_timelines("Cut", [], tmp_path, {"edl"})


def test_the_timeline_module_does_not_import_opentimelineio_until_it_writes() -> None:
    code = (
        "import sys; import sora2_desktop.core.timelines.timeline; "
        "print(sorted(m for m in sys.modules if m.startswith(('opentimelineio', 'otio_'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip() == "[]"

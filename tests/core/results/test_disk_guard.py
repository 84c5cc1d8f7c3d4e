"""WriteGuard: a download folder that does not exist yet is not a folder the app may not write in."""

from __future__ import annotations

import shutil
from pathlib import Path

from sora2_desktop.core.results.disk_guard import WriteGuard


def test_the_first_check_before_the_folder_exists_asks_about_its_disk(tmp_path: Path) -> None:
    folder = tmp_path / "not" / "made" / "yet"
    asked: list[Path] = []

    def disk_usage(path: Path) -> shutil._ntuple_diskusage:
        asked.append(Path(path))
        return shutil.disk_usage(path)  # raises FileNotFoundError for a folder that is not there

    WriteGuard(folder, cap=1 << 40, disk_usage=disk_usage)(0, None)  # must not raise SaveBlocked
    assert asked == [tmp_path]

"""The cheap stand-in for PySide6's check of each imported module (pyside_scan.py) gives PySide6's own answers and is
put in place once however often a start runs in one process (that a real start puts it in place:
tests/e2e/test_first_paint.py)."""

from __future__ import annotations

import json
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

import sora2_desktop.ui.window.main_window
from sora2_desktop.pyside_scan import quicken_pyside_scan

feature = sys.modules["shibokensupport.feature"]


@pytest.fixture
def pyside_check() -> Iterator[object]:
    """PySide6's own check, put back after the test (a start in this process may have replaced it already)."""
    before = feature._mod_uses_pyside
    original = getattr(before, "__wrapped__", None)
    yield original or before
    feature._mod_uses_pyside = before


def test_it_answers_as_pyside6_does_for_every_module_loaded(pyside_check: object) -> None:
    assert quicken_pyside_scan()
    quick = feature._mod_uses_pyside
    assert quick is not pyside_check
    modules = [m for m in list(sys.modules.values()) if isinstance(m, types.ModuleType)]
    differ = [m.__name__ for m in modules if quick(m) != pyside_check(m)]  # type: ignore[operator]
    assert differ == []
    assert quick(sora2_desktop.ui.window.main_window) is True  # a module of ours that imports PySide6
    assert quick(json) is False and quick(sys) is False  # one from the library, a built-in one


def test_a_module_whose_file_is_gone_gets_pyside6s_own_answer(pyside_check: object, tmp_path: Path) -> None:
    quicken_pyside_scan()
    gone = types.ModuleType("gone_since")
    gone.__file__ = str(tmp_path / "gone_since.py")  # neither file nor source: PySide6's check says no
    assert feature._mod_uses_pyside(gone) is False
    written = tmp_path / "uses_qt.py"
    written.write_text("from PySide6.QtCore import QObject\n", encoding="utf-8")
    uses = types.ModuleType("uses_qt")
    uses.__file__ = str(written)
    assert feature._mod_uses_pyside(uses) is True


def test_a_second_call_does_not_wrap_it_again(pyside_check: object) -> None:
    quicken_pyside_scan()
    once = feature._mod_uses_pyside
    quicken_pyside_scan()
    assert feature._mod_uses_pyside is once

"""Help → About: the build's version, commit, Qt and PySide6 as copyable text, and the Licences tab with Qt's LGPL
notice and the third-party licences (the bundle's file when there is one, else the installed dependencies)."""

from __future__ import annotations

from pathlib import Path

import PySide6
import pytest
from PySide6.QtCore import qVersion
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from sora2_desktop import __version__, build_info
from sora2_desktop.core.config import licences
from sora2_desktop.ui.window.about_dialog import AboutDialog


def open_about(qtbot: QtBot) -> AboutDialog:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: "Reading the third-party licences" not in dialog.licences_text.toPlainText())
    return dialog


def test_about_shows_version_commit_qt_and_pyside_and_copies_them(qtbot: QtBot) -> None:
    dialog = open_about(qtbot)
    text = dialog.details.toPlainText()
    assert f"Version: {__version__}" in text
    assert f"Commit: {build_info.commit()}" in text and build_info.commit() != "unknown"  # a checkout: git answers
    assert f"Qt: {qVersion()}" in text
    assert f"PySide6: {PySide6.__version__}" in text
    assert "Python: 3." in text
    assert dialog.details.isReadOnly()
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == text


def test_licences_carry_qt_lgpl_notice_and_each_installed_dependency(qtbot: QtBot) -> None:
    dialog = open_about(qtbot)
    text = dialog.licences_text.toPlainText()
    # resources/licences/QT_LGPL_NOTICE.txt
    assert "(LGPLv3)" in text and "https://www.gnu.org/licenses/lgpl-3.0.html" in text
    assert "Replacing the Qt libraries" in text
    # LGPLv3 4(b): the licence texts themselves go with the app, not only links to them
    assert "GNU LESSER GENERAL PUBLIC LICENSE\n                       Version 3, 29 June 2007" in text
    assert "GNU GENERAL PUBLIC LICENSE\n                       Version 3, 29 June 2007" in text
    for name in ("PySide6_Addons", "httpx", "keyring", "qasync", "OpenTimelineIO"):
        assert f"\n{name} " in text, name
    assert "Licence: BSD-2-Clause" in text  # qasync's, read from its metadata
    assert "Permission is hereby granted" in text  # a shipped licence text (MIT), not only its name


def test_search_finds_each_match_in_turn(qtbot: QtBot) -> None:
    dialog = open_about(qtbot)
    dialog.tabs.setCurrentIndex(1)
    qtbot.keyClicks(dialog.search, "Licence: MIT")
    first = dialog.licences_text.textCursor().selectionStart()
    assert dialog.licences_text.textCursor().selectedText() == "Licence: MIT"
    assert dialog.find_next()
    assert dialog.licences_text.textCursor().selectionStart() != first
    dialog.search.setText("no such words in any licence")
    assert not dialog.find_next()


def test_a_bundle_shows_the_file_its_build_collected(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "licences").mkdir()
    (tmp_path / "licences" / "THIRD_PARTY_LICENSES.txt").write_text("Name: httpx\nLicense: BSD\n\nTHE TEXT\n")
    (tmp_path / "licences" / "QT_LGPL_NOTICE.txt").write_text("THE QT NOTICE\n")
    monkeypatch.setattr(licences, "resource_path", lambda name: tmp_path / name)
    text = open_about(qtbot).licences_text.toPlainText()
    assert text.startswith("THE QT NOTICE")
    assert text.rstrip().endswith("Name: httpx\nLicense: BSD\n\nTHE TEXT")

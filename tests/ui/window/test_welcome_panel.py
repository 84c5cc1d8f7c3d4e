"""WelcomePanel: its two buttons emit their intents, and the apixo.ai link opens only when clicked."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from sora2_desktop.ui.window import welcome_panel
from sora2_desktop.ui.window.welcome_panel import WelcomePanel


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    urls: list[str] = []

    def record(url: QUrl) -> bool:
        urls.append(url.toString())
        return True

    monkeypatch.setattr(welcome_panel.QDesktopServices, "openUrl", staticmethod(record))
    return urls


def make_panel(qtbot: QtBot, width: int = 900, height: int = 600) -> WelcomePanel:
    panel = WelcomePanel()
    qtbot.addWidget(panel)
    panel.resize(width, height)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_enter_key_button_emits(qtbot: QtBot, opened: list[str]) -> None:
    panel = make_panel(qtbot)
    with qtbot.waitSignal(panel.enter_key_requested), qtbot.assertNotEmitted(panel.demo_requested):
        panel.enter_key_button.click()


def test_demo_button_emits(qtbot: QtBot, opened: list[str]) -> None:
    panel = make_panel(qtbot)
    with qtbot.waitSignal(panel.demo_requested), qtbot.assertNotEmitted(panel.enter_key_requested):
        panel.demo_button.click()


def test_texts_say_what_each_way_in_means(qtbot: QtBot, opened: list[str]) -> None:
    panel = make_panel(qtbot)
    assert panel.title_label.text() == "Sora 2 Desktop"
    assert "Enter API key" in panel.enter_key_button.text()
    assert panel.demo_button.text() == "Try demo mode"
    note = panel.demo_note_label.text()
    assert "costs nothing" in note and "no internet" in note
    assert "https://apixo.ai" in panel.get_key_label.text()


def test_link_opens_only_on_click(qtbot: QtBot, opened: list[str]) -> None:
    panel = make_panel(qtbot)
    assert opened == []
    panel.get_key_label.linkActivated.emit("https://apixo.ai")
    assert opened == ["https://apixo.ai"]


@pytest.mark.parametrize(("width", "height"), [(900, 600), (1600, 1000)])
def test_everything_fits_and_is_centred(qtbot: QtBot, opened: list[str], width: int, height: int) -> None:
    panel = make_panel(qtbot, width, height)
    parts: list[QWidget] = [
        panel.title_label,
        panel.description_label,
        panel.enter_key_button,
        panel.demo_button,
        panel.demo_note_label,
        panel.get_key_label,
    ]
    for part in parts:
        rect = part.rect().translated(part.mapTo(panel, part.rect().topLeft()))
        assert part.isVisible()
        assert panel.rect().contains(rect), part.objectName() or type(part).__name__
    assert panel.enter_key_button.height() >= 44
    title = panel.title_label
    centre = title.mapTo(panel, title.rect().center()).x()
    assert abs(centre - panel.width() // 2) <= 2
    assert panel.description_label.width() <= 580


def test_only_web_links_are_handed_to_the_desktop(qtbot: QtBot, opened: list[str]) -> None:
    panel = make_panel(qtbot)
    for url in ("file:///etc/passwd", "tcp://127.0.0.1:9", "smb://host/share", "https://apixo.ai"):
        panel._open_link(url)
    assert opened == ["https://apixo.ai"]

"""The look: dark by default, light where the OS says light, the setting above both, applied live; readable
colours on both palettes; the monochrome icons in the palette's text colour."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QStyle
from pytestqt.qtbot import QtBot

from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.secrets import SecretStore
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.ui.common import theme
from sora2_desktop.ui.common.field_errors import mark_invalid
from sora2_desktop.ui.common.frame_icon import frame_icon
from sora2_desktop.ui.common.palette import Tone, error_color, is_dark, muted_palette, muted_text_color, text_color
from sora2_desktop.ui.settings.settings_dialog import SettingsDialog
from sora2_desktop.ui.tasks.detail import TaskDetail
from tests.helpers.keychain import MemoryKeyring

Role = QPalette.ColorRole
Group = QPalette.ColorGroup


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    """The test process's application, its look put back afterwards so later tests see it as before."""
    style, palette = QApplication.style().name(), QGuiApplication.palette()
    try:
        yield qapp
    finally:
        QApplication.setStyle(style)
        QGuiApplication.setPalette(palette)
        QGuiApplication.styleHints().unsetColorScheme()


@pytest.fixture
def os_says(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Qt.ColorScheme]]:
    """What the OS says, as the test sets it: `os_says[0] = Qt.ColorScheme.Light`."""
    said = [Qt.ColorScheme.Unknown]
    monkeypatch.setattr(theme, "os_color_scheme", lambda: said[0])
    yield said


@pytest.fixture
def settings(tmp_path: Path, qapp: QApplication) -> AppSettings:
    return AppSettings(Profile.from_dir(tmp_path / "profile").ensure())


def window_colour() -> QColor:
    return QGuiApplication.palette().color(Role.Window)


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours."""

    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_look_is_dark_by_default(app: QApplication, os_says: list[Qt.ColorScheme]) -> None:
    assert theme.apply_theme(app) == Qt.ColorScheme.Dark
    assert window_colour().lightness() < 80
    assert window_colour() != QColor("black")  # a dark grey, not black
    style = app.style()
    assert isinstance(style, theme.ThemeStyle) and style.baseStyle().name().lower() == "fusion"


def test_auto_follows_the_os_where_it_says_light_or_dark(app: QApplication, os_says: list[Qt.ColorScheme]) -> None:
    os_says[0] = Qt.ColorScheme.Light
    assert theme.apply_theme(app, "auto") == Qt.ColorScheme.Light
    assert window_colour().lightness() > 200
    os_says[0] = Qt.ColorScheme.Dark
    assert theme.apply_theme(app, "auto") == Qt.ColorScheme.Dark
    assert is_dark(QGuiApplication.palette())


@pytest.mark.parametrize(
    ("appearance", "os_scheme", "shown"),
    [
        ("dark", Qt.ColorScheme.Light, Qt.ColorScheme.Dark),
        ("light", Qt.ColorScheme.Dark, Qt.ColorScheme.Light),
        ("light", Qt.ColorScheme.Unknown, Qt.ColorScheme.Light),
    ],
)
def test_the_setting_overrides_the_os(
    app: QApplication,
    os_says: list[Qt.ColorScheme],
    appearance: str,
    os_scheme: Qt.ColorScheme,
    shown: Qt.ColorScheme,
) -> None:
    os_says[0] = os_scheme
    assert theme.apply_theme(app, appearance) == shown
    assert is_dark(QGuiApplication.palette()) == (shown == Qt.ColorScheme.Dark)


def test_the_setting_is_applied_at_start_and_live_when_changed(
    app: QApplication, os_says: list[Qt.ColorScheme], settings: AppSettings
) -> None:
    assert settings.appearance == "auto"
    follower = theme.install(app, settings)
    assert follower.scheme == Qt.ColorScheme.Dark and is_dark(QGuiApplication.palette())
    settings.appearance = "light"
    assert follower.scheme == Qt.ColorScheme.Light and not is_dark(QGuiApplication.palette())
    settings.appearance = "dark"
    assert is_dark(QGuiApplication.palette())


def test_auto_follows_the_os_while_running_and_a_chosen_look_does_not(
    app: QApplication, os_says: list[Qt.ColorScheme], settings: AppSettings
) -> None:
    theme.install(app, settings)
    hints = QGuiApplication.styleHints()
    os_says[0] = Qt.ColorScheme.Light
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert not is_dark(QGuiApplication.palette())
    settings.appearance = "dark"
    os_says[0] = Qt.ColorScheme.Light
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert is_dark(QGuiApplication.palette())


def test_an_unknown_stored_appearance_reads_as_auto(settings: AppSettings) -> None:
    settings.qsettings.setValue("appearance", "purple")
    assert settings.appearance == "auto"
    with pytest.raises(ValueError):
        settings.appearance = "purple"


@pytest.mark.parametrize("scheme", [Qt.ColorScheme.Dark, Qt.ColorScheme.Light])
def test_text_of_every_kind_is_readable_on_both_palettes(scheme: Qt.ColorScheme, qapp: QApplication) -> None:
    palette = theme.build_palette(scheme)
    window, base = palette.color(Role.Window), palette.color(Role.Base)
    assert contrast(palette.color(Role.WindowText), window) >= 7
    assert contrast(palette.color(Role.Text), base) >= 7
    assert contrast(palette.color(Role.HighlightedText), palette.color(Role.Highlight)) >= 4.5
    assert contrast(palette.color(Group.Disabled, Role.WindowText), window) >= 3  # readable, if quieter
    assert contrast(palette.color(Group.Disabled, Role.ButtonText), palette.color(Group.Disabled, Role.Button)) >= 3
    assert contrast(muted_text_color(palette), window) >= 3.5
    for tone in (Tone.ERROR, Tone.WARNING):
        assert contrast(text_color(tone, palette), window) >= 3
    assert contrast(palette.color(Role.Link), base) >= 4.5
    assert palette.color(Role.Highlight) == QColor(theme.ACCENT)  # one accent on both


def test_a_switch_recolours_muted_and_error_text_already_on_screen(
    app: QApplication, os_says: list[Qt.ColorScheme], qtbot: QtBot
) -> None:
    theme.apply_theme(app, "dark")
    note, error = QLabel("a note"), QLabel("an error")
    note.setPalette(muted_palette(note))
    red = error.palette()
    red.setColor(Role.WindowText, error_color(red))
    error.setPalette(red)
    theme.apply_theme(app, "light")
    QApplication.processEvents()  # Qt hands the new application palette to widgets by event
    light = QGuiApplication.palette()
    assert note.palette().color(Role.WindowText) == muted_text_color(light)
    assert error.palette().color(Role.WindowText) == error_color(light)
    assert note.palette().color(Role.Window) == light.color(Role.Window)  # only the text was set, the rest follows


def ink(icon: QIcon, mode: QIcon.Mode = QIcon.Mode.Normal) -> QColor:
    """The colour of the icon's most opaque pixel."""
    image = icon.pixmap(QSize(16, 16), mode).toImage()
    best = max((image.pixelColor(x, y) for y in range(image.height()) for x in range(image.width())), key=QColor.alpha)
    assert best.alpha() > 200
    return QColor(best.red(), best.green(), best.blue())


def near(a: QColor, b: QColor) -> bool:
    """Equal but for the rounding of premultiplied alpha."""
    return max(abs(a.red() - b.red()), abs(a.green() - b.green()), abs(a.blue() - b.blue())) <= 2


def test_monochrome_icons_take_the_text_colour_of_the_palette_shown(
    app: QApplication, os_says: list[Qt.ColorScheme]
) -> None:
    theme.apply_theme(app, "dark")
    play = app.style().standardIcon(QStyle.StandardPixmap.SP_MediaPlay)
    assert ink(play) == QGuiApplication.palette().color(Role.ButtonText)
    assert ink(play).lightness() > 200  # light on the dark palette: the stock glyph is black
    assert ink(play, QIcon.Mode.Disabled) == QGuiApplication.palette().color(Group.Disabled, Role.ButtonText)
    loop = app.style().standardIcon(QStyle.StandardPixmap.SP_BrowserReload)  # blue in Fusion, beside the glyphs
    assert near(ink(loop), QGuiApplication.palette().color(Role.ButtonText))
    theme.apply_theme(app, "light")
    assert ink(play).lightness() < 60  # the same icon, drawn again after the switch


def test_coloured_icons_are_left_as_they_are(app: QApplication, os_says: list[Qt.ColorScheme]) -> None:
    theme.apply_theme(app, "dark")
    style = app.style()
    assert not theme.is_glyph(style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
    assert not theme.is_glyph(style.standardIcon(QStyle.StandardPixmap.SP_DirIcon))
    assert theme.is_glyph(QStyle.standardIcon(style.baseStyle(), QStyle.StandardPixmap.SP_MediaPause))


def test_the_settings_dialog_offers_the_appearance_and_the_window_follows_on_ok(
    app: QApplication,
    os_says: list[Qt.ColorScheme],
    settings: AppSettings,
    memory_keyring: MemoryKeyring,
    qtbot: QtBot,
) -> None:
    theme.install(app, settings)
    dialog = SettingsDialog(settings, SecretStore(), initial_tab="appearance")
    qtbot.addWidget(dialog)
    page = dialog.appearance_page
    assert dialog.tabs.currentWidget().widget() is page  # type: ignore[attr-defined]  # (in its scroll area)
    assert page.appearance() == "auto"
    assert [page.appearance_combo.itemData(i) for i in range(page.appearance_combo.count())] == [
        "auto",
        "dark",
        "light",
    ]
    page.set_appearance("light")
    assert is_dark(QGuiApplication.palette())  # nothing changes before OK
    dialog.accept()
    assert settings.appearance == "light" and not is_dark(QGuiApplication.palette())
    again = SettingsDialog(settings, SecretStore())
    qtbot.addWidget(again)
    assert again.appearance_page.appearance() == "light"


def test_a_switch_reaches_fields_with_a_style_sheet_and_their_red_frame(
    app: QApplication, os_says: list[Qt.ColorScheme], qtbot: QtBot
) -> None:
    """A style sheet (field_errors' red frame) pins the palette a widget was polished with: without a fresh
    polish the prompt box would stay dark grey in the light theme."""
    theme.apply_theme(app, "dark")
    valid, invalid = QLineEdit(), QLineEdit()
    for edit in (valid, invalid):
        qtbot.addWidget(edit)
        edit.show()
    mark_invalid(valid, False)
    mark_invalid(invalid, True)
    dark_red = error_color(QGuiApplication.palette()).name()
    assert dark_red in invalid.styleSheet()
    theme.apply_theme(app, "light")
    light = QGuiApplication.palette()
    assert valid.palette().color(Role.Base) == light.color(Role.Base)
    assert invalid.palette().color(Role.Base) == light.color(Role.Base)
    assert error_color(light).name() in invalid.styleSheet() and dark_red not in invalid.styleSheet()


def test_frame_pictures_and_the_detail_hint_follow_a_switch(app: QApplication, os_says: list[Qt.ColorScheme]) -> None:
    theme.apply_theme(app, "dark")
    picture = frame_icon(16, 9, QColor("white"))
    detail = TaskDetail()
    assert near(ink(picture), QGuiApplication.palette().color(Role.ButtonText))  # not the white it was drawn in
    theme.apply_theme(app, "light")
    assert near(ink(picture), QGuiApplication.palette().color(Role.ButtonText))
    assert muted_text_color(QGuiApplication.palette()).name() in detail.text()

"""FormPane: the fields scroll, the Generate row under them stays in view; Tab and Ctrl+Return reach it as when
the row sits in the form itself."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QSpinBox
from pytestqt.qtbot import QtBot

from sora2_desktop.ui.compose.form_pane import FormPane
from sora2_desktop.ui.compose.generation_form import GenerationForm


@pytest.fixture
def form(qtbot: QtBot) -> GenerationForm:
    made = GenerationForm()
    qtbot.addWidget(made)
    return made


@pytest.fixture
def pane(qtbot: QtBot, form: GenerationForm) -> FormPane:
    """The pane at the composer's size in a 1024×700 window: shorter than the form."""
    made = FormPane(form)
    qtbot.addWidget(made)
    made.resize(420, 320)
    made.show()
    qtbot.waitActive(made)
    return made


def generate_in_view(pane: FormPane, form: GenerationForm) -> bool:
    button = form.footer.button
    corners = (button.mapTo(pane, QPoint(0, 0)), button.mapTo(pane, QPoint(button.width(), button.height())))
    return button.isVisible() and all(pane.rect().contains(corner) for corner in corners)


def test_alone_the_form_keeps_its_generate_row_at_its_foot(form: GenerationForm) -> None:
    assert form.isAncestorOf(form.footer)


def test_generate_stays_in_view_however_far_the_fields_scroll(pane: FormPane, form: GenerationForm) -> None:
    bar = pane.scroll_area.verticalScrollBar()
    assert form.height() > pane.scroll_area.viewport().height() and bar.maximum() > 0  # the fields do scroll
    assert not pane.scroll_area.isAncestorOf(form.footer)
    for value in (bar.minimum(), bar.maximum()):
        bar.setValue(value)
        assert generate_in_view(pane, form)


def test_tab_goes_from_the_last_field_to_generate_and_back(qtbot: QtBot, pane: FormPane, form: GenerationForm) -> None:
    takes = form.findChild(QSpinBox)
    takes.setFocus()
    qtbot.waitUntil(takes.hasFocus)
    qtbot.keyClick(takes, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.footer.button
    qtbot.keyClick(form.footer.button, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is takes


def test_ctrl_return_generates_once_from_the_fields_and_from_the_generate_row(
    qtbot: QtBot, pane: FormPane, form: GenerationForm
) -> None:
    asked: list[bool] = []
    form.generate_requested.connect(lambda: asked.append(True))
    for widget in (form.prompt_editor.editor(), form.footer.button):
        widget.setFocus()
        qtbot.waitUntil(widget.hasFocus)
        qtbot.keyClick(widget, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(asked) == 2


def test_busy_and_cost_show_in_the_row_under_the_scroll_area(pane: FormPane, form: GenerationForm) -> None:
    form.set_cost("≈$0.15")
    form.set_busy(True)
    assert form.footer.button.text() == "&Generate  ≈$0.15" and not form.footer.button.isEnabled()
    form.show_general_error("The service is busy.")
    assert form.field_error("") == "The service is busy." and generate_in_view(pane, form)

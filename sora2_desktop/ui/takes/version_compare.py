"""VersionCompare: two takes' prompt versions side by side with the changed words marked, and the settings
they were made with differently, so a person sees what the edit did."""

from __future__ import annotations

import html

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGridLayout, QLabel, QTextBrowser, QWidget

from sora2_desktop.core.tasks.task import Task
from sora2_desktop.ui.common.palette import Tone, mark_color, muted_palette
from sora2_desktop.ui.takes.prompt_diff import Change, Piece, diff_words
from sora2_desktop.ui.takes.settings_diff import settings_differences

# Tinted backgrounds under the text's own colour: they read on the dark and the light theme alike.
_REMOVED = mark_color(Tone.ERROR)
_ADDED = mark_color(Tone.OK)


def _tint(color: QColor) -> str:
    return f"rgba({color.red()},{color.green()},{color.blue()},0.35)"


def pieces_html(pieces: list[Piece]) -> str:
    """The prompt as HTML: removed words struck through on red, added words on green; the spaces after a
    marked word stay unmarked so the marks hug the words."""
    out = []
    for piece in pieces:
        if piece.change == Change.SAME:
            out.append(html.escape(piece.text))
            continue
        words = piece.text.rstrip()
        tail = piece.text[len(words) :]
        if piece.change == Change.REMOVED:
            style = f"background-color:{_tint(_REMOVED)}; text-decoration:line-through"
        else:
            style = f"background-color:{_tint(_ADDED)}"
        out.append(f'<span style="{style}">{html.escape(words)}</span>{html.escape(tail)}')
    return "<p style='white-space:pre-wrap'>" + "".join(out) + "</p>"


class VersionCompare(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.left_title = QLabel(self)
        self.right_title = QLabel(self)
        self.left_prompt = QTextBrowser(self)
        self.right_prompt = QTextBrowser(self)
        for browser in (self.left_prompt, self.right_prompt):
            browser.setOpenLinks(False)
            browser.setMinimumHeight(60)
        self.left_prompt.setAccessibleName(self.tr("Prompt of the first take, removed words marked"))
        self.right_prompt.setAccessibleName(self.tr("Prompt of the second take, added words marked"))
        self.settings_label = QLabel(self)
        self.settings_label.setWordWrap(True)
        self.settings_label.setPalette(muted_palette(self.settings_label))
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.left_title, 0, 0)
        grid.addWidget(self.right_title, 0, 1)
        grid.addWidget(self.left_prompt, 1, 0)
        grid.addWidget(self.right_prompt, 1, 1)
        grid.addWidget(self.settings_label, 2, 0, 1, 2)

    def show_pair(self, left: Task, right: Task, left_title: str, right_title: str) -> None:
        """`left` is the older take (its removed words marked), `right` the newer (its added words marked)."""
        self.left_title.setText(left_title)
        self.right_title.setText(right_title)
        old, new = diff_words(left.request.prompt, right.request.prompt)
        self.left_prompt.setHtml(pieces_html(old))
        self.right_prompt.setHtml(pieces_html(new))
        differences = settings_differences(left.request, right.request)
        if not differences:
            self.settings_label.setText(self.tr("Same settings."))
            return
        lines = [
            self.tr("{label}: {left} → {right}").format(label=d.label, left=d.left, right=d.right) for d in differences
        ]
        self.settings_label.setText(self.tr("Settings that differ: {lines}").format(lines="; ".join(lines)))

"""The shortcut sheet: every registered key (ui/common/shortcuts.py) by group, searchable; F1 or ? opens it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sora2_desktop.ui.common.empty_state import EmptyState
from sora2_desktop.ui.common.shortcuts import Shortcut, all_shortcuts
from sora2_desktop.ui.common.theme import MARGIN, SPACING

SHEET_KEYS = ("F1", "?")


def key_text(keys: str) -> str:
    """`keys` as the platform writes them (⌘ on macOS); alternatives ("F1, ?") stay separated by commas.
    A key Qt cannot read ("K+J": hold K, press J) is shown as it was written."""
    shown = []
    for alternative in keys.split(", "):
        native = QKeySequence(alternative).toString(QKeySequence.SequenceFormat.NativeText)
        shown.append(native or alternative)
    return ", ".join(shown)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Shortcuts", text)


class ShortcutSheet(QDialog):
    """Lists `shortcuts` (all registered ones by default) under their groups; the search box filters by key,
    action or group as one types. Not modal: it can stay open beside the window while one learns the keys."""

    def __init__(self, parent: QWidget | None = None, shortcuts: list[Shortcut] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutSheet")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("Search keys or actions"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName(self.tr("Search shortcuts"))
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([self.tr("Keys"), self.tr("Action")])
        self.tree.setRootIsDecorated(False)
        self.tree.setItemsExpandable(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        self._fill(all_shortcuts() if shortcuts is None else shortcuts)
        self.empty_state = EmptyState(self.tree, self._empty_text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(SPACING)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.search_edit.textChanged.connect(self.filter)
        self.resize(560, 620)
        self.search_edit.setFocus()

    def _fill(self, shortcuts: list[Shortcut]) -> None:
        groups: dict[str, QTreeWidgetItem] = {}
        for shortcut in shortcuts:
            group = groups.get(shortcut.group)
            if group is None:
                group = groups[shortcut.group] = QTreeWidgetItem(self.tree, [_tr(shortcut.group)])
                group.setFirstColumnSpanned(True)
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
            row = QTreeWidgetItem(group, [key_text(shortcut.keys), _tr(shortcut.what)])
            row.setData(0, Qt.ItemDataRole.UserRole, shortcut)
            row.setToolTip(1, _tr(shortcut.what))
        self.tree.expandAll()

    def filter(self, text: str) -> None:
        """Show the rows whose keys, action or group contain every word of `text` (any case)."""
        words = text.casefold().split()
        for group, rows in self._groups():
            any_shown = False
            for row in rows:
                shortcut = row.data(0, Qt.ItemDataRole.UserRole)
                haystack = " ".join((row.text(0), row.text(1), group.text(0), shortcut.keys)).casefold()
                shown = all(word in haystack for word in words)
                row.setHidden(not shown)
                any_shown = any_shown or shown
            group.setHidden(not any_shown)
        self.empty_state.refresh()

    def visible_rows(self) -> list[tuple[str, str]]:
        """(keys, action) of every row shown now, top to bottom."""
        return [
            (row.text(0), row.text(1))
            for group, rows in self._groups()
            for row in rows
            if not group.isHidden() and not row.isHidden()
        ]

    def _groups(self) -> list[tuple[QTreeWidgetItem, list[QTreeWidgetItem]]]:
        groups = [self.tree.topLevelItem(g) for g in range(self.tree.topLevelItemCount())]
        return [
            (group, [row for r in range(group.childCount()) if (row := group.child(r)) is not None])
            for group in groups
            if group is not None
        ]

    def _empty_text(self) -> str | None:
        if any(not group.isHidden() for group, _ in self._groups()):
            return None
        if self.search_edit.text().strip():
            return self.tr("No shortcut matches “{0}”.").format(self.search_edit.text().strip())
        return self.tr("No shortcuts are registered.")


class SheetOpener:
    """The Help ▸ Keyboard shortcuts action (F1) and the ? key for `window`; one sheet at a time, raised again
    when asked for while open.

    ? is a shortcut of the window: a text field takes a typed ? for itself before any shortcut sees it (Qt's
    ShortcutOverride), so ? opens the sheet only where it would type nothing."""

    def __init__(self, window: QWidget) -> None:
        self._window = window
        self.sheet: ShortcutSheet | None = None
        self.action = QAction(window.tr("&Keyboard shortcuts"), window)
        self.action.setShortcut(QKeySequence(SHEET_KEYS[0]))
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action.triggered.connect(self.open)
        window.addAction(self.action)
        self.question = QShortcut(window)
        # ? is Shift+/ on many layouts: a key map that keeps the Shift (Qt's generic one) reports "Shift+?".
        self.question.setKeys([QKeySequence(SHEET_KEYS[1]), QKeySequence("Shift+" + SHEET_KEYS[1])])
        self.question.activated.connect(self.open)

    def open(self) -> ShortcutSheet:
        if self.sheet is None:
            self.sheet = ShortcutSheet(self._window)
            self.sheet.finished.connect(self._forget)
        self.sheet.show()
        self.sheet.raise_()
        self.sheet.activateWindow()
        return self.sheet

    def _forget(self) -> None:
        if self.sheet is not None:
            self.sheet.deleteLater()
            self.sheet = None

"""LibraryListModel: the library entries the panel lists (one search's result), a row each."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from sora2_desktop.core.prompts.entry import PromptEntry

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1  # the PromptEntry itself
TOOLTIP_CHARS = 400  # a long prompt's tooltip is cut: the preview shows it whole


class LibraryListModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[PromptEntry] = []

    def set_entries(self, entries: list[PromptEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entry_at(self, row: int) -> PromptEntry | None:
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def row_of(self, entry_id: str) -> int:
        """The row showing `entry_id`, or -1."""
        return next((row for row, entry in enumerate(self._entries) if entry.id == entry_id), -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._entries)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        entry = self.entry_at(index.row()) if index.isValid() else None
        if entry is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return entry.title
        if role == Qt.ItemDataRole.ToolTipRole:
            text = entry.text
            return text if len(text) <= TOOLTIP_CHARS else text[:TOOLTIP_CHARS] + "…"
        if role == ENTRY_ROLE:
            return entry
        return None

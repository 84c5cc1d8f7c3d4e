"""ImageListView: the reference-image list, with its keys and its drag and drop (reorder inside, files in)."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, QSize, Qt, Signal
from PySide6.QtGui import (
    QDrag,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

THUMBNAIL_SIZE = 48  # the side of the list's icons; the picker decodes thumbnails to it


def sources_from_mime(mime: QMimeData) -> list[str]:
    """Local paths and web addresses in a drop or the clipboard: file or web URLs, else lines of text."""
    sources = []
    if mime.hasUrls():
        for url in mime.urls():
            if url.isLocalFile():
                sources.append(url.toLocalFile())
            elif url.scheme() in ("http", "https"):
                sources.append(url.toString())
    if not sources and mime.hasText():
        sources = [line.strip() for line in mime.text().splitlines() if line.strip()]
    return sources


class ImageListView(QListView):
    """The list: Delete removes, Ctrl+V pastes, Ctrl+Up/Down and dragging reorder, files and links drop in."""

    sources_dropped = Signal(list)
    move_requested = Signal(int, int)  # from row, to row
    remove_requested = Signal()
    paste_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.empty_text = ""
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDropIndicatorShown(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setIconSize(QSize(THUMBNAIL_SIZE, THUMBNAIL_SIZE))
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setUniformItemSizes(True)
        self.setSpacing(2)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row = self.currentIndex().row()
        if event.matches(QKeySequence.StandardKey.Delete) or event.key() == Qt.Key.Key_Backspace:
            self.remove_requested.emit()
        elif event.matches(QKeySequence.StandardKey.Paste):
            self.paste_requested.emit()
        elif event.modifiers() == Qt.KeyboardModifier.ControlModifier and event.key() in (
            Qt.Key.Key_Up,
            Qt.Key.Key_Down,
        ):
            if row >= 0:
                self.move_requested.emit(row, row - 1 if event.key() == Qt.Key.Key_Up else row + 1)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def startDrag(self, supportedActions: Qt.DropAction) -> None:
        indexes = self.selectedIndexes()
        if not indexes:
            return
        drag = QDrag(self)
        drag.setMimeData(self.model().mimeData(indexes))
        icon = indexes[0].data(Qt.ItemDataRole.DecorationRole)
        if isinstance(icon, QIcon):
            drag.setPixmap(icon.pixmap(self.iconSize()))
        # Copy, never Move: a finished Move makes the view delete the dragged rows, but dropEvent moves them.
        drag.exec(Qt.DropAction.CopyAction)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.source() is self:
            super().dragEnterEvent(event)
        else:
            self._accept_external(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.source() is self:
            super().dragMoveEvent(event)
        else:
            self._accept_external(event)

    def dropEvent(self, event: QDropEvent) -> None:
        if event.source() is self:
            row = self.currentIndex().row()
            target = self._drop_row(event.position().toPoint())
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            self.setState(QAbstractItemView.State.NoState)
            self.viewport().update()
            if row >= 0:
                self.move_requested.emit(row, target - 1 if target > row else target)
        elif self._accept_external(event):
            self.sources_dropped.emit(sources_from_mime(event.mimeData()))

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.model() is not None and self.model().rowCount() == 0 and self.empty_text:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            painter.drawText(self.viewport().rect().adjusted(8, 8, -8, -8), flags, self.empty_text)

    def _accept_external(self, event: QDropEvent) -> bool:
        # Always Copy: accepting a file manager's Move could make it delete the person's original file.
        if sources_from_mime(event.mimeData()) and event.possibleActions() & Qt.DropAction.CopyAction:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            return True
        event.ignore()
        return False

    def _drop_row(self, position: QPoint) -> int:
        index = self.indexAt(position)
        if not index.isValid():
            return self.model().rowCount()
        return index.row() + (1 if position.y() > self.visualRect(index).center().y() else 0)

"""LibraryPanel: the prompt library as a dialog — search, a tag filter, the list, a preview; Insert at the prompt's
cursor, save the prompt (or the selected passage), edit, delete with undo. All of it from the keyboard: type to
search, ↑/↓ to choose, Enter to insert, F2 to edit, Delete to delete, Ctrl+Z to bring it back, Esc to close."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QDateTime, QEvent, QItemSelectionModel, QLocale, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from sora2_desktop.core.prompts.entry import PromptEntry, ReadOnlyEntryError
from sora2_desktop.core.prompts.library import PromptLibrary
from sora2_desktop.ui.common.field_errors import ErrorLabel
from sora2_desktop.ui.common.shortcuts import Shortcut, register
from sora2_desktop.ui.common.undo_bar import UndoBar
from sora2_desktop.ui.prompts.entry_dialog import EntryDialog
from sora2_desktop.ui.prompts.library_model import LibraryListModel

GROUP_LIBRARY = "Prompt library"
register(
    Shortcut("Return", "Insert the chosen entry at the prompt's cursor", GROUP_LIBRARY),
    Shortcut("F2", "Edit the chosen entry", GROUP_LIBRARY),
    Shortcut("Delete", "Delete the chosen entry", GROUP_LIBRARY),
    Shortcut("Ctrl+Z", "Bring back the deleted entry", GROUP_LIBRARY),
)

_MOVE_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)


class PromptTarget(Protocol):
    """What the panel needs of the prompt editor (ui/compose/prompt_editor.py) — and what tests fake."""

    def text(self) -> str: ...
    def selected_text(self) -> str: ...
    def insert_term(self, term: str, label: str | None = None) -> bool: ...
    def notice(self) -> str: ...
    def focus_editor(self) -> None: ...


class LibraryPanel(QDialog):
    def __init__(self, library: PromptLibrary, target: PromptTarget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._target = target
        self._dialog: EntryDialog | None = None  # the save/edit dialog while it is open
        self.setWindowTitle(self.tr("Prompt library"))
        self.resize(720, 460)

        self.search_field = QLineEdit(self)
        self.search_field.setPlaceholderText(self.tr("Search titles, text and tags"))
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setAccessibleName(self.tr("Search the library"))
        self.tag_combo = QComboBox(self)
        self.tag_combo.setAccessibleName(self.tr("Tag"))
        self.model = LibraryListModel(self)
        self.list_view = QListView(self)
        self.list_view.setModel(self.model)
        self.list_view.setAccessibleName(self.tr("Library entries"))
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setUniformItemSizes(True)
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview = QPlainTextEdit(self)
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName(self.tr("Preview"))
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_note = QLabel(self)  # what to do when nothing is listed
        self.empty_note.setWordWrap(True)
        self.message = ErrorLabel(self)  # a refused insert, a failed save, a file set aside
        self.undo_bar = UndoBar(self)
        self.undo_bar.undo_button.setToolTip(self.tr("Bring the deleted entry back (Ctrl+Z)"))

        self.insert_button = QPushButton(self.tr("&Insert"), self)
        self.insert_button.setToolTip(self.tr("Insert at the prompt's cursor (Enter)"))
        self.save_button = QPushButton(self.tr("&Save prompt…"), self)
        self.save_button.setToolTip(self.tr("Save the prompt, or the passage selected in it, to the library"))
        self.edit_button = QPushButton(self.tr("&Edit…"), self)
        self.edit_button.setToolTip(self.tr("Change the title, tags or text (F2)"))
        self.delete_button = QPushButton(self.tr("&Delete"), self)
        self.delete_button.setToolTip(self.tr("Delete from the library (Delete); Undo brings it back"))
        close_button = QPushButton(self.tr("Close"), self)
        for button in (self.save_button, self.edit_button, self.delete_button, close_button):
            button.setAutoDefault(False)  # Enter means Insert, wherever the focus is
        self.insert_button.setDefault(True)

        filters = QHBoxLayout()
        search_label = QLabel(self.tr("Searc&h:"), self)
        search_label.setBuddy(self.search_field)
        tag_label = QLabel(self.tr("T&ag:"), self)
        tag_label.setBuddy(self.tag_combo)
        filters.addWidget(search_label)
        filters.addWidget(self.search_field, 1)
        filters.addWidget(tag_label)
        filters.addWidget(self.tag_combo)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.preview, 1)
        right_layout.addWidget(self.details)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list_view, 1)
        left_layout.addWidget(self.empty_note)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([300, 420])
        buttons = QHBoxLayout()
        buttons.addWidget(self.insert_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.undo_bar)
        layout.addLayout(buttons)

        self.search_field.textChanged.connect(self._refresh)
        self.search_field.installEventFilter(self)  # ↑/↓ move in the list while the search keeps the focus
        self.tag_combo.currentIndexChanged.connect(self._refresh)
        self.list_view.doubleClicked.connect(lambda _index: self.insert_chosen())
        self.list_view.selectionModel().currentChanged.connect(self._show_chosen)  # the model is reset, never replaced
        self.list_view.installEventFilter(self)
        self.insert_button.clicked.connect(self.insert_chosen)
        self.save_button.clicked.connect(self.save_prompt)
        self.edit_button.clicked.connect(self.edit_chosen)
        self.delete_button.clicked.connect(self.delete_chosen)
        close_button.clicked.connect(self.reject)
        self.undo_bar.undo_clicked.connect(self.undo_delete)
        QShortcut(QKeySequence("F2"), self, self.edit_chosen)
        # On the list only: in the search field Ctrl+Z undoes typing.
        QShortcut(QKeySequence.StandardKey.Undo, self.list_view, self.undo_delete, Qt.ShortcutContext.WidgetShortcut)
        library.changed.connect(self._on_library_changed)
        library.save_failed.connect(self._on_save_failed)

        self._fill_tags()
        self._refresh()
        if library.set_aside is not None:
            self.message.show_message(
                self.tr("The library file could not be read; it was kept as {0} and a new library started.").format(
                    library.set_aside.name
                )
            )
        self.search_field.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- what the person does ---------------------------------------------------------------------------------

    def chosen(self) -> PromptEntry | None:
        return self.model.entry_at(self.list_view.currentIndex().row())

    def choose(self, entry_id: str) -> bool:
        """Make `entry_id` the chosen row (False when the current search does not list it)."""
        row = self.model.row_of(entry_id)
        if row < 0:
            return False
        self.list_view.selectionModel().setCurrentIndex(
            self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        return True

    def insert_chosen(self) -> None:
        """Insert the chosen entry at the prompt's cursor and close; a refusal (the model's limit) is shown here
        in the editor's own words, and the panel stays open."""
        entry = self.chosen()
        if entry is None:
            return
        if not self._target.insert_term(entry.text, entry.title):
            self.message.show_message(self._target.notice())
            return
        self._library.mark_used(entry.id)
        self.accept()
        self._target.focus_editor()

    def save_prompt(self) -> None:
        """Ask a title and tags for the prompt's selected passage, or the whole prompt, and save it."""
        text = self._target.selected_text() or self._target.text()
        dialog = self._open_dialog(self.tr("Save to the prompt library"), text)
        dialog.accepted.connect(lambda: self._saved(self._library.add(dialog.text(), dialog.title(), dialog.tags())))

    def edit_chosen(self) -> None:
        entry = self.chosen()
        if entry is None or entry.builtin:
            return
        dialog = self._open_dialog(self.tr("Edit library entry"), entry.text, title=entry.title, tags=entry.tags)
        dialog.accepted.connect(
            lambda: self._saved(
                self._library.edit(entry.id, title=dialog.title(), text=dialog.text(), tags=dialog.tags())
            )
        )

    def delete_chosen(self) -> None:
        entry = self.chosen()
        if entry is None or entry.builtin:
            return
        row = self.list_view.currentIndex().row()
        try:
            self._library.remove(entry.id)
        except (KeyError, ReadOnlyEntryError):
            return  # gone already, or built in: the buttons say so by being disabled
        self.undo_bar.show_message(self.tr("“{0}” was deleted from the library.").format(entry.title))
        following = self.model.entry_at(min(row, self.model.rowCount() - 1))
        if following is not None:
            self.choose(following.id)

    def undo_delete(self) -> None:
        entry = self._library.undo_remove()
        self.undo_bar.dismiss()
        if entry is not None:
            self._saved(entry)

    def entry_dialog(self) -> EntryDialog | None:
        """The save or edit dialog while it is open."""
        return self._dialog

    # -- internals --------------------------------------------------------------------------------------------

    def _open_dialog(self, heading: str, text: str, *, title: str = "", tags: tuple[str, ...] = ()) -> EntryDialog:
        known = [self._library.tag_title(tag) for tag in self._library.tags()]
        dialog = EntryDialog(heading, text, title=title, tags=tags, known_tags=known, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._dialog_closed)
        self._dialog = dialog
        dialog.open()
        return dialog

    def _dialog_closed(self) -> None:
        self._dialog = None
        self.list_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _saved(self, entry: PromptEntry) -> None:
        """Show `entry` chosen, clearing a search or tag that would hide it."""
        if not self.choose(entry.id):
            self.search_field.clear()
            self.tag_combo.setCurrentIndex(0)
            self.choose(entry.id)

    def _fill_tags(self) -> None:
        current = self.tag_combo.currentData()
        self.tag_combo.blockSignals(True)  # one refresh after, not one per item
        self.tag_combo.clear()
        self.tag_combo.addItem(self.tr("All tags"), None)
        for tag in self._library.tags():
            self.tag_combo.addItem(self._library.tag_title(tag), tag)
        index = self.tag_combo.findData(current) if current is not None else 0
        self.tag_combo.setCurrentIndex(max(index, 0))
        self.tag_combo.blockSignals(False)

    def _refresh(self) -> None:
        chosen = self.chosen()
        self.model.set_entries(self._library.search(self.search_field.text(), self.tag_combo.currentData()))
        if not (chosen is not None and self.choose(chosen.id)) and self.model.rowCount():
            self.list_view.setCurrentIndex(self.model.index(0))
        self.empty_note.setText(
            ""
            if self.model.rowCount()
            else self.tr("Nothing matches. Change the search or the tag, or save the prompt you are writing.")
        )
        self.empty_note.setVisible(not self.model.rowCount())
        self._show_chosen()

    def _show_chosen(self) -> None:
        entry = self.chosen()
        self.preview.setPlainText(entry.text if entry else "")
        self.details.setText(self._describe(entry) if entry else "")
        self.insert_button.setEnabled(entry is not None)
        own = entry is not None and not entry.builtin
        self.edit_button.setEnabled(own)
        self.delete_button.setEnabled(own)

    def _describe(self, entry: PromptEntry) -> str:
        tags = ", ".join(self._library.tag_title(tag) for tag in entry.tags)
        if entry.builtin:
            return self.tr("Built-in prompt craft · {0}").format(tags)
        parts = [self.tr("Tags: {0}").format(tags) if tags else self.tr("No tags")]
        if entry.created is not None:
            parts.append(self.tr("saved {0}").format(_when(entry.created.timestamp())))
        if entry.used is not None:
            parts.append(self.tr("last used {0}").format(_when(entry.used.timestamp())))
        return " · ".join(parts)

    def _on_library_changed(self) -> None:
        self._fill_tags()
        self._refresh()

    def _on_save_failed(self, reason: str) -> None:
        if reason:
            self.message.show_message(self.tr("The library could not be saved: {0}").format(reason))
        else:
            self.message.show_message(
                self.tr("The library file could not be read, so changes are kept only until the app closes.")
            )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.search_field and key in _MOVE_KEYS and self.model.rowCount():
                self.list_view.keyPressEvent(event)  # the list moves; the search keeps the focus
                return True
            if watched is self.list_view and key == Qt.Key.Key_Delete:
                self.delete_chosen()
                return True
            if watched is self.list_view and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.insert_chosen()
                return True
        return super().eventFilter(watched, event)


def _when(timestamp: float) -> str:
    moment = QDateTime.fromSecsSinceEpoch(int(timestamp))
    return QLocale().toString(moment, QLocale.FormatType.ShortFormat)

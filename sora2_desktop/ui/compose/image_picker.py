"""ImagePicker: image-to-video reference images, checked on arrival; thumbnails, drop, paste, reorder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale, QObject, QSize, QStandardPaths, Qt, QThreadPool, QUrl, Signal, Slot
from PySide6.QtGui import (
    QGuiApplication,
    QIcon,
    QImage,
    QImageReader,
    QPixmap,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QToolButton,
    QWidget,
)

from sora2_desktop.core.images.source import ImageSource
from sora2_desktop.ui.common.field_errors import ErrorLabel, mark_invalid
from sora2_desktop.ui.common.palette import muted_palette
from sora2_desktop.ui.compose.image_list_view import THUMBNAIL_SIZE, ImageListView, sources_from_mime

SOURCE_ROLE = Qt.ItemDataRole.UserRole + 1
LOCAL_ROLE = Qt.ItemDataRole.UserRole + 2
STATUS_ROLE = Qt.ItemDataRole.UserRole + 3  # "ok", "pending" (a URL not yet checked) or "bad"
_OK_ICON = QStyle.StandardPixmap.SP_DialogApplyButton
_BAD_ICON = QStyle.StandardPixmap.SP_MessageBoxWarning
_NAME_FILTER = "*.jpg *.jpeg *.png *.webp *.JPG *.JPEG *.PNG *.WEBP"  # Linux dialogs match case-sensitively


class _ThumbnailSink(QObject):
    loaded = Signal(str, QImage)  # emitted from a pool thread; delivered queued on the GUI thread


def _load_thumbnail(path: str, sink: _ThumbnailSink) -> None:
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid() and max(size.width(), size.height()) > THUMBNAIL_SIZE:
        # JPEG decodes straight at this size; no decoder is asked for a full 10 MB picture just to shrink it.
        scaled = size.scaled(THUMBNAIL_SIZE, THUMBNAIL_SIZE, Qt.AspectRatioMode.KeepAspectRatio)
        reader.setScaledSize(QSize(max(1, scaled.width()), max(1, scaled.height())))
    sink.loaded.emit(path, reader.read())


class ImagePicker(QWidget):
    """Reference images: local files are checked at once; web addresses are listed as "to be checked"."""

    entries_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        # Over 60 lines on purpose: the widget's controls are built and laid out in the order they appear on
        # screen, which reads better in one place than split across helpers that each run once.
        super().__init__(parent)
        self._last_folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
        # Created before the sink, so on teardown the pool waits for the jobs that emit to the sink.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._thumbnails = _ThumbnailSink(self)
        self._thumbnails.loaded.connect(self._on_thumbnail)
        self._model = QStandardItemModel(self)
        self._view = ImageListView(self)
        self._view.setModel(self._model)
        self._view.setAccessibleName(self.tr("Reference images"))
        self._view.empty_text = self.tr("Drop JPG, PNG or WebP images here (10\u00a0MB each at most), or add files.")
        self._view.setMinimumHeight(THUMBNAIL_SIZE * 2 + 24)
        self._view.setMinimumWidth(180)

        style = self.style()
        add_button = QPushButton(
            style.standardIcon(QStyle.StandardPixmap.SP_DialogOpenButton), self.tr("Add &files…"), self
        )
        add_button.setToolTip(self.tr("Choose JPG, PNG or WebP images on this computer"))
        self._remove_button = QPushButton(
            style.standardIcon(QStyle.StandardPixmap.SP_TrashIcon), self.tr("&Remove"), self
        )
        self._remove_button.setToolTip(self.tr("Remove the selected image (Delete)"))
        self._up_button = self._tool_button(QStyle.StandardPixmap.SP_ArrowUp, self.tr("Move up (Ctrl+Up)"))
        self._down_button = self._tool_button(QStyle.StandardPixmap.SP_ArrowDown, self.tr("Move down (Ctrl+Down)"))

        self._url_edit = QLineEdit(self)
        self._url_edit.setPlaceholderText(self.tr("https://example.com/still.jpg"))
        self._url_edit.setAccessibleName(self.tr("Image URL"))
        self._url_edit.setClearButtonEnabled(True)
        url_label = QLabel(self.tr("Image &URL:"), self)
        url_label.setBuddy(self._url_edit)
        self._add_url_button = QPushButton(self.tr("Add"), self)
        self._add_url_button.setToolTip(self.tr("Add this web address (Enter); the service must be able to reach it"))
        self._error = ErrorLabel(self)
        self._lineage = QLabel(self)  # where a start image made from a take's frame came from
        self._lineage.setPalette(muted_palette(self._lineage))
        self._lineage.setWordWrap(True)
        self._lineage.hide()

        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._view, 0, 0, 4, 3)
        layout.addWidget(add_button, 0, 3)
        layout.addWidget(self._remove_button, 1, 3)
        arrows = QHBoxLayout()
        arrows.addWidget(self._up_button)
        arrows.addWidget(self._down_button)
        arrows.addStretch(1)
        layout.addLayout(arrows, 2, 3)
        layout.setRowStretch(3, 1)
        layout.addWidget(url_label, 4, 0)
        layout.addWidget(self._url_edit, 4, 1, 1, 2)
        layout.addWidget(self._add_url_button, 4, 3)
        layout.addWidget(self._error, 5, 0, 1, 4)
        layout.addWidget(self._lineage, 6, 0, 1, 4)
        layout.setColumnStretch(1, 1)
        self.setFocusProxy(self._view)

        add_button.clicked.connect(self.choose_files)
        self._remove_button.clicked.connect(self.remove_selected)
        self._up_button.clicked.connect(lambda: self._move_current(-1))
        self._down_button.clicked.connect(lambda: self._move_current(+1))
        self._add_url_button.clicked.connect(self._add_typed_url)
        self._url_edit.returnPressed.connect(self._add_typed_url)
        self._view.sources_dropped.connect(self.add_sources)
        self._view.move_requested.connect(self.move_entry)
        self._view.remove_requested.connect(self.remove_selected)
        self._view.paste_requested.connect(self.paste)
        self._view.selectionModel().currentChanged.connect(self._update_buttons)
        self.entries_changed.connect(self._update_buttons)
        self._update_buttons()

    # -- public API ---------------------------------------------------------------------------------------

    def entries(self) -> list[ImageSource]:
        return [
            ImageSource(self._item(row).data(SOURCE_ROLE), bool(self._item(row).data(LOCAL_ROLE)))
            for row in range(self._model.rowCount())
        ]

    def add_source(self, source: str) -> bool:
        """Add a local path, file:// URL or http(s) URL; a refusal shows its reason and adds nothing."""
        return self.add_sources([source]) == 1

    def add_sources(self, sources: list[str]) -> int:
        """Add each source; every refusal reason is shown together. Returns how many were added."""
        reasons = [reason for reason in map(self._add, sources) if reason]
        added = len(sources) - len(reasons)
        self.set_error("\n".join(reasons) or None)
        if added:
            self.entries_changed.emit()
        return added

    def clear(self) -> None:
        self.set_error(None)
        if self._model.rowCount():
            self._model.removeRows(0, self._model.rowCount())
            self.entries_changed.emit()

    def set_error(self, message: str | None) -> None:
        self._error.show_message(message)
        mark_invalid(self._view, bool(message))
        self._view.setAccessibleDescription(message or "")

    def set_lineage(self, text: str) -> None:
        """ "From SH020 T03 at 00:00:04:12" under the list while the start image made from that frame is listed."""
        self._lineage.setText(text)
        self._lineage.setVisible(bool(text))

    def lineage(self) -> str:
        return self._lineage.text() if not self._lineage.isHidden() else ""

    def error(self) -> str:
        return self._error.text() if not self._error.isHidden() else ""

    def set_entry_status(self, source: str, ok: bool, message: str) -> None:
        """The result of the asynchronous check of a web address (or a later problem with any entry)."""
        for row in range(self._model.rowCount()):
            item = self._item(row)
            if item.data(SOURCE_ROLE) != source:
                continue
            pixmap = _OK_ICON if ok else _BAD_ICON
            if not (ok and item.data(LOCAL_ROLE)):  # a local file keeps its thumbnail when it is fine
                item.setIcon(self.style().standardIcon(pixmap))
            detail = message or (self.tr("Ready") if ok else self.tr("Cannot be used"))
            item.setText(f"{_display_name(source)}\n{detail}")
            item.setToolTip(f"{source}\n{detail}")
            item.setData("ok" if ok else "bad", STATUS_ROLE)

    def remove_selected(self) -> None:
        row = self._current_row()
        if row < 0:
            return
        self._model.removeRow(row)
        self.set_error(None)
        if self._model.rowCount():
            self._view.setCurrentIndex(self._model.index(min(row, self._model.rowCount() - 1), 0))
        self.entries_changed.emit()

    def move_entry(self, row: int, to_row: int) -> None:
        """Move the image at `row` so that it ends up at `to_row` (one change, one entries_changed)."""
        count = self._model.rowCount()
        if not (0 <= row < count and 0 <= to_row < count) or row == to_row:
            return
        self._model.insertRow(to_row, self._model.takeRow(row))
        self._view.setCurrentIndex(self._model.index(to_row, 0))
        self.set_error(None)
        self.entries_changed.emit()

    def paste(self) -> None:
        mime = QGuiApplication.clipboard().mimeData()
        sources = sources_from_mime(mime) if mime is not None else []
        if sources:
            self.add_sources(sources)
        elif mime is not None and mime.hasImage():
            self.set_error(
                self.tr(
                    "A copied picture cannot be used directly: save it as a file and add "
                    "that, or copy the file or the image's web address instead."
                )
            )
        else:
            self.set_error(self.tr("The clipboard holds no image file or web address."))

    def choose_files(self) -> None:
        for path in self._ask_for_files():
            self._last_folder = str(Path(path).parent)
            self.add_source(path)

    def wait_for_thumbnails(self, msecs: int = 5000) -> bool:
        """Block until pending thumbnails are decoded (tests and shutdown); their results arrive queued."""
        return self._pool.waitForDone(msecs)

    # -- internals ----------------------------------------------------------------------------------------

    def _ask_for_files(self) -> list[str]:
        paths, _filter = QFileDialog.getOpenFileNames(
            self,
            self.tr("Add reference images"),
            self._last_folder,
            self.tr("Images ({0});;All files (*)").format(_NAME_FILTER),
        )
        return paths

    def _add(self, source: str) -> str | None:
        """Append one source; the reason it was refused, or None when it was added."""
        text = source.strip().strip("\"'")  # file managers quote the paths they copy
        if not text:
            return self.tr("Give a file path or a web address.")
        url = QUrl(text)
        scheme = url.scheme().lower()
        if "://" in text and scheme not in ("http", "https", "file"):
            return self.tr(
                "“{0}” is a {1}:// address; the service can only fetch http:// and https:// addresses."
            ).format(text, scheme)
        if scheme in ("http", "https"):
            if not url.host():
                return self.tr("“{0}” is not a complete web address.").format(text)
            return self._append(
                ImageSource(text, False),
                self.tr("To be checked"),
                self.style().standardIcon(QStyle.StandardPixmap.SP_FileLinkIcon),
                "pending",
            )
        path = Path(url.toLocalFile() if url.isLocalFile() else text).expanduser()
        if not path.exists() and "/" not in text and "\\" not in text:
            return self.tr(
                "“{0}” is neither an image file nor a web address starting with http:// or https://."
            ).format(text)
        from sora2_desktop.core.images.check import ImageRejected, check_local_image  # httpx: not at start-up

        try:
            checked = check_local_image(path.absolute())
        except ImageRejected as rejected:
            return rejected.reason
        # "KB/MB" counted in 1024s, as the service's "10 MB" limit is; not the IEC "KiB" default.
        detail = QLocale().formattedDataSize(checked.size, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat)
        if checked.width and checked.height:
            detail = self.tr("{0} · {1} × {2}").format(detail, checked.width, checked.height)
        placeholder = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        refused = self._append(ImageSource(checked.source, True), detail, placeholder, "ok")
        if refused is None:
            self._pool.start(lambda: _load_thumbnail(checked.source, self._thumbnails))
        return refused

    def _append(self, entry: ImageSource, detail: str, icon: QIcon, status: str) -> str | None:
        if any(existing.source == entry.source for existing in self.entries()):
            return self.tr("“{0}” is already in the list.").format(_display_name(entry.source))
        item = QStandardItem(icon, f"{_display_name(entry.source)}\n{detail}")
        item.setData(entry.source, SOURCE_ROLE)
        item.setData(entry.is_local, LOCAL_ROLE)
        item.setData(status, STATUS_ROLE)
        item.setToolTip(f"{entry.source}\n{detail}")
        item.setEditable(False)
        item.setDropEnabled(False)  # never a drop target, so a drag lands between rows, not inside one
        self._model.appendRow(item)
        self._view.setCurrentIndex(item.index())
        return None

    def _add_typed_url(self) -> None:
        if self.add_source(self._url_edit.text()):
            self._url_edit.clear()

    @Slot(str, QImage)  # a cross-thread signal's receiver is declared: see poster_frames._Written
    def _on_thumbnail(self, path: str, image: QImage) -> None:
        if image.isNull():
            return  # the placeholder icon stays; the file itself passed the check
        icon = QIcon(QPixmap.fromImage(image))
        for row in range(self._model.rowCount()):
            item = self._item(row)
            if item.data(SOURCE_ROLE) == path and item.data(LOCAL_ROLE):
                item.setIcon(icon)

    def _tool_button(self, pixmap: QStyle.StandardPixmap, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setIcon(self.style().standardIcon(pixmap))
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        return button

    def _item(self, row: int) -> QStandardItem:
        return self._model.item(row)

    def _move_current(self, step: int) -> None:
        row = self._current_row()
        self.move_entry(row, row + step)
        self._view.setFocus()  # the button disables itself at either end: keep the focus somewhere useful

    def _current_row(self) -> int:
        return self._view.currentIndex().row()

    def _update_buttons(self) -> None:
        row, count = self._current_row(), self._model.rowCount()
        self._remove_button.setEnabled(row >= 0)
        self._up_button.setEnabled(row > 0)
        self._down_button.setEnabled(0 <= row < count - 1)


def _display_name(source: str) -> str:
    url = QUrl(source)
    if url.scheme().lower() in ("http", "https"):
        return url.fileName() or url.host()
    return Path(source).name or source

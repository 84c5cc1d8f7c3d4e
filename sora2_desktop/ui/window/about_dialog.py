"""AboutDialog (Help → About): what this build is — version, commit, Qt, PySide6, Python — in text a person can
copy into a bug report, and the Licences tab: Qt's LGPL notice and every third-party licence, searchable."""

from __future__ import annotations

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtGui import QFontDatabase, QGuiApplication, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sora2_desktop import build_info
from sora2_desktop.core.config import licences


class _Loaded(QObject):
    text = Signal(str)  # emitted from the pool thread, delivered queued on the GUI thread


class _ReadLicences(QRunnable):
    """Reads the licence files off the GUI thread (a checkout walks every installed dependency's files)."""

    def __init__(self, loaded: _Loaded) -> None:
        super().__init__()
        self._loaded = loaded

    def run(self) -> None:
        try:
            text = licences.third_party_text()
        except OSError as exc:
            text = f"The third-party licences could not be read: {exc}"
        try:
            self._loaded.text.emit(text)
        except RuntimeError:  # the dialog was closed (and deleted) before the files were read
            return


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About Sora 2 Desktop"))
        self.resize(760, 600)  # the licence texts' 80 columns fit
        self.tabs = QTabWidget()
        self.tabs.addTab(self._about_tab(), self.tr("About"))
        self.tabs.addTab(self._licences_tab(), self.tr("Licences"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self._loaded = _Loaded(self)
        self._loaded.text.connect(self._show_third_party)
        QThreadPool.globalInstance().start(_ReadLicences(self._loaded))

    def _about_tab(self) -> QWidget:
        title = QLabel(self.tr("<b>Sora 2 Desktop</b><br>Generate videos with OpenAI's Sora 2 through the APIXO API."))
        self.details = QPlainTextEdit("\n".join(f"{label}: {value}" for label, value in build_info.details()))
        self.details.setObjectName("aboutDetails")
        self.details.setReadOnly(True)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.copy_button = QPushButton(self.tr("Copy"))
        self.copy_button.setToolTip(self.tr("Copy these lines, e.g. into a bug report"))
        self.copy_button.clicked.connect(self.copy_details)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.copy_button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(title)
        layout.addWidget(self.details, 1)
        layout.addLayout(row)
        return page

    def _licences_tab(self) -> QWidget:
        intro = QLabel(
            self.tr(
                "Sora 2 Desktop is MIT-licensed. It carries the software below under its own licences; Qt and "
                "PySide6 are used under the GNU LGPL v3."
            )
        )
        intro.setWordWrap(True)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Find in the licences (Enter: next)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda: self.find_next(from_start=True))
        self.search.returnPressed.connect(self.find_next)
        self.licences_text = QPlainTextEdit()
        self.licences_text.setObjectName("licencesText")
        self.licences_text.setReadOnly(True)
        self.licences_text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.licences_text.setPlainText(self._compose(self.tr("Reading the third-party licences…")))
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addWidget(self.search)
        layout.addWidget(self.licences_text, 1)
        return page

    def _compose(self, third_party: str) -> str:
        notice = licences.qt_notice() or self.tr("(Qt's LGPL notice is missing from this build.)")
        rule = "=" * 72
        return f"{notice.rstrip()}\n\n{rule}\n{self.tr('Third-party software')}\n{rule}\n\n{third_party}"

    @Slot(str)  # a cross-thread signal's receiver is declared: see poster_frames._Written
    def _show_third_party(self, text: str) -> None:
        self.licences_text.setPlainText(self._compose(text))

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())

    def find_next(self, *, from_start: bool = False) -> bool:
        """Selects the next match of the search text (wrapping round); False when there is none."""
        needle = self.search.text()
        if not needle:
            return False
        view = self.licences_text
        if from_start:
            view.moveCursor(view.textCursor().MoveOperation.Start)
        if view.find(needle):
            return True
        view.moveCursor(view.textCursor().MoveOperation.Start)
        return view.find(needle, QTextDocument.FindFlag(0))

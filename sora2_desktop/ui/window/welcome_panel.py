"""WelcomePanel: the first-start page shown when no API key is configured yet."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from sora2_desktop.ui.common.palette import muted_palette

APIXO_SITE_URL = "https://apixo.ai"
# A paragraph wider than this is tiring to read; the panel centres a column of this width at most.
_COLUMN_MAX_WIDTH = 580


class WelcomePanel(QWidget):
    """Explains the app in one paragraph and offers the two ways in: enter a key, or try the demo."""

    enter_key_requested = Signal()
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomePanel")

        self.title_label = QLabel(self.tr("Sora 2 Desktop"))
        title_font = QFont(self.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 2.2)
        title_font.setBold(True)
        self.title_label.setFont(title_font)
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)

        self.description_label = self._paragraph(
            self.tr(
                "Turn a written prompt, and optionally a few reference images, into a 10 or 15 second video "
                "with OpenAI's Sora 2. Write what you want to see, press Generate, follow the task while it "
                "runs, then play the result and keep the file in your library. Generation runs on the APIXO "
                "service, so you need an APIXO API key."
            )
        )

        self.enter_key_button = self._big_button(self.tr("Enter API key…"))
        self.enter_key_button.setDefault(True)
        self.enter_key_button.clicked.connect(self.enter_key_requested)
        self.demo_button = self._big_button(self.tr("Try demo mode"))
        self.demo_button.clicked.connect(self.demo_requested)

        self.demo_note_label = self._paragraph(
            self.tr(
                "Demo mode runs a local stand-in of the service that answers with a sample video. "
                "It costs nothing and needs no internet connection."
            )
        )
        self.demo_note_label.setPalette(muted_palette(self.demo_note_label))

        self.get_key_label = QLabel(
            self.tr('No key yet? Get one at <a href="{url}">apixo.ai</a>.').format(url=APIXO_SITE_URL)
        )
        self.get_key_label.setTextFormat(Qt.TextFormat.RichText)
        self.get_key_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        # Open the browser only on an explicit click, through the platform's handler.
        self.get_key_label.setOpenExternalLinks(False)
        self.get_key_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.get_key_label.linkActivated.connect(self._open_link)

        self._build_layout()

    def _build_layout(self) -> None:
        buttons = QHBoxLayout()
        buttons.setSpacing(16)
        buttons.addWidget(self.enter_key_button)
        buttons.addWidget(self.demo_button)

        column = QWidget()
        column.setMaximumWidth(_COLUMN_MAX_WIDTH)
        column.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        column_layout = QVBoxLayout(column)
        column_layout.setContentsMargins(0, 0, 0, 0)
        column_layout.setSpacing(20)
        column_layout.addWidget(self.title_label)
        column_layout.addWidget(self.description_label)
        column_layout.addSpacing(12)
        column_layout.addLayout(buttons)
        column_layout.addWidget(self.demo_note_label)
        column_layout.addSpacing(8)
        column_layout.addWidget(self.get_key_label)

        centring_row = QHBoxLayout()
        centring_row.addStretch(1)
        centring_row.addWidget(column, 100)
        centring_row.addStretch(1)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 40, 40, 40)
        outer.addStretch(1)
        outer.addLayout(centring_row)
        outer.addStretch(1)

    def _paragraph(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.1)
        label.setFont(font)
        return label

    def _big_button(self, text: str) -> QPushButton:
        button = QPushButton(text)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        button.setFont(font)
        button.setMinimumHeight(48)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        return button

    def _open_link(self, url: str) -> None:
        # Only web pages leave the app through a link; any other scheme would hand the desktop a file or program.
        link = QUrl(url)
        if link.scheme() in ("http", "https"):
            QDesktopServices.openUrl(link)

"""PlayerUnavailable: what the player area shows when this machine cannot play video (see core/media/
playback_support): what is missing, how to get it (a link where the OS has a page for it), and the take's file
handed to the system's own player or file manager instead."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from sora2_desktop.core.media.playback_support import PlaybackSupport
from sora2_desktop.ui.common.palette import muted_palette


class PlayerUnavailable(QWidget):
    def __init__(self, support: PlaybackSupport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("playerUnavailable")
        self._file: Path | None = None
        remedy = support.remedy()
        self.headline = QLabel(self.tr("Video can't play inside the app on this computer."))
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.headline.setFont(font)
        self.remedy_label = QLabel(remedy.text)
        self.link_label = QLabel()
        if remedy.url:
            self.link_label.setText(f'<a href="{remedy.url}">{remedy.link_text}</a>')
            self.link_label.setToolTip(remedy.url)
        self.link_label.setTextFormat(Qt.TextFormat.RichText)
        self.link_label.setOpenExternalLinks(True)  # QDesktopServices opens it in the default browser
        self.link_label.setVisible(bool(remedy.url))
        self.problem_label = QLabel(self.tr("Details: {problem}").format(problem=support.problem))
        self.problem_label.setPalette(muted_palette(self.problem_label))
        self.problem_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.file_label = QLabel()
        self.file_label.setPalette(muted_palette(self.file_label))
        for label in (self.headline, self.remedy_label, self.link_label, self.problem_label, self.file_label):
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.open_button = QPushButton(self.tr("Open in the system player"))
        self.open_button.clicked.connect(self.open_in_system_player)
        self.reveal_button = QPushButton(self.tr("Show in folder"))
        self.reveal_button.clicked.connect(self.show_in_folder)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.reveal_button)
        buttons.addStretch(1)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(24, 12, 24, 12)
        layout.addStretch(1)
        for label in (self.headline, self.remedy_label, self.link_label):
            layout.addWidget(label)
        layout.addSpacing(8)
        layout.addWidget(self.file_label)
        layout.addLayout(buttons)
        layout.addSpacing(8)
        layout.addWidget(self.problem_label)
        layout.addStretch(1)
        # A short player area scrolls these lines rather than squeezing them over each other.
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        # Tall enough for the headline, the remedy and the buttons without scrolling, as the video surface asks
        # for its own minimum.
        self.setMinimumHeight(min(content.sizeHint().height(), 240))
        self.set_file(None)

    def file(self) -> Path | None:
        return self._file

    def set_file(self, file: Path | None, note: str = "") -> None:
        """The take's saved video the buttons hand over; None (with why, when known) while there is none."""
        self._file = file
        self.open_button.setEnabled(file is not None)
        self.reveal_button.setEnabled(file is not None)
        self.file_label.setText(file.name if file is not None else note)

    def open_in_system_player(self) -> None:
        if self._file is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._file)))

    def show_in_folder(self) -> None:
        if self._file is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._file.parent)))

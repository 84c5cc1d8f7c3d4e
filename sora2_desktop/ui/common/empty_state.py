"""EmptyState: a centred, muted sentence over an empty list or pane that says what to do next."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractItemView, QLabel, QWidget

from sora2_desktop.ui.common.palette import muted_palette
from sora2_desktop.ui.common.theme import MARGIN


class EmptyState(QLabel):
    """Lies over `target` (an item view's viewport, or any widget) and shows `text_for()` whenever it returns a
    sentence; None hides it. Clicks and keys pass through to what is under it.

    For an item view the sentence is asked again whenever the view's rows change; anything else calls
    `refresh()` when its emptiness may have changed."""

    def __init__(self, target: QWidget, text_for: Callable[[], str | None]) -> None:
        self._view = target if isinstance(target, QAbstractItemView) else None
        surface = self._view.viewport() if self._view is not None else target
        super().__init__(surface)
        self.setObjectName("emptyState")
        self._text_for = text_for
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setMargin(MARGIN * 2)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # A viewport's children would paint in its Text role; the muted colour is set on WindowText.
        self.setForegroundRole(QPalette.ColorRole.WindowText)
        self.setPalette(muted_palette(self))
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.setFont(font)
        surface.installEventFilter(self)
        self.setGeometry(surface.rect())
        if self._view is not None and (model := self._view.model()) is not None:
            for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset, model.layoutChanged):
                signal.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        text = self._text_for()
        if text:
            self.setText(text)
            self.raise_()
        self.setVisible(bool(text))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        surface = self.parentWidget()
        if event.type() == QEvent.Type.Resize and surface is not None and watched is surface:
            self.setGeometry(surface.rect())
        return super().eventFilter(watched, event)

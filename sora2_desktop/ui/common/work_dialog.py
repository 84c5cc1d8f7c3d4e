"""WorkDialog: a dialog that runs one long, cancellable job (an export, a contact sheet).

While the job runs, Escape, Close and the title bar's close cancel it instead of closing: the job stops at its next
step and removes what it had begun, and the dialog closes once it has (`_close_if_asked`). QDialog's closeEvent
calls reject(), so both paths meet there; a reject() that called close() would loop and never close."""

from __future__ import annotations

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QWidget


class WorkDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._busy = False  # set by the subclass from the job's start until its end is shown
        self._close_when_done = False

    @property
    def running(self) -> bool:
        return self._busy

    def cancel(self) -> None:
        raise NotImplementedError

    def reject(self) -> None:
        if self.running:
            self._close_when_done = True
            self.cancel()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.running:
            self.reject()
            event.ignore()
            return
        super().closeEvent(event)

    def _close_if_asked(self) -> None:
        """At the job's end: close if the person asked to while it ran."""
        if self._close_when_done:
            self.close()

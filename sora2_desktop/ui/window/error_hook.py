"""The application's last word on an uncaught error: logged with its traceback, and told to the person."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import TracebackType

log = logging.getLogger("sora2_desktop")


def install_excepthook(window: object) -> None:
    """An uncaught error is logged with its traceback and told to the person, instead of silently vanishing."""
    from PySide6.QtWidgets import QMessageBox, QWidget

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        import traceback

        log.error("uncaught exception:\n%s", "".join(traceback.format_exception(kind, value, tb)))
        if isinstance(window, QWidget) and window.isVisible():
            QMessageBox.warning(
                window,
                window.tr("Unexpected error"),
                window.tr("Something went wrong: {0}\n\nDetails are in the log (Help → Open log folder).").format(
                    value
                ),
            )

    sys.excepthook = hook

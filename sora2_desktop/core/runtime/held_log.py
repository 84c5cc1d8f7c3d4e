"""What a start logs before its log file opens: held, then written there right after the window's first paint (the
file's handler costs ~10 ms of imports the paint does not wait for; issue 13)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sora2_desktop.core.config.profile import Profile

log = logging.getLogger("sora2_desktop")


class HeldLog(logging.Handler):
    """The records logged before `open_log_file`, kept in order."""

    _sora2 = True  # one of ours: a second setup (tests run main() again) removes it like the others

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def hold_log(*, verbose: bool) -> None:
    """Logging from now on, held for the file."""
    root = logging.getLogger()
    root.addHandler(HeldLog())
    root.setLevel(logging.DEBUG if verbose else logging.INFO)


def open_log_file(profile: Profile, *, verbose: bool) -> None:
    """The log file, with what was held for it; nothing when it is open already (or the profile was unusable)."""
    from sora2_desktop.core.runtime.logging_setup import setup_logging

    root = logging.getLogger()
    held = next((handler for handler in root.handlers if isinstance(handler, HeldLog)), None)
    if held is None:
        return
    root.removeHandler(held)
    path = setup_logging(profile.logs_dir, verbose=verbose)
    profile.make_files_private()  # the log file just made, too
    for record in held.records:
        for handler in root.handlers:
            if getattr(handler, "_sora2", False) and record.levelno >= handler.level:
                handler.handle(record)
    log.info("logging to %s", path)

"""Start-up: command line, QApplication, the qasync loop, and wiring the session to the main window."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import traceback
from pathlib import Path
from types import TracebackType

from sora2_desktop import __version__

log = logging.getLogger("sora2_desktop")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="sora2-desktop",
        description="Generate videos with OpenAI's Sora 2 through the APIXO API.",
        epilog="With no API key configured the app offers demo mode: a local stand-in of the service.",
    )
    parser.add_argument("--demo", action="store_true", help="run against the built-in stand-in of the service")
    parser.add_argument(
        "--profile", type=Path, metavar="DIR", help="keep settings, database, downloads and logs under DIR"
    )
    parser.add_argument("--api-base", metavar="URL", help="the API's base URL (https; plain http only for loopback)")
    parser.add_argument("--verbose", action="store_true", help="log debug messages to the terminal as well")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="start offscreen, build the main window, decode a frame of the demo clip, ask which keychain answers;"
        " print one line and exit (0 when all works)",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.self_test:
        from sora2_desktop.self_test import run as run_self_test

        return run_self_test(args.profile)
    # qasync picks PyQt6 first when both are installed; this app is PySide6.
    os.environ.setdefault("QT_API", "pyside6")
    import qasync
    from PySide6.QtWidgets import QApplication

    from sora2_desktop.core.config.profile import Profile
    from sora2_desktop.core.config.settings import validate_api_base_url
    from sora2_desktop.core.runtime.logging_setup import setup_logging

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("Sora 2 Desktop")
    app.setOrganizationName("Sora2Desktop")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("sora2-desktop")

    if args.api_base and (problem := validate_api_base_url(args.api_base)):
        print(f"sora2-desktop: --api-base: {problem}", file=sys.stderr)
        return 2
    profile = Profile.from_dir(args.profile) if args.profile else Profile.default()
    profile.ensure()
    log_path = setup_logging(profile.logs_dir, verbose=args.verbose)
    log.info("Sora 2 Desktop %s starting; profile %s; log %s", __version__, profile.root, log_path)
    return int(qasync.run(_run(args, profile)) or 0)


async def _run(args: argparse.Namespace, profile: object) -> int:
    from PySide6.QtWidgets import QApplication

    from sora2_desktop.core.config.profile import Profile
    from sora2_desktop.core.config.secrets import SecretStore
    from sora2_desktop.core.config.settings import AppSettings
    from sora2_desktop.core.runtime.main_thread_gc import MainThreadGC
    from sora2_desktop.core.session import Session
    from sora2_desktop.ui.window.main_window import MainWindow

    assert isinstance(profile, Profile)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    collector = MainThreadGC(parent=app)
    settings = AppSettings(profile)
    session = Session(profile, settings, SecretStore(), api_base_override=args.api_base)
    window = MainWindow(session)
    _install_excepthook(window)
    quit_requested = asyncio.Event()
    # Qt must not stop the loop by itself when the window closes: the session still has to close the database,
    # the HTTP pool and the stand-in, and qasync fails a run whose loop stops under it.
    app.setQuitOnLastWindowClosed(False)
    app.lastWindowClosed.connect(quit_requested.set)
    window.show()
    # Let the window paint before asking the keychain, which can take a tenth of a second (or a desktop prompt).
    await asyncio.sleep(0.01)
    if args.demo:
        window.activate(demo=True)
    elif session.stored_key() is not None:
        window.activate()
    await quit_requested.wait()
    await session.aclose()
    collector.stop()
    return 0


def _install_excepthook(window: object) -> None:
    """An uncaught error is logged with its traceback and told to the person, instead of silently vanishing."""
    from PySide6.QtWidgets import QMessageBox, QWidget

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
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


if __name__ == "__main__":
    sys.exit(main())

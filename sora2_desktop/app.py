"""Start-up: command line, QApplication, the qasync loop, and wiring the session to the main window."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sqlite3
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from sora2_desktop import __version__

if TYPE_CHECKING:
    from sora2_desktop.core.config.profile import Profile
    from sora2_desktop.core.runtime.single_instance import InstanceGuard
    from sora2_desktop.ui.window.main_window import MainWindow

log = logging.getLogger("sora2_desktop")

# The model index for a run when --models-url is not given (tests set it to '' so no run reads the internet).
MODELS_URL_ENV = "SORA2_MODELS_URL"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="sora2-desktop",
        description="Generate videos with OpenAI's Sora 2 through the APIXO API.",
        epilog="With no API key configured the app offers demo mode: a local stand-in of the service. "
        "'sora2-desktop export --help': export a project's selects from the command line.",
    )
    parser.add_argument("--demo", action="store_true", help="run against the built-in stand-in of the service")
    parser.add_argument(
        "--profile", type=Path, metavar="DIR", help="keep settings, database, downloads and logs under DIR"
    )
    parser.add_argument("--api-base", metavar="URL", help="the API's base URL (https; plain http only for loopback)")
    parser.add_argument(
        "--models-url",
        metavar="URL",
        help="read the service's model index from URL for this run ('' turns the daily model refresh off); "
        f"also ${MODELS_URL_ENV}",
    )
    parser.add_argument("--verbose", action="store_true", help="log debug messages to the terminal as well")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="start offscreen, build the main window, decode a frame of the demo clip, ask which keychain answers;"
        " print one line and exit (0 when all works)",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser.parse_args(argv)


# Exit codes besides 0 (and argparse's 2 for a bad command line); each start-up problem also shows a dialog.
EXIT_PROFILE_FOLDER = 3  # the profile folder is missing, cannot be made, or is read-only
EXIT_DATABASE = 4  # the history is damaged (and the person chose Quit), newer, or cannot be opened
EXIT_NOT_ANSWERING = 5  # another instance holds the profile and does not answer


def main(argv: list[str] | None = None) -> int:
    if (sys.argv[1:] if argv is None else argv)[:1] == ["export"]:  # studio scripts: no window, no instance lock
        from sora2_desktop.export_cli import main as export_main

        return export_main((sys.argv[1:] if argv is None else argv)[1:])
    args = parse_args(argv)
    if args.self_test:
        # Exempt from the one-instance rule: it checks a build, often while the app itself runs.
        from sora2_desktop.self_test import run as run_self_test

        return run_self_test(args.profile)
    # qasync picks PyQt6 first when both are installed; this app is PySide6.
    os.environ.setdefault("QT_API", "pyside6")
    import qasync

    from sora2_desktop.core.catalogue.refresh import models_url_problem
    from sora2_desktop.core.config.profile import Profile
    from sora2_desktop.core.config.settings import validate_api_base_url
    from sora2_desktop.core.runtime.single_instance import Claim, InstanceGuard, InstanceLockError
    from sora2_desktop.ui.window.startup_problem import Problem, ask

    _application()
    if args.api_base and (problem := validate_api_base_url(args.api_base)):
        print(f"sora2-desktop: --api-base: {problem}", file=sys.stderr)
        return 2
    if args.models_url is None:
        args.models_url = os.environ.get(MODELS_URL_ENV)
    if args.models_url and (problem := models_url_problem(args.models_url)):
        print(f"sora2-desktop: --models-url: {problem}", file=sys.stderr)
        return 2
    profile = Profile.from_dir(args.profile) if args.profile else Profile.default()
    if (code := _prepare_profile(profile, verbose=args.verbose)) is not None:
        return code
    guard = InstanceGuard(profile.root)
    try:
        claim = guard.claim(list(sys.argv[1:] if argv is None else argv))
    except InstanceLockError as err:
        log.error("cannot lock the profile: %s", err)
        ask(Problem.PROFILE_FOLDER, folder=profile.root, detail=err)
        return EXIT_PROFILE_FOLDER
    if claim is Claim.HANDED_OVER:
        log.info("Sora 2 Desktop already runs on profile %s; handed it the command line and leaving", profile.root)
        return 0
    if claim is Claim.NOT_ANSWERING:
        log.error("another Sora 2 Desktop holds profile %s and does not answer", profile.root)
        ask(Problem.NOT_ANSWERING, folder=profile.root)
        return EXIT_NOT_ANSWERING
    try:
        if (code := _check_history(profile)) is not None:
            return code
        return int(qasync.run(_run(args, profile, guard)) or 0)
    finally:
        guard.release()


def _application() -> object:
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("Sora 2 Desktop")
    app.setOrganizationName("Sora2Desktop")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("sora2-desktop")
    from sora2_desktop.ui.common.theme import apply_theme

    apply_theme(app)  # the start-up problem dialogs come before the settings: they follow the OS
    return app


def _prepare_profile(profile: Profile, *, verbose: bool) -> int | None:
    """Folders made and writable, logging to the profile, files private; or the dialog and an exit code."""
    from sora2_desktop.core.runtime.logging_setup import setup_logging
    from sora2_desktop.ui.window.startup_problem import Problem, ask

    try:
        profile.ensure()
        folder = profile.unwritable_folder()
        detail = "no file can be written there" if folder is not None else ""
    except OSError as err:
        folder, detail = Path(err.filename or profile.root), err.strerror or str(err)
    if folder is not None:
        # No log file without a folder: one line on stderr (basicConfig adds nothing if logging is set up).
        logging.basicConfig(format="%(levelname)s %(name)s: %(message)s")
        log.error("profile folder %s cannot be used: %s", folder, detail)
        ask(Problem.PROFILE_FOLDER, folder=folder, detail=detail)
        return EXIT_PROFILE_FOLDER
    log_path = setup_logging(profile.logs_dir, verbose=verbose)
    profile.make_files_private()
    log.info("Sora 2 Desktop %s starting; profile %s; log %s", __version__, profile.root, log_path)
    return None


def _check_history(profile: Profile) -> int | None:
    """Open and check the task database before anything uses it; a problem gets the dialog and an exit code
    (None: start). A damaged file can be kept aside for a fresh one, if the person chooses so."""
    from sora2_desktop.core.storage.database import (
        CorruptDatabaseError,
        NewerDatabaseError,
        aside_path,
        check_database,
        set_aside,
    )
    from sora2_desktop.ui.window.startup_problem import Choice, Problem, ask

    path = profile.database_path
    try:
        check_database(path)
        return None
    except NewerDatabaseError as err:
        log.error("%s: %s; refusing to open it", path, err)
        ask(Problem.NEWER_DATABASE, path=path, found=err.found, known=err.known)
        return EXIT_DATABASE
    except CorruptDatabaseError as err:
        log.error("%s", err)
        kept_as = aside_path(path)
        if ask(Problem.CORRUPT_DATABASE, path=path, kept_as=kept_as.name) is not Choice.NEW_HISTORY:
            log.info("the person chose to quit; the damaged database is left as it is")
            return EXIT_DATABASE
    except (sqlite3.Error, OSError) as err:
        log.error("cannot open the task database %s: %s", path, err)
        ask(Problem.DATABASE_UNUSABLE, path=path, detail=err)
        return EXIT_DATABASE
    try:
        set_aside(path, kept_as)
        check_database(path)  # the fresh one: made, migrated, and private like the first
    except (sqlite3.Error, OSError, RuntimeError) as err:
        log.error("cannot start a new task database at %s: %s", path, err)
        ask(Problem.DATABASE_UNUSABLE, path=path, detail=err)
        return EXIT_DATABASE
    log.info("started a new task history; the damaged one is kept as %s", kept_as)
    return None


async def _run(args: argparse.Namespace, profile: Profile, guard: InstanceGuard) -> int:
    from PySide6.QtWidgets import QApplication

    from sora2_desktop.core.config.secrets import SecretStore
    from sora2_desktop.core.config.settings import AppSettings
    from sora2_desktop.core.runtime.main_thread_gc import MainThreadGC
    from sora2_desktop.core.session import Session
    from sora2_desktop.ui.common.theme import install as install_theme
    from sora2_desktop.ui.window.main_window import MainWindow

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    collector = MainThreadGC(parent=app)
    settings = AppSettings(profile)
    install_theme(app, settings)  # the person's appearance, now and whenever it or the OS changes
    session = Session(profile, settings, SecretStore(), api_base_override=args.api_base)
    session.models.set_index_override(args.models_url)
    window = MainWindow(session)
    _install_excepthook(window)
    quit_requested = asyncio.Event()
    # Qt must not stop the loop by itself when the window closes: the session still has to close the database,
    # the HTTP pool and the stand-in, and qasync fails a run whose loop stops under it.
    app.setQuitOnLastWindowClosed(False)
    app.lastWindowClosed.connect(quit_requested.set)
    window.show()
    # Second starts on this profile are answered from now on: there is a window to bring to the front.
    guard.activation_requested.connect(lambda forwarded: _bring_to_front(window, forwarded))
    guard.listen()
    # Let the window paint before asking the keychain, which can take a tenth of a second (or a desktop prompt).
    await asyncio.sleep(0.01)
    if args.demo:
        window.activate(demo=True)
    elif session.stored_key() is not None:
        window.activate()
    # After the first paint and after a demo start (which points it at the stand-in's index): in the background.
    session.models.refresh_if_due()
    await quit_requested.wait()
    await session.aclose()
    collector.stop()
    return 0


def _bring_to_front(window: MainWindow, forwarded: list[str]) -> None:
    """A second start on this profile handed over its command line: show this window instead of a second one."""
    log.info("asked to come to the front by a second start (arguments: %s)", " ".join(forwarded) or "none")
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()
    if "--demo" in forwarded and not window.session.active:
        log.info("the second start asked for demo mode; switching to it")
        window.activate(demo=True)


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

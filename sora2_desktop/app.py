"""Start-up: command line, QApplication, the qasync loop, and wiring the session to the main window."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sora2_desktop import __version__
from sora2_desktop.build_info import VersionAction
from sora2_desktop.core.runtime.held_log import hold_log, open_log_file

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from concurrent.futures import Future
    from typing import TypeVar

    from PySide6.QtWidgets import QApplication

    from sora2_desktop.api import ApiKey
    from sora2_desktop.core.config.profile import Profile
    from sora2_desktop.core.config.settings import AppSettings
    from sora2_desktop.core.runtime.main_thread_gc import MainThreadGC
    from sora2_desktop.core.runtime.single_instance import InstanceGuard
    from sora2_desktop.ui.window.main_window import MainWindow

    T = TypeVar("T")

# What runs before the window's first paint imports only Qt, the profile, the settings and the start-up checks:
# qasync (asyncio), the session, httpx, keyring and QtMultimedia come after it (benchmarks/cold_start.py).

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
        " print the app's line and the player's and exit (0 all works, 1 broken, 3 no media support here)",
    )
    parser.add_argument("--version", action=VersionAction, help="print the version, commit, Qt and PySide6 and exit")
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
    from sora2_desktop.pyside_scan import quicken_pyside_scan

    quicken_pyside_scan()  # it imports Qt: PySide6 scans every module imported after it, now cheaply
    from sora2_desktop.core.config.profile import Profile
    from sora2_desktop.core.config.settings import validate_api_base_url

    app, fusion = _application()
    if args.api_base and (problem := validate_api_base_url(args.api_base)):
        print(f"sora2-desktop: --api-base: {problem}", file=sys.stderr)
        return 2
    if args.models_url is None:
        args.models_url = os.environ.get(MODELS_URL_ENV)
    if args.models_url:
        from sora2_desktop.core.catalogue.refresh import models_url_problem

        if problem := models_url_problem(args.models_url):
            print(f"sora2-desktop: --models-url: {problem}", file=sys.stderr)
            return 2
    profile = Profile.from_dir(args.profile) if args.profile else Profile.default()
    if (code := _prepare_profile(profile, verbose=args.verbose)) is not None:
        return code
    try:
        return _start(args, list(sys.argv[1:] if argv is None else argv), app, fusion, profile)
    finally:
        open_log_file(profile, verbose=args.verbose)  # a start that ends before its window's paint logs to the file too


def _start(args: argparse.Namespace, argv: list[str], app: QApplication, fusion: bool, profile: Profile) -> int:
    """Take the profile (or hand the command line to the instance that has it), paint the window, check the history,
    then run the loop until the window closes."""
    from sora2_desktop.core.config.settings import AppSettings
    from sora2_desktop.core.runtime.single_instance import Claim, InstanceGuard, InstanceLockError

    guard = InstanceGuard(profile.root)
    try:
        claim = guard.claim(argv)
    except InstanceLockError as err:
        from sora2_desktop.ui.window.startup_problem import Problem, ask  # the dialogs: imported when needed

        log.error("cannot lock the profile: %s", err)
        ask(Problem.PROFILE_FOLDER, folder=profile.root, detail=err)
        return EXIT_PROFILE_FOLDER
    if claim is Claim.HANDED_OVER:
        log.info("Sora 2 Desktop already runs on profile %s; handed it the command line and leaving", profile.root)
        return 0
    if claim is Claim.NOT_ANSWERING:
        from sora2_desktop.ui.window.startup_problem import Problem, ask

        log.error("another Sora 2 Desktop holds profile %s and does not answer", profile.root)
        ask(Problem.NOT_ANSWERING, folder=profile.root)
        return EXIT_NOT_ANSWERING
    try:
        settings = AppSettings(profile)
        window = _first_paint(app, fusion, settings, args)
        try:
            # After the paint: the check reads the whole file (a large history takes a while), and a problem's
            # dialog shows over the window's frame. The log file opens once the shot list and composer are up.
            if (code := _check_history(profile)) is not None:
                return code
            keychain, collector = _build_work(app, args, profile, settings, window)
            import qasync  # asyncio with it (~40 ms): after the shot list and the composer are on screen

            return int(qasync.run(_run(args, profile, guard, window, collector, keychain)) or 0)
        finally:
            window.hide()  # closed already, unless the loop never ran
    finally:
        guard.release()


def _application() -> tuple[QApplication, bool]:
    """The application, and whether it was made here with the Fusion style (else it was there already: a test)."""
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    # Fusion from the start (theme.py's look is built on it), chosen by Qt itself: QApplication.setStyle() would
    # hand Python a QStyle, whose type costs ~10 ms to make, before the window's first paint.
    app = existing if isinstance(existing, QApplication) else QApplication([*sys.argv[:1], "-style", "fusion"])
    app.setApplicationName("Sora 2 Desktop")
    app.setOrganizationName("Sora2Desktop")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("sora2-desktop")
    # No look yet: the window's first paint takes the settings' (_first_paint), a start-up problem's dialog the
    # full theme (startup_problem.ask).
    return app, existing is None


def _prepare_profile(profile: Profile, *, verbose: bool) -> int | None:
    """Folders made and writable, files private, logging held for the log file (held_log.py); or the dialog and an
    exit code."""
    try:
        profile.ensure()
        folder = profile.unwritable_folder()
        detail = "no file can be written there" if folder is not None else ""
    except OSError as err:
        folder, detail = Path(err.filename or profile.root), err.strerror or str(err)
    if folder is not None:
        from sora2_desktop.ui.window.startup_problem import Problem, ask

        # No log file without a folder: one line on stderr (basicConfig adds nothing if logging is set up).
        logging.basicConfig(format="%(levelname)s %(name)s: %(message)s")
        log.error("profile folder %s cannot be used: %s", folder, detail)
        ask(Problem.PROFILE_FOLDER, folder=folder, detail=detail)
        return EXIT_PROFILE_FOLDER
    profile.make_files_private()
    hold_log(verbose=verbose)
    log.info("Sora 2 Desktop %s starting; profile %s", __version__, profile.root)
    return None


def _check_history(profile: Profile) -> int | None:
    """Open and check the task database before anything uses it; a problem gets the dialog and an exit code
    (None: start). A damaged file can be kept aside for a fresh one, if the person chooses so."""
    import sqlite3

    from sora2_desktop.core.storage.database import (
        CorruptDatabaseError,
        NewerDatabaseError,
        aside_path,
        check_database,
        set_aside,
    )

    path = profile.database_path
    try:
        check_database(path)
        return None
    except NewerDatabaseError as err:
        from sora2_desktop.ui.window.startup_problem import Problem, ask  # the dialogs: imported when needed

        log.error("%s: %s; refusing to open it", path, err)
        ask(Problem.NEWER_DATABASE, path=path, found=err.found, known=err.known)
        return EXIT_DATABASE
    except CorruptDatabaseError as err:
        from sora2_desktop.ui.window.startup_problem import Choice, Problem, ask

        log.error("%s", err)
        kept_as = aside_path(path)
        if ask(Problem.CORRUPT_DATABASE, path=path, kept_as=kept_as.name) is not Choice.NEW_HISTORY:
            log.info("the person chose to quit; the damaged database is left as it is")
            return EXIT_DATABASE
    except (sqlite3.Error, OSError) as err:
        from sora2_desktop.ui.window.startup_problem import Problem, ask

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


def _first_paint(app: QApplication, fusion: bool, settings: AppSettings, args: argparse.Namespace) -> MainWindow:
    """The window's frame, shown and painted before anything heavy is imported or made: the welcome page if the
    keychain had no key at the last start, else a blank page that the work area (or, if no key answers after
    all, the welcome page) replaces: a start with a stored key never shows the welcome page first."""
    from sora2_desktop.core.config.secrets import SecretStore
    from sora2_desktop.ui.common.theme_palette import first_look
    from sora2_desktop.ui.window.main_window import MainWindow
    from sora2_desktop.ui.window.paint_wait import until_painted
    from sora2_desktop.ui.window.window_frame import FirstPage

    first_look(app, settings.appearance, fusion=fusion)  # the person's colours now; install() adds the style
    key_coming = args.demo or SecretStore().api_key_from_environment
    page = FirstPage.WORK if key_coming else FirstPage(settings.first_page)
    window = MainWindow(settings=settings, first_page=page)
    window.show()
    until_painted(window, give_up_ms=500)
    return window


def _build_work(
    app: QApplication, args: argparse.Namespace, profile: Profile, settings: AppSettings, window: MainWindow
) -> tuple[Future[ApiKey | None] | None, MainThreadGC]:
    """The session, and the shot list and the composer on screen, before asyncio is imported: the later stages,
    which may use it, wait for its loop (MainWindow.attach); input meanwhile waits for them (window_stages.py).
    Returns the keychain's answer when the page waits for it (a first start: asked at once, in a worker)."""
    from sora2_desktop.core.config.secrets import SecretStore
    from sora2_desktop.core.runtime.main_thread_gc import MainThreadGC
    from sora2_desktop.core.session import Session
    from sora2_desktop.ui.common.theme import install as install_theme
    from sora2_desktop.ui.window.error_hook import install_excepthook
    from sora2_desktop.ui.window.paint_wait import until_painted
    from sora2_desktop.ui.window.window_frame import FirstPage

    secrets = SecretStore()
    keychain = None
    # The keychain can take a tenth of a second (or a desktop prompt): asked in a worker. At once when the page
    # waits for its answer (a first start); else after the shot list and the composer are on screen, since its
    # imports would take the interpreter from them meanwhile.
    if not args.demo and window.first_page is FirstPage.UNDECIDED:
        from concurrent.futures import ThreadPoolExecutor

        worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="keychain")
        keychain = worker.submit(secrets.load_api_key)
        worker.shutdown(wait=False)  # its thread ends with this one job
    collector = MainThreadGC(parent=app)
    install_theme(app, settings)  # the person's appearance, now and whenever it or the OS changes
    session = Session(profile, settings, secrets, api_base_override=args.api_base)
    session.models.set_index_override(args.models_url)
    # Qt must not stop the loop by itself when the window closes: the session still has to close the database,
    # the HTTP pool and the stand-in, and qasync fails a run whose loop stops under it.
    app.setQuitOnLastWindowClosed(False)
    shown = window.stack.currentWidget()
    window.attach(session, staged=True, turns=False)  # the shot list and the composer; the rest a stage per turn
    install_excepthook(window)
    if window.isVisible() and window.stack.currentWidget() is not shown:
        until_painted(window, give_up_ms=100, user_input=False)  # the page they are on, painted
    # Input (held until now) builds the rest first from here. Not earlier: the guard, an application-wide event
    # filter, hands every object to Python, and the first of Qt's private classes costs PySide6 some 100 types.
    window.stages.guard()
    return keychain, collector


async def _run(
    args: argparse.Namespace,
    profile: Profile,
    guard: InstanceGuard,
    window: MainWindow,
    collector: MainThreadGC,
    keychain: Future[ApiKey | None] | None,
) -> int:
    import asyncio

    from PySide6.QtWidgets import QApplication

    from sora2_desktop.ui.window.window_frame import FirstPage

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    session, secrets = window.session, window.session.secrets
    key = asyncio.wrap_future(keychain) if keychain is not None else None
    quit_requested = asyncio.Event()
    app.lastWindowClosed.connect(quit_requested.set)
    if not window.isVisible():  # closed while its frame painted
        quit_requested.set()
    window.stages.start()  # the later parts, a stage per turn of this loop
    # Second starts on this profile are answered from its turn on (they ask again until then); the log file opens in
    # another: each import (QtNetwork, the file's handler) ~10 ms, with qasync's in the loop's first turn (issue 13).
    guard.activation_requested.connect(lambda forwarded: _bring_to_front(window, forwarded))
    loop = asyncio.get_running_loop()
    loop.call_soon(guard.listen)
    loop.call_soon(lambda: open_log_file(profile, verbose=args.verbose))
    # The keychain (its imports) and the HTTP pool (httpx, the TLS context) in workers once the window is whole:
    # their Python shares the interpreter with the stages' and stretched their turns twofold (the connection waits
    # for the window anyway).
    if key is None and not args.demo:
        key = asyncio.ensure_future(_after_stages(window, secrets.load_api_key))
    coming = window.first_page is FirstPage.WORK
    prepare = lambda: session.prepare_connection(demo=args.demo)  # noqa: E731 - the demo's stand-in imported too
    pool = asyncio.ensure_future(_after_stages(window, prepare)) if coming else None
    await _connect(window, demo=args.demo, key=key, pool=pool)
    # After a demo start, which points it at the stand-in's index: in the background.
    window.stages.when_complete(session.models.refresh_if_due)
    await quit_requested.wait()
    window.stages.stop()  # a window closed while it was being built: nothing more is built for it
    await session.aclose()
    collector.stop()
    return 0


async def _connect(
    window: MainWindow, *, demo: bool, key: Awaitable[ApiKey | None] | None, pool: Awaitable[None] | None
) -> None:
    """Connect in demo mode, or with the keychain's key, once the HTTP pool is made (connecting takes its lock: the
    GUI thread would wait there for the worker); a key gone from the keychain brings the welcome page at once."""
    if demo:
        if pool is not None:
            await pool
        window.activate(demo=True)
    elif key is not None:
        answer = await key
        if answer is not None and pool is not None:
            await pool
        window.key_answered(answer)


async def _after_stages(window: MainWindow, job: Callable[[], T]) -> T:
    """`job`'s answer, from a worker started once the window's stages are built."""
    import asyncio

    whole = asyncio.Event()
    window.stages.when_complete(whole.set)
    await whole.wait()
    return await asyncio.get_running_loop().run_in_executor(None, job)


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


if __name__ == "__main__":
    sys.exit(main())

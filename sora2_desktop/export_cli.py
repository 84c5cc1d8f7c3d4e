"""`sora2-desktop export`: the window's export of selects from the command line, for studio scripts; no window,
no display needed, and it runs beside an open app on the same profile (it takes no instance lock)."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sqlite3
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from sora2_desktop.core.export.export_result import EXPORT_FORMATS, SHEET_FORMATS

if TYPE_CHECKING:
    from sora2_desktop.core.export.export_result import ExportResult
    from sora2_desktop.core.export.selection import Selection
    from sora2_desktop.core.session import Session

EXIT_DONE = 0
EXIT_PARTIAL = 1  # nothing to export, or some takes or files could not be written
EXIT_BAD_ARGUMENTS = 2
EXIT_DATABASE = 4  # as app.py's: the history is damaged, newer, or cannot be opened
MARK_WORDS = ("circled", "hold", "no_good", "all")
DEFAULT_FORMATS = tuple(name for name in EXPORT_FORMATS if name not in SHEET_FORMATS)


class _BadArguments(Exception):
    """A sentence for the person; the command ends with EXIT_BAD_ARGUMENTS."""


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="sora2-desktop export",
        description="Copy a project's selected takes into a folder under their conformed names, with a manifest, "
        "timelines and contact sheets; the same export as File > Export selects… in the window.",
        epilog="Exit status: 0 done, 1 nothing to export or not everything written, 2 bad arguments, "
        "4 the history cannot be read.",
    )
    parser.add_argument("--profile", type=Path, metavar="DIR", help="the app's profile folder (default: the usual)")
    parser.add_argument("--project", required=True, metavar="NAME", help="the project, by its name")
    parser.add_argument("--to", required=True, type=Path, metavar="DIR", help="the folder to export into")
    parser.add_argument("--shots", metavar="CODES", help="only these shots, e.g. SH010,SH020 (default: all)")
    parser.add_argument(
        "--marks",
        default="circled",
        metavar="MARKS",
        help=f"takes with these marks, a comma list of {', '.join(MARK_WORDS)} (default: circled)",
    )
    parser.add_argument(
        "--format",
        default=",".join(DEFAULT_FORMATS),
        metavar="FORMATS",
        help=f"a comma list of {', '.join(EXPORT_FORMATS)} (default: {','.join(DEFAULT_FORMATS)})",
    )
    parser.add_argument("--link", action="store_true", help="hard-link the takes instead of copying (same drive)")
    parser.add_argument("--demo", action="store_true", help="export from the demo history (DIR/demo)")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    try:
        args = parse_args(argv)
    except SystemExit as done:  # --help (0) or argparse's own message for a bad command line (2)
        return int(done.code or 0)
    logging.basicConfig(format="sora2-desktop export: %(levelname)s %(message)s", level=logging.WARNING)
    try:
        marks = _marks(args.marks)
        formats = _words(args.format, EXPORT_FORMATS, "--format")
    except _BadArguments as err:
        return _refuse(str(err))
    _headless_qt()
    os.environ.setdefault("QT_API", "pyside6")
    # Scripts read this command's lines; the video decoder's chatter (contact sheets decode frames) is not for them.
    os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")
    import qasync
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # contact sheets decode frames
    app.setApplicationName("Sora 2 Desktop")
    app.setOrganizationName("Sora2Desktop")
    return int(qasync.run(_export(args, marks, formats)))


async def _export(args: argparse.Namespace, marks: frozenset[str] | None, formats: list[str]) -> int:
    from sora2_desktop.core.config.profile import Profile
    from sora2_desktop.core.config.secrets import SecretStore
    from sora2_desktop.core.config.settings import AppSettings
    from sora2_desktop.core.session import Session
    from sora2_desktop.core.storage.database import check_database

    profile = Profile.from_dir(args.profile) if args.profile else Profile.default()
    if args.demo:
        profile = Profile.from_dir(profile.root / "demo")  # where demo mode keeps its history (Session.activate)
    if not profile.database_path.is_file():
        return _refuse(f"no history at {profile.database_path}: is --profile the app's profile folder?")
    try:
        check_database(profile.database_path)
    except (RuntimeError, sqlite3.Error, OSError) as err:
        print(f"sora2-desktop export: cannot read the history {profile.database_path}: {err}", file=sys.stderr)
        return EXIT_DATABASE
    session = Session(profile, AppSettings(profile), SecretStore())
    try:
        selection = _selection(session, args.project, args.shots, marks)
        result = await _run(session, selection, args.to, formats, link=args.link)
    except _BadArguments as err:
        return _refuse(str(err))
    finally:
        await session.aclose()
    if result is None:
        return EXIT_PARTIAL
    _print_result(result)
    return EXIT_DONE if result.complete else EXIT_PARTIAL


def _selection(session: Session, project_name: str, shots: str | None, marks: frozenset[str] | None) -> Selection:
    from sora2_desktop.core.export.selection import Selection
    from sora2_desktop.core.projects.model import TakeMark

    projects = session.projects.projects()
    project = next((p for p in projects if p.name == project_name), None) or next(
        (p for p in projects if p.name.casefold() == project_name.strip().casefold()), None
    )
    if project is None:
        known = "\n".join(f"  {p.name}" for p in projects)
        raise _BadArguments(f"no project named {project_name!r}; the projects are:\n{known}")
    shot_ids = None
    if shots is not None:
        by_code = {shot.code.casefold(): shot for shot in session.projects.shots(project.id)}
        codes = [code.strip() for code in shots.split(",") if code.strip()]
        unknown = [code for code in codes if code.casefold() not in by_code]
        if unknown or not codes:
            known = ", ".join(shot.code for shot in by_code.values())
            raise _BadArguments(f"no shot {', '.join(unknown) or '(none given)'} in {project.name}; its shots: {known}")
        shot_ids = tuple(by_code[code.casefold()].id for code in codes)
    chosen = None if marks is None else frozenset(TakeMark(mark) for mark in marks)
    return Selection(project.id, shot_ids, chosen)


async def _run(
    session: Session, selection: Selection, folder: Path, formats: list[str], *, link: bool
) -> ExportResult | None:
    from sora2_desktop.core.export.export_result import ExportCancelled

    cancel = threading.Event()
    # Ctrl+C stops the copy at its next chunk and removes the file under way, as Cancel does in the window.
    previous = signal.signal(signal.SIGINT, lambda number, frame: cancel.set())
    try:
        return await session.exports.export_selects(selection, folder, formats, link=link, cancel=cancel)
    except ExportCancelled as stopped:
        print(f"cancelled: {stopped.kept} takes were exported before the cancel and stay in {folder}")
    except OSError as err:
        print(f"sora2-desktop export: cannot export to {folder}: {err.strerror or err}", file=sys.stderr)
    finally:
        signal.signal(signal.SIGINT, previous)
    return None


def _print_result(result: ExportResult) -> None:
    from sora2_desktop.core.export.export_wording import report_lines, result_text, take_label

    for take in result.takes:
        print(f"{take.placement:<13} {take_label(take.shot, take.task):<10} {take.target}")
    for name, paths in result.files.items():
        if name != "takes":
            for path in paths:
                print(f"{'wrote ' + name:<13} {'':<10} {path}")
    if result.sequence:
        print(result.sequence)
    for line in report_lines(result):
        print(f"note: {line}")
    print(result_text(result))


def _marks(text: str) -> frozenset[str] | None:
    words = _words(text, MARK_WORDS, "--marks")
    return None if "all" in words else frozenset(words)


def _words(text: str, allowed: tuple[str, ...], option: str) -> list[str]:
    words = [word.strip().lower() for word in text.split(",") if word.strip()]
    unknown = [word for word in words if word not in allowed]
    if unknown or not words:
        raise _BadArguments(f"{option}: {', '.join(unknown) or 'nothing given'}; choose from {', '.join(allowed)}")
    return list(dict.fromkeys(words))


def _headless_qt() -> None:
    """Scripts run on machines with no display: Qt's offscreen platform then (frames still decode)."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") and sys.platform.startswith("linux"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _refuse(message: str) -> int:
    print(f"sora2-desktop export: {message}", file=sys.stderr)
    return EXIT_BAD_ARGUMENTS


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

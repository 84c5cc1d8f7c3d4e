"""Start-up tests: the real app as a child process or as `app.main()` in this one, scripted start-up dialogs,
screenshots checked for content, and a folder that is really read-only (even for root)."""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox

from sora2_desktop.ui.window import startup_problem
from sora2_desktop.ui.window.startup_problem import ANSWER_ENV, SCREENSHOT_ENV, Choice

REPO = Path(__file__).resolve().parents[2]
LOG_NAME = "sora2-desktop.log"


def app_env(**extra: str) -> dict[str, str]:
    """Headless, and the keychain of the machine never touched (keyring's null backend answers "no key")."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    env.pop(ANSWER_ENV, None)
    env.pop(SCREENSHOT_ENV, None)
    return {**env, **extra}


def start_app(profile: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """`python -m sora2_desktop --profile PROFILE ARGS…`; its stdout and stderr go to files next to the profile
    (a pipe nobody reads could fill and stall it)."""
    out = (profile.parent / f"{profile.name}.stdout").open("a", encoding="utf-8")
    err = (profile.parent / f"{profile.name}.stderr").open("a", encoding="utf-8")
    with out, err:
        return subprocess.Popen(
            [sys.executable, "-m", "sora2_desktop", "--profile", str(profile), *args],
            cwd=REPO,
            env=env or app_env(),
            stdout=out,
            stderr=err,
            text=True,
        )


def run_app(profile: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sora2_desktop", "--profile", str(profile), *args],
        cwd=REPO,
        env=env or app_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.kill()
    process.wait(timeout=30)


def stderr_of(profile: Path) -> str:
    path = profile.parent / f"{profile.name}.stderr"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def log_text(profile: Path) -> str:
    path = profile / "logs" / LOG_NAME
    return path.read_text(encoding="utf-8") if path.exists() else ""


def assert_dialog_picture(path: Path) -> None:
    """The screenshot shows a dialog: a reasonable size, and more than one colour (text on a background)."""
    image = QImage(str(path))
    assert not image.isNull(), path
    assert image.width() >= 200 and image.height() >= 80, (image.width(), image.height())
    colours = {image.pixel(x, y) for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)}
    assert len(colours) > 8, f"{path} looks blank ({len(colours)} colours)"


@dataclass
class ScriptedDialogs:
    """Replaces the modal dialog in this process: records what it said, saves a picture, answers `answer`."""

    shots: Path
    answer: Choice = Choice.QUIT
    shown: list[str] = field(default_factory=list)
    pictures: list[Path] = field(default_factory=list)

    def __call__(self, box: QMessageBox, choices: dict[object, Choice]) -> Choice:
        self.shown.append(f"{box.text()}\n{box.informativeText()}")
        box.show()
        picture = self.shots / f"startup-problem-{len(self.pictures)}.png"
        assert box.grab().save(str(picture), "PNG")
        box.hide()
        self.pictures.append(picture)
        assert self.answer in choices.values(), f"the dialog does not offer {self.answer}"
        return self.answer


@contextlib.contextmanager
def scripted_dialogs(shots: Path, answer: Choice = Choice.QUIT) -> Iterator[ScriptedDialogs]:
    dialogs = ScriptedDialogs(shots, answer)
    previous = startup_problem.runner
    startup_problem.runner = dialogs
    try:
        yield dialogs
    finally:
        startup_problem.runner = previous


@contextlib.contextmanager
def in_process_app() -> Iterator[Callable[..., int]]:
    """`main(argv)` of the real app in this process; the application names and log handlers it sets are put
    back afterwards so later tests see the process as before."""
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from sora2_desktop.app import main

    names = QCoreApplication.organizationName(), QCoreApplication.applicationName()
    look = QApplication.style().name(), QGuiApplication.palette()  # main() themes the app (ui/common/theme.py)
    try:
        yield main
    finally:
        QCoreApplication.setOrganizationName(names[0])
        QCoreApplication.setApplicationName(names[1])
        QApplication.setStyle(look[0])
        QGuiApplication.setPalette(look[1])
        QGuiApplication.styleHints().unsetColorScheme()
        root = logging.getLogger()
        for handler in list(root.handlers):
            if getattr(handler, "_sora2", False):
                root.removeHandler(handler)
                handler.close()


@contextlib.contextmanager
def read_only_folder(folder: Path, fill: Callable[[Path], None] = lambda _: None) -> Iterator[Path]:
    """`folder`, filled by `fill`, then made read-only for real: permission bits for a normal user; for root
    (whom bits do not stop) a small tmpfs remounted read-only. Skips the test where neither is possible."""
    import pytest

    folder.mkdir(parents=True, exist_ok=True)
    if os.name != "posix":
        pytest.skip("needs POSIX permissions or mounts")
    if os.geteuid() != 0:
        fill(folder)
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)
        return
    mount = ["mount", "-t", "tmpfs", "-o", "size=4m,mode=0755", "tmpfs", str(folder)]
    if subprocess.run(mount, capture_output=True).returncode != 0:
        pytest.skip("running as root, and no tmpfs can be mounted here to make a read-only folder")
    try:
        fill(folder)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True, capture_output=True)
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)

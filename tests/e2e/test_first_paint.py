"""First paint first (issue 13): the real app paints its window before it imports the network, the keychain or the
player, shows the page its keychain calls for without showing another one first (a stored key never flashes the
welcome page), and brings no test-only package into its process. Each test is a real start, watched by
tests/helpers/first_paint_probe.py; no timing is asserted (that is benchmarks/cold_start.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.core.storage.task_store import TaskStore
from tests.helpers.startup import REPO, app_env

pytestmark = pytest.mark.e2e

PROBE = REPO / "tests" / "helpers" / "first_paint_probe.py"
# Made on first use or after the first paint: the HTTP client, the keychain, QtMultimedia (player and posters), the
# event loop's glue, the session and the window's parts.
AFTER_THE_FIRST_PAINT = (
    "httpx",
    "keyring",
    "PySide6.QtMultimedia",
    "qasync",
    "sora2_desktop.core.session",
    "sora2_desktop.ui.window.window_parts",
)
# Made on first use, after the window is usable (its shot list and composer up): the answer to second starts
# (QtNetwork), the spend summary and the API's errors (with email's date parsing) the balance needs only once read.
AFTER_USABLE = (
    "PySide6.QtNetwork",
    "email.utils",
    "sora2_desktop.core.account.spend",
)
# Installed with the test extras (Flask brings click; httpx imports its command line when click is there).
TEST_ONLY = ("pytest", "_pytest", "pytestqt", "moto", "flask", "werkzeug", "click", "pygments", "rich", "boto3")
KEY = "probe-key-0123456789"


def profile_started_before(folder: Path, page: str) -> Path:
    """A profile as a start leaves it: its history made, and the page that start settled on."""
    profile = Profile.from_dir(folder).ensure()
    TaskStore(profile.database_path).close()
    settings = AppSettings(profile)
    settings.first_page = page
    settings.api_base_url = "http://127.0.0.1:9"  # a key is sent nowhere: a closed port on this machine
    settings.sync()
    return folder


def start(profile: Path, *args: str, key: str | None = None) -> dict[str, Any]:
    env = app_env()
    if key is not None:
        env.update(PYTHON_KEYRING_BACKEND="probe_keyring.KeyedKeyring", PROBE_API_KEY=key)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROBE.parent), env.get("PYTHONPATH", "")) if p)
    extra = ("--expect-key",) if key is not None else ()
    done = subprocess.run(
        [sys.executable, str(PROBE), str(profile), *args, *extra],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    line = next(line for line in done.stdout.splitlines() if line.startswith("{"))
    report: dict[str, Any] = json.loads(line)
    return report


def imported(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == name or m.startswith(name + ".") for name in names)]


def first_page_of(profile: Path) -> str:
    return AppSettings(Profile.from_dir(profile)).first_page


def test_the_window_paints_before_the_network_the_keychain_and_the_player_are_imported(tmp_path: Path) -> None:
    report = start(profile_started_before(tmp_path / "profile", "welcome"))
    assert imported(report["modules_at_first_paint"], AFTER_THE_FIRST_PAINT) == []
    assert report["pages"] == ["welcome"]  # no key at the last start: the welcome page at once, and it stays


def test_the_app_brings_no_test_only_package_into_its_process(tmp_path: Path) -> None:
    report = start(profile_started_before(tmp_path / "profile", "work"), key=KEY)
    assert report["active"]
    assert imported(report["modules_when_built"], TEST_ONLY) == []


def test_a_stored_key_never_shows_the_welcome_page(tmp_path: Path) -> None:
    profile = profile_started_before(tmp_path / "profile", "work")
    report = start(profile, key=KEY)
    assert imported(report["modules_at_first_paint"], AFTER_THE_FIRST_PAINT) == []
    assert report["pages"] == ["blank", "splitter"]  # the frame, then the work area once its parts are built
    assert report["active"]


def test_a_first_start_shows_no_page_until_the_keychain_answers(tmp_path: Path) -> None:
    with_key, without = tmp_path / "with_key", tmp_path / "without"
    assert start(with_key, key=KEY)["pages"] == ["blank", "splitter"]
    assert start(without)["pages"] == ["blank", "welcome"]
    # What the keychain said is the next start's first page.
    assert (first_page_of(with_key), first_page_of(without)) == ("work", "welcome")
    assert start(without)["pages"] == ["welcome"]


def test_a_key_gone_from_the_keychain_since_the_last_start_brings_the_welcome_page(tmp_path: Path) -> None:
    profile = profile_started_before(tmp_path / "profile", "work")
    report = start(profile)
    assert report["pages"][-1] == "welcome" and not report["active"]
    assert first_page_of(profile) == "welcome"


def test_demo_mode_paints_the_frame_and_then_the_work_area(tmp_path: Path) -> None:
    report = start(profile_started_before(tmp_path / "profile", "welcome"), "--demo")
    assert report["pages"] == ["blank", "splitter"] and report["active"]
    assert imported(report["modules_at_first_paint"], AFTER_THE_FIRST_PAINT) == []


@pytest.mark.parametrize(
    ("page", "args", "key"), [("welcome", (), None), ("work", (), KEY), ("welcome", ("--demo",), None)]
)
def test_the_window_is_usable_before_the_second_start_answer_and_the_spend_are_imported(
    tmp_path: Path, page: str, args: tuple[str, ...], key: str | None
) -> None:
    report = start(profile_started_before(tmp_path / "profile", page), *args, key=key)
    assert imported(report["modules_when_usable"], ("sora2_desktop.ui.compose.compose_controller",))  # it was usable
    assert imported(report["modules_when_usable"], AFTER_USABLE) == []
    assert imported(report["modules_when_built"], ("PySide6.QtNetwork",))  # second starts are answered after that
    assert report["pyside_scan_quick"]  # PySide6 checks each module imported after Qt the cheap way


@pytest.mark.parametrize(("page", "args", "key"), [("work", (), KEY), ("welcome", ("--demo",), None)])
def test_the_work_area_is_on_screen_before_asyncio_is_imported(
    tmp_path: Path, page: str, args: tuple[str, ...], key: str | None
) -> None:
    report = start(profile_started_before(tmp_path / "profile", page), *args, key=key)
    assert report["pages"] == ["blank", "splitter"] and report["active"]
    assert imported(report["modules_when_usable"], ("sora2_desktop.ui.compose.compose_controller",))  # it was usable
    # qasync's loop and asyncio (~40 ms of imports) come after it: the later stages and the connection run in it.
    assert imported(report["modules_when_usable"], ("asyncio", "qasync")) == []
    assert imported(report["modules_when_built"], ("qasync",))

"""playback_support: the probe that decides, once, whether this machine plays video, and the remedy per OS. The
machine without media support is real, in a child process (tests/helpers/no_media.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pytestqt.qtbot import QtBot

from sora2_desktop.core.media import playback_support
from sora2_desktop.core.media.playback_support import MEDIA_FEATURE_PACK_URL, PlaybackSupport, remedy_for
from tests.helpers.no_media import no_media_env
from tests.helpers.startup import REPO

_PROBE = (
    "import json, sys; from PySide6.QtCore import QCoreApplication; app = QCoreApplication(sys.argv);"
    "from sora2_desktop.core.media import playback_support as p; s = p.current();"
    "print(json.dumps({'available': s.available, 'backend': s.backend, 'problem': s.problem, 'summary': s.summary(),"
    " 'same': p.current() is s}))"
)


def probe_in_child(env: dict[str, str]) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], cwd=REPO, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    answer: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def test_this_machine_plays_through_ffmpeg_and_the_answer_is_kept(qtbot: QtBot) -> None:
    support = playback_support.current()
    assert support == PlaybackSupport(True, backend="ffmpeg")
    assert support.summary() == ""
    assert playback_support.current() is support  # probed once


def test_without_the_libraries_the_probe_names_the_broken_one_and_the_packages(tmp_path: Path) -> None:
    answer = probe_in_child(no_media_env(tmp_path / "libs"))
    assert answer["available"] is False
    assert answer["backend"] == ""
    assert "ffmpeg media plugin could not load" in str(answer["problem"])
    assert "libavformat.so." in str(answer["problem"])  # the system's own words name the library
    assert "libegl1" in str(answer["summary"]) and "mesa-libEGL" in str(answer["summary"])
    assert answer["same"] is True


def test_windows_names_the_media_feature_pack_and_links_microsoft() -> None:
    remedy = remedy_for("win32")
    assert "Media Feature Pack" in remedy.text
    assert "Media Feature Pack" in remedy.link_text
    assert remedy.url == MEDIA_FEATURE_PACK_URL
    assert remedy.url.startswith("https://support.microsoft.com/")


def test_linux_names_the_packages_and_macos_says_reinstall() -> None:
    linux = remedy_for("linux")
    assert "libegl1" in linux.text and "mesa-libGL" in linux.text and linux.url == ""
    mac = remedy_for("darwin")
    assert "Reinstall" in mac.text and "--self-test" in mac.text and mac.url == ""

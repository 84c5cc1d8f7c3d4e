"""The Linux installers, built for real: packaging/build_linux.sh makes the PyInstaller bundle, the .deb and the
AppDir (and the AppImage where appimagetool exists); each is started the way a person's machine would start it.

Runs when SORA2_BUILD_BUNDLE=1 (CI sets it; about 4-5 minutes on 2 cores, most of it xz-compressing the .deb).
SORA2_BUNDLE_OUT=DIR keeps the build there instead of a temporary folder (and reuses its build venv next time).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers.wait import wait_until_blocking

REPO = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = REPO / "packaging" / "build_linux.sh"
LINUX_INSTALLER_BUDGET = 150 * 1024 * 1024  # the aim for the Linux installer

pytestmark = [
    pytest.mark.skipif(
        os.environ.get("SORA2_BUILD_BUNDLE") != "1",
        reason="builds the Linux installers (~5 min): set SORA2_BUILD_BUNDLE=1 (CI does)",
    ),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux installers build on Linux"),
    # The module's first test also pays for the build (a fresh venv, PyInstaller, xz): far over the 300 s default.
    pytest.mark.timeout(1800),
]


@dataclass
class Build:
    out: Path
    bundle: Path  # dist/sora2-desktop/ (the onedir bundle)
    deb: Path
    appdir: Path
    appimage: Path | None
    log: str


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Build]:
    kept = os.environ.get("SORA2_BUNDLE_OUT")
    out = Path(kept) if kept else tmp_path_factory.mktemp("linux-installers")
    # One build venv per checkout, beside the other build output (build/ is git-ignored): a second local run
    # skips the ~1 min of pip; CI's fresh clone makes it anew, as the issue asks.
    venv = REPO / "build" / "packaging-venv"
    started = time.monotonic()
    done = subprocess.run(
        ["bash", str(BUILD_SCRIPT), "--out", str(out), "--venv", str(venv)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1700,
    )
    elapsed = time.monotonic() - started
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-6000:]
    built = dict(re.findall(r"^built: (\S+) (.*)$", done.stdout, re.MULTILINE))
    print(f"\nbuild_linux.sh took {elapsed:.0f} s\n" + "\n".join(f"  {k} {v}" for k, v in built.items()))
    debs = sorted(out.glob("sora2-desktop_*.deb"))
    appimages = sorted(out.glob("*.AppImage"))
    assert len(debs) == 1, log[-3000:]
    yield Build(
        out=out,
        bundle=out / "dist" / "sora2-desktop",
        deb=debs[0],
        appdir=out / "AppDir",
        appimage=appimages[0] if appimages else None,
        log=log,
    )
    if not kept:
        shutil.rmtree(out, ignore_errors=True)  # ~800 MB: bundle, AppDir, .deb staging


def self_test(command: list[str], profile: Path, **extra_env: str) -> str:
    """Runs `command --self-test --profile PROFILE` offscreen; returns its one report line after checking it."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **extra_env}
    env.pop("PYTHONPATH", None)  # the bundle must stand on its own, not on this checkout or its venv
    done = subprocess.run(
        [*command, "--self-test", "--profile", str(profile)], env=env, capture_output=True, text=True, timeout=120
    )
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 0, done.stdout + done.stderr[-4000:]
    assert lines and lines[-1].startswith("self-test ok: "), done.stdout + done.stderr[-4000:]
    line = lines[-1]
    assert "window=ok" in line
    assert "frame=640x360" in line, line  # a frame of the bundled demo clip, decoded by the bundled FFmpeg
    assert "multimedia=ffmpeg" in line
    assert "timelines=fcpxml+xml+edl" in line, line  # the adapters' entry points and manifests were bundled
    return line


def test_bundle_self_test_decodes_a_frame(build: Build, tmp_path: Path) -> None:
    line = self_test([str(build.bundle / "sora2-desktop")], tmp_path / "profile")
    print(line)


def test_bundle_keeps_out_the_qt_modules_the_app_does_not_use(build: Build) -> None:
    internal = build.bundle / "_internal"
    python_modules = sorted(p.name.split(".")[0] for p in (internal / "PySide6").glob("Qt*.abi3.so"))
    assert python_modules == [
        "QtCore",
        "QtGui",
        "QtMultimedia",
        "QtMultimediaWidgets",
        "QtNetwork",
        "QtWidgets",
    ]
    files = [p.relative_to(internal).as_posix() for p in internal.rglob("*")]
    unwanted = re.compile(
        r"WebEngine|Qt6?3D|Qt6?Charts|DataVisualization|Qt6?Pdf|Bluetooth|Qt6?Sql|VirtualKeyboard|Qt6?Designer"
        r"|/qml/|translations/|libqpdf|libqeglfs|libqlinuxfb|libqvnc|libqgtk3|libgtk-3|/tls/|PIL/|pytest|moto/|boto"
    )
    assert [f for f in files if unwanted.search("/" + f)] == []
    assert (internal / "resources" / "demo_clip.mp4").is_file()
    for size in (16, 32, 48, 256, 512):  # the window icon (ui/app_icon.py) reads these through resource_path()
        assert (internal / "resources" / "icons" / f"sora2-desktop-{size}.png").is_file()
    assert not list((internal / "resources").rglob("*.sh")), "build-only files in the bundle"
    assert not list((internal / "resources").rglob("*.py")), "make_demo_media.py is a dev tool"
    # The stand-in's demo videos are built from these (sim/media): the index and every GOP it lists.
    index = json.loads((internal / "resources" / "demo_media" / "index.json").read_text(encoding="utf-8"))
    assert all((internal / "resources" / "demo_media" / gop["file"]).is_file() for gop in index["gops"])
    assert not [p for p in build.bundle.rglob("*") if p.is_symlink() and not p.exists()], "dangling symlinks"


def test_installer_sizes_stay_in_budget(build: Build) -> None:
    bundle_bytes = sum(p.stat().st_size for p in build.bundle.rglob("*") if p.is_file() and not p.is_symlink())
    deb_bytes = build.deb.stat().st_size
    print(f"\nbundle {bundle_bytes / 2**20:.1f} MiB unpacked; .deb {deb_bytes / 2**20:.1f} MiB")
    assert deb_bytes <= LINUX_INSTALLER_BUDGET
    assert bundle_bytes <= 230 * 2**20  # measured 183 MB; a jump means a Qt module or a dev package slipped in
    if build.appimage is not None:
        assert build.appimage.stat().st_size <= LINUX_INSTALLER_BUDGET


def _deb_field(deb: Path, field: str) -> str:
    done = subprocess.run(["dpkg-deb", "-f", str(deb), field], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_deb_metadata_and_menu_entry(build: Build) -> None:
    from sora2_desktop import __version__

    assert _deb_field(build.deb, "Package") == "sora2-desktop"
    assert _deb_field(build.deb, "Version") == __version__
    assert re.match(r"libc6 \(>= 2\.\d+\)", _deb_field(build.deb, "Depends"))
    listing = subprocess.run(["dpkg-deb", "-c", str(build.deb)], capture_output=True, text=True, check=True).stdout
    for path in (
        "./usr/bin/sora2-desktop -> ../lib/sora2-desktop/sora2-desktop",
        "./usr/lib/sora2-desktop/sora2-desktop",
        "./usr/share/applications/sora2-desktop.desktop",
        "./usr/share/icons/hicolor/16x16/apps/sora2-desktop.png",
        "./usr/share/icons/hicolor/256x256/apps/sora2-desktop.png",
        "./usr/share/icons/hicolor/scalable/apps/sora2-desktop.svg",
        "./usr/share/metainfo/io.github.sora2desktop.Sora2Desktop.metainfo.xml",
    ):
        assert path in listing, path
    assert " root/root " in listing and not re.search(r"^\S+ (?!root/root)\S+/\S+ ", listing, re.MULTILINE)


def test_installed_deb_starts_and_decodes_a_frame(build: Build, tmp_path: Path) -> None:
    """The .deb extracted as dpkg would install it (no root needed), started through its /usr/bin link."""
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(build.deb), str(root)], check=True)
    entry = (root / "usr/share/applications/sora2-desktop.desktop").read_text(encoding="utf-8")
    exec_line = re.search(r"^Exec=(\S+)", entry, re.MULTILINE)
    icon_line = re.search(r"^Icon=(\S+)", entry, re.MULTILINE)
    assert exec_line and icon_line
    launcher = root / "usr/bin" / exec_line.group(1)  # what the menu runs, found on PATH in /usr/bin
    assert launcher.is_symlink() and launcher.resolve().is_file()
    assert (root / f"usr/share/icons/hicolor/48x48/apps/{icon_line.group(1)}.png").is_file()
    line = self_test([str(launcher)], tmp_path / "profile")
    print(line)


def test_appdir_and_appimage_start_and_decode_a_frame(build: Build, tmp_path: Path) -> None:
    """The AppDir is what the AppImage mounts and runs (AppRun); the AppImage itself only where appimagetool was."""
    for name in ("AppRun", "sora2-desktop.desktop", "sora2-desktop.png", ".DirIcon"):
        assert (build.appdir / name).exists(), name
    self_test([str(build.appdir / "AppRun")], tmp_path / "appdir-profile")
    if build.appimage is not None:
        self_test([str(build.appimage)], tmp_path / "appimage-profile", APPIMAGE_EXTRACT_AND_RUN="1")


def test_every_library_from_outside_the_bundle_is_a_declared_dependency(build: Build) -> None:
    """ldd on every bundled file: what resolves outside the bundle must come from a package the .deb depends on."""
    if not shutil.which("dpkg-query"):
        pytest.skip("needs dpkg to map libraries to packages")
    internal = build.bundle / "_internal"
    env = {**os.environ, "LD_LIBRARY_PATH": f"{internal}:{internal / 'PySide6/Qt/lib'}"}
    elves = [p for p in build.bundle.rglob("*") if p.is_file() and not p.is_symlink() and ".so" in p.name]
    outside: set[str] = set()
    missing: set[str] = set()
    for elf in [build.bundle / "sora2-desktop", *elves]:
        done = subprocess.run(["ldd", str(elf)], env=env, capture_output=True, text=True)
        for match in re.finditer(r"^\s*(\S+) => (.+?)(?: \(0x[0-9a-f]+\))?$", done.stdout, re.MULTILINE):
            name, where = match.groups()
            if where == "not found":
                missing.add(name)
            elif not where.startswith(str(build.bundle)):
                outside.add(os.path.realpath(where))
    assert missing == set()
    owners = set()
    for path in sorted(outside):
        found = subprocess.run(["dpkg-query", "-S", path], capture_output=True, text=True)
        if found.returncode != 0:  # merged /usr: dpkg knows /lib/x86_64-linux-gnu/..., ldd may say /usr/lib/...
            alt = path.removeprefix("/usr") if path.startswith("/usr/lib") else "/usr" + path
            found = subprocess.run(["dpkg-query", "-S", alt], capture_output=True, text=True)
        assert found.returncode == 0, f"{path}: no package owns it"
        owners.add(found.stdout.split(":", 1)[0].strip())
    depends = {d.strip().split(" ", 1)[0] for d in _deb_field(build.deb, "Depends").split(",")}
    undeclared = owners - depends
    assert undeclared == set(), f"the bundle uses {undeclared} from the system: add to packaging/linux/depends.txt"


def test_demo_mode_runs_from_the_bundle(build: Build, tmp_path: Path) -> None:
    """`--demo` starts the in-process stand-in (lazily imported): the window connects to it and says so in the log."""
    profile = tmp_path / "profile"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    app = subprocess.Popen(
        [str(build.bundle / "sora2-desktop"), "--demo", "--profile", str(profile)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    log_file = profile / "logs" / "sora2-desktop.log"

    def connected() -> bool:
        return log_file.exists() and "session active (demo)" in log_file.read_text(encoding="utf-8", errors="replace")

    try:
        wait_until_blocking(lambda: app.poll() is not None or connected(), 60, "the demo session (or an early exit)")
        assert app.poll() is None, app.communicate()[1][-4000:]
        assert connected()
    finally:
        if app.poll() is None:
            app.send_signal(signal.SIGTERM)
            try:
                app.wait(timeout=20)
            except subprocess.TimeoutExpired:
                app.kill()
                app.wait()
        if app.stderr is not None:
            app.stderr.close()  # wait() leaves the pipe open: a ResourceWarning (an error here) when collected


def test_bundle_finds_the_system_keychain(build: Build, tmp_path: Path) -> None:
    """Inside a private D-Bus session with an unlocked gnome-keyring, the bundled keyring picks SecretService."""
    if not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")):
        pytest.skip("needs dbus-run-session and gnome-keyring-daemon (Debian: dbus-daemon, gnome-keyring)")
    script = tmp_path / "with-keyring.sh"
    script.write_text(
        '#!/bin/sh\neval "$(printf "" | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"\nexec "$@"\n'
    )
    script.chmod(0o755)
    line = self_test(["dbus-run-session", "--", str(script), str(build.bundle / "sora2-desktop")], tmp_path / "p")
    assert "keychain=SecretService" in line, line

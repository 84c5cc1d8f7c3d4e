"""The packaging files every platform's installer is made from: checked here on any machine, without building.

The icon set (rendered from the SVG by packaging/make_icons.py and committed), the menu entry, the macOS plist
fields, the Inno Setup script's per-user settings, the spec's Qt module choices and the dependency locks (the CI
workflow: test_installers_workflow.py).
"""

from __future__ import annotations

import configparser
import plistlib
import re
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
ICONS = REPO / "resources" / "icons"


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("size", [16, 22, 24, 32, 48, 64, 128, 256, 512, 1024])
def test_png_icon_sizes(size: int) -> None:
    assert _png_size(ICONS / f"sora2-desktop-{size}.png") == (size, size)


def test_png_icon_is_the_svg_rendered(qapp: Any) -> None:
    """The committed 64 px PNG is what the SVG renders to today: nobody edited one without regenerating the other."""
    from PySide6.QtGui import QImage

    sys.path.insert(0, str(PACKAGING))
    try:
        from make_icons import render_png
    finally:
        sys.path.remove(str(PACKAGING))
    fresh = QImage.fromData(render_png(ICONS / "sora2-desktop.svg", 64))
    committed = QImage(str(ICONS / "sora2-desktop-64.png"))
    assert fresh.size() == committed.size()
    differing = sum(
        1
        for y in range(0, 64, 4)
        for x in range(0, 64, 4)
        if abs(fresh.pixelColor(x, y).red() - committed.pixelColor(x, y).red()) > 8
        or abs(fresh.pixelColor(x, y).alpha() - committed.pixelColor(x, y).alpha()) > 8
    )
    assert differing <= 4, "resources/icons/*.png are stale: run packaging/make_icons.py"
    # Rounded corners are transparent; the middle is the opaque play triangle.
    assert committed.pixelColor(0, 0).alpha() == 0
    assert committed.pixelColor(30, 32).alpha() == 255


def test_ico_holds_every_windows_size() -> None:
    data = (ICONS / "sora2-desktop.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = set()
    for i in range(count):
        width, height = data[6 + 16 * i], data[7 + 16 * i]
        sizes.add((width or 256, height or 256))  # 0 means 256 in an ICONDIRENTRY
    assert {(s, s) for s in (16, 24, 32, 48, 64, 128, 256)} <= sizes


def test_icns_holds_the_retina_sizes() -> None:
    data = (ICONS / "sora2-desktop.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    types, offset = set(), 8
    while offset < len(data):
        kind, length = data[offset : offset + 4].decode("ascii"), struct.unpack(">I", data[offset + 4 : offset + 8])[0]
        types.add(kind)
        offset += length
    # 128, 256, 512 and 1024 (512@2x) px, and the @2x variants of 16/32 that Finder and the Dock pick on Retina.
    assert {"ic07", "ic08", "ic09", "ic10", "ic11", "ic12", "ic13", "ic14"} <= types


def test_svg_source_is_valid_and_square(qapp: Any) -> None:
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(ICONS / "sora2-desktop.svg"))
    assert renderer.isValid()
    assert renderer.defaultSize().width() == renderer.defaultSize().height()


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(REPO / "resources" / "sora2-desktop.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_puts_the_app_in_the_menu() -> None:
    entry = _desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] == "sora2-desktop"  # /usr/bin/sora2-desktop from the .deb
    assert entry["Icon"] == "sora2-desktop"  # hicolor theme name, and the AppImage's top-level icon
    assert entry["Terminal"] == "false"
    categories = entry["Categories"].rstrip(";").split(";")
    assert "AudioVideo" in categories and "Video" in categories
    # Qt reports this as the Wayland app id / X11 class (app.py: setDesktopFileName), tying windows to the entry.
    assert entry["StartupWMClass"] == "sora2-desktop"


def test_desktop_entry_passes_desktop_file_validate() -> None:
    import shutil

    assert shutil.which("desktop-file-validate"), "install desktop-file-utils (dev.sh's SYSTEM_PACKAGES does)"
    done = subprocess.run(
        ["desktop-file-validate", str(REPO / "resources" / "sora2-desktop.desktop")], capture_output=True, text=True
    )
    assert done.returncode == 0 and "error" not in done.stdout.lower(), done.stdout


def test_macos_info_plist_has_what_a_mac_app_needs() -> None:
    with (PACKAGING / "macos" / "Info.plist").open("rb") as f:
        info = plistlib.load(f)
    assert info["CFBundlePackageType"] == "APPL"
    assert info["NSHighResolutionCapable"] is True
    assert info["NSPrincipalClass"] == "NSApplication"
    assert re.fullmatch(r"\d+\.\d+", info["LSMinimumSystemVersion"])
    assert info["LSApplicationCategoryType"].startswith("public.app-category.")
    with (PACKAGING / "macos" / "entitlements.plist").open("rb") as f:
        entitlements = plistlib.load(f)
    assert entitlements.get("com.apple.security.cs.allow-unsigned-executable-memory") is True
    assert "com.apple.security.app-sandbox" not in entitlements  # not a Mac App Store build


def test_inno_setup_script_installs_per_user_with_menu_entry_and_uninstaller() -> None:
    iss = (PACKAGING / "windows" / "sora2-desktop.iss").read_text(encoding="utf-8")
    setup = dict(
        line.split("=", 1)
        for line in iss.split("[Setup]", 1)[1].split("\n[", 1)[0].splitlines()
        if "=" in line and not line.startswith(";")
    )
    assert setup["PrivilegesRequired"] == "lowest"
    assert setup["DefaultDirName"].startswith("{autopf}")  # %LOCALAPPDATA%\Programs when per-user
    assert setup["SetupIconFile"].endswith("sora2-desktop.ico")
    assert (PACKAGING / "windows" / setup["SetupIconFile"].replace("\\", "/")).resolve() == ICONS / "sora2-desktop.ico"
    assert "Uninstallable" not in setup or setup["Uninstallable"].lower() in {"yes", "true"}
    assert re.search(r'^Name: "\{autoprograms\}\\', iss, re.MULTILINE), "no Start-menu entry"


def test_spec_bundles_exactly_the_qt_modules_the_app_imports() -> None:
    """The spec's QT_USED is every PySide6 module imported by the app's code (plus QtNetwork, which QtMultimedia
    imports itself): a new import of, say, QtSvg must be added there or the bundle will lack it."""
    imported = set()
    for source in (REPO / "sora2_desktop").rglob("*.py"):
        imported |= set(re.findall(r"PySide6\.(Qt\w+)", source.read_text(encoding="utf-8")))
    spec = (PACKAGING / "sora2-desktop.spec").read_text(encoding="utf-8")
    used = set(re.findall(r'"(Qt\w+)"', re.search(r"QT_USED = \{([^}]*)\}", spec).group(1)))  # type: ignore[union-attr]
    assert imported <= used, f"add {imported - used} to QT_USED in packaging/sora2-desktop.spec"
    assert used - imported <= {"QtNetwork"}


def test_build_scripts_are_valid_shell() -> None:
    scripts = (PACKAGING / "build_linux.sh", PACKAGING / "macos" / "build_macos.sh", PACKAGING / "linux" / "AppRun")
    for script in scripts:
        subprocess.run(["bash", "-n", str(script)], check=True)
        assert script.stat().st_mode & 0o111, f"{script} is not executable"


# --- dependencies that cannot surprise a release ------------------------------------------------------------------

LOCKS = (PACKAGING / "requirements-lock.txt", PACKAGING / "requirements-build-lock.txt")
BUILD_SCRIPTS = (
    PACKAGING / "build_linux.sh",
    PACKAGING / "macos" / "build_macos.sh",
    PACKAGING / "windows" / "build_windows.ps1",
)


def _runtime_requirements() -> list[str]:
    import tomllib

    with (REPO / "pyproject.toml").open("rb") as stream:
        return list(tomllib.load(stream)["project"]["dependencies"])


def _name(requirement: str) -> str:
    """The PEP 503 normalised project name of a requirement line ("PySide6-Addons>=6.8" -> "pyside6-addons")."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group(1)).lower()


def _locked(lock: Path) -> dict[str, list[str]]:
    """name -> the hashes of its pinned entry, from a `--generate-hashes` lock (entries continue with `\\`)."""
    text = lock.read_text(encoding="utf-8").replace("\\\n", " ")
    entries: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith(("#", "-")):
            continue
        assert "==" in line.split(";")[0], f"{lock.name}: not pinned to one version: {line.strip()[:80]}"
        entries[_name(line)] = re.findall(r"--hash=sha256:([0-9a-f]{64})", line)
    return entries


def test_every_runtime_dependency_has_an_upper_bound() -> None:
    for requirement in _runtime_requirements():
        specifier = requirement.split(";")[0]
        assert re.search(r"<[^=]|<=|==|~=", specifier), f"{requirement!r} has no upper bound"


def test_the_lock_pins_every_runtime_dependency_with_hashes() -> None:
    locked = _locked(LOCKS[0])
    for requirement in _runtime_requirements():
        assert _name(requirement) in locked, f"{_name(requirement)} is missing from {LOCKS[0].name}"
    for lock in LOCKS:
        for name, hashes in _locked(lock).items():
            assert hashes, f"{lock.name}: {name} has no --hash"
    # The big wheels differ by platform: a Linux-only lock would fail on the Windows and macOS builders.
    assert len(locked["pyside6-essentials"]) >= 3 and len(locked["shiboken6"]) >= 3
    assert "pywin32-ctypes" in locked  # keyring's Windows dependency: the lock covers every platform's markers


def test_the_lock_agrees_with_the_bounds_in_pyproject() -> None:
    from packaging.requirements import Requirement

    pins = {}
    for line in LOCKS[0].read_text(encoding="utf-8").replace("\\\n", " ").splitlines():
        if "==" in line and not line.lstrip().startswith("#"):
            pins[_name(line)] = line.split("==")[1].split()[0].split(";")[0]
    for requirement in map(Requirement, _runtime_requirements()):
        version = pins[_name(requirement.name)]
        assert requirement.specifier.contains(version), f"{requirement} does not allow the locked {version}"


def test_the_installer_builds_install_only_the_hash_checked_locks() -> None:
    for script in BUILD_SCRIPTS:
        text = script.read_text(encoding="utf-8")
        installs = [
            line for line in text.splitlines() if "-m pip install" in line and not line.lstrip().startswith("#")
        ]
        assert installs, f"{script.name} installs nothing"
        for line in installs:
            assert "--require-hashes" in line, f"{script.name}: {line.strip()}"
        assert "requirements-lock.txt" in text and "requirements-build-lock.txt" in text
        assert "--upgrade pip" not in text, f"{script.name} fetches an unpinned pip"

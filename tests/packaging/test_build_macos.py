"""packaging/macos/build_macos.sh run here, on Linux, against stand-ins for Apple's tools.

The script is copied into a scratch checkout and runs with stand-in `uname`, `xcrun`, `codesign`, `hdiutil`, `spctl`,
`ditto`, `lipo`, `security`, `file` and `shasum` first on PATH, and a stand-in build Python whose `-m PyInstaller`
makes a fake .app whose executable prints the two self-test lines (and, as the spec does, writes the SBOM and licence
list where SORA2_THIRD_PARTY_OUT says). Every stand-in appends its argv to a log, so a test reads what the script
asked of Apple's tools and in which order. What this proves: the notarisation's status decides, hdiutil's "Resource
busy" is retried a bounded number of times, the artefact and SHA256SUMS are named and written as the workflow
expects, and no credential reaches the output.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "packaging" / "macos" / "build_macos.sh"
VERSION = "9.8.7"  # what the stand-in Python says sora2_desktop.__version__ is
PASSWORD = "app-specific-secret-1234"  # a stand-in credential the output must never show
APPLE_LOG = "The signature of the binary is invalid."
SUBMISSION = "2efe2717-52ef-43a5-96dc-0797e4ca1041"  # the id Apple gives the submission

STANDINS = {
    "uname": """
        case "${1:-}" in -m) echo "$FAKE_ARCH" ;; *) echo Darwin ;; esac
    """,
    "lipo": """
        log lipo "$@"; echo "$FAKE_ARCH"
    """,
    "file": """
        case "$2" in */Contents/MacOS/*) echo "Mach-O 64-bit executable $FAKE_ARCH" ;; *) echo data ;; esac
    """,
    "shasum": """
        [ "$1 $2" = "-a 256" ] || { echo "stand-in shasum: only -a 256" >&2; exit 64; }
        shift 2; exec sha256sum "$@"
    """,
    "codesign": """
        log codesign "$@"
    """,
    "spctl": """
        log spctl "$@"; echo "$4: accepted"
    """,
    "security": """
        log security "$@"
    """,
    "ditto": """
        log ditto "$@"; cp -R "$1" "$2"
    """,
    "hdiutil": """
        log hdiutil "$@"
        if [ "$1" = create ]; then
          n=$(( $(cat "$STATE/hdiutil_creates" 2>/dev/null || echo 0) + 1 )); echo "$n" > "$STATE/hdiutil_creates"
          if [ "$n" -le "${FAKE_HDIUTIL_BUSY:-0}" ]; then
            echo "hdiutil: create failed - Resource busy" >&2; exit 1
          fi
          for last; do :; done; echo "fake dmg" > "$last"; echo "created: $last"
        fi
    """,
    "xcrun": """
        log xcrun "$@"
        case "$1 $2" in
          "notarytool submit")
            echo "Conducting pre-submission checks for the .dmg and initiating connection to the Apple service..." >&2
            printf '{"id":"%s","status":"%s","message":"Processing complete"}\n' "$SUBMISSION" "$FAKE_NOTARY_STATUS" ;;
          "notarytool log") echo '{"issues":[{"severity":"error","message":"'"$FAKE_APPLE_LOG"'"}]}' ;;
          "stapler staple") echo "The staple and validate action worked!" ;;
          "stapler validate") echo "The validate action worked!" ;;
          *) echo "stand-in xcrun: unexpected $*" >&2; exit 64 ;;
        esac
    """,
}

# The build Python: makes a venv of itself, pretends to install, and makes a .app with PyInstaller; anything else
# (the script's JSON reading) is the real interpreter's.
FAKE_PYTHON = f"""
    if [ "$1 $2" = "-m venv" ]; then mkdir -p "$3/bin"; cp "$0" "$3/bin/python"; exit 0; fi
    if [ "$1 $2" = "-m pip" ]; then log pip "$@"; exit 0; fi
    if [ "$1 $2" = "-m PyInstaller" ]; then
      log PyInstaller "$@"
      [ -z "${{SORA2_THIRD_PARTY_OUT_OVERRIDE:-}}" ] || SORA2_THIRD_PARTY_OUT="$STATE"
      echo '{{"bomFormat": "CycloneDX"}}' > "$SORA2_THIRD_PARTY_OUT/sbom.cdx.json"
      echo "httpx 0.28.1 BSD-3-Clause" > "$SORA2_THIRD_PARTY_OUT/THIRD_PARTY_LICENSES.txt"
      while [ $# -gt 0 ] && [ "$1" != --distpath ]; do shift; done
      exe="$2/Sora 2 Desktop.app/Contents/MacOS/sora2-desktop"
      mkdir -p "$(dirname "$exe")"
      printf '%s\\n' '#!/bin/bash' "$SELF_TEST_BODY" > "$exe"; chmod +x "$exe"
      exit 0
    fi
    if [ "$1" = -c ]; then
      case "$2" in
        *platform.machine*) echo "$FAKE_ARCH"; exit 0 ;;
        *sora2_desktop.__version__*) echo {VERSION}; exit 0 ;;
      esac
    fi
    exec {sys.executable} "$@"
"""

SELF_TEST_OK = (
    'echo "self-test ok: window=ok keychain=file timelines=3 qt=6.11.3"; '
    'echo "self-test player: ok frame=640x360 multimedia=darwin"'
)
SELF_TEST_NO_PLAYER = (
    'echo "self-test ok: window=ok keychain=file timelines=3 qt=6.11.3"; '
    'echo "self-test player: unavailable: no multimedia backend"; exit 3'
)


@dataclass
class Run:
    code: int
    output: str
    calls: list[str]  # one line per stand-in call: "<tool> <args...>"
    out: Path
    state: Path


Build = Callable[..., Run]  # the fixture: positional arguments for the script, keywords for its environment


def _write_tool(path: Path, body: str) -> None:
    lines = [line[8:] if line.startswith(" " * 8) else line.strip() for line in body.strip("\n").splitlines()]
    prelude = 'log() { printf "%s\\n" "$*" >> "$STATE/calls"; }'
    path.write_text("#!/bin/bash\n" + prelude + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


@pytest.fixture
def build(tmp_path: Path) -> Build:
    """Runs the copied script with the stand-ins; keyword arguments become environment variables."""
    checkout = tmp_path / "checkout"
    (checkout / "packaging" / "macos").mkdir(parents=True)
    for name in ("build_macos.sh", "entitlements.plist"):
        shutil.copy2(REPO / "packaging" / "macos" / name, checkout / "packaging" / "macos" / name)
    for name in ("requirements-lock.txt", "requirements-build-lock.txt", "sora2-desktop.spec"):
        (checkout / "packaging" / name).write_text("", encoding="utf-8")
    tools = tmp_path / "standins"
    tools.mkdir()
    for name, body in STANDINS.items():
        _write_tool(tools / name, body)
    _write_tool(tools / "python-for-build", FAKE_PYTHON)
    state = tmp_path / "state"
    state.mkdir()

    def run(*args: str, **env: str) -> Run:
        out = tmp_path / "out"
        environment = {
            "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}",
            "HOME": str(tmp_path),
            "STATE": str(state),
            "FAKE_ARCH": "arm64",
            "FAKE_NOTARY_STATUS": "Accepted",
            "SUBMISSION": SUBMISSION,
            "FAKE_APPLE_LOG": APPLE_LOG,
            "SELF_TEST_BODY": SELF_TEST_OK,
            "HDIUTIL_TRIES": "3",
            "HDIUTIL_RETRY_PAUSE": "0",
            "MACOS_SIGN_IDENTITY": "Developer ID Application: Test Studio (TEAM123456)",
            "APPLE_ID": "release@example.com",
            "APPLE_TEAM_ID": "TEAM123456",
            "APPLE_APP_PASSWORD": PASSWORD,
            **env,
        }
        command = ["bash", str(checkout / "packaging" / "macos" / "build_macos.sh"), "--out", str(out)]
        command += ["--python", str(tools / "python-for-build"), *args]
        done = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=120)
        calls_file = state / "calls"
        calls = calls_file.read_text(encoding="utf-8").splitlines() if calls_file.exists() else []
        return Run(done.returncode, done.stdout + done.stderr, calls, out, state)

    return run


def _index(calls: list[str], prefix: str) -> int:
    return next(i for i, call in enumerate(calls) if call.startswith(prefix))


def test_accepted_notarisation_is_stapled_validated_and_assessed(build: Build) -> None:
    run = build()
    assert run.code == 0, run.output
    dmg = run.out / f"Sora2Desktop-{VERSION}-macos-arm64.dmg"
    assert dmg.is_file()
    app = str(run.out / "dist" / "Sora 2 Desktop.app")
    order = [
        _index(run.calls, "xcrun notarytool submit"),
        run.calls.index(f"xcrun stapler staple {dmg}"),
        run.calls.index(f"xcrun stapler validate {dmg}"),
        run.calls.index(f"spctl --assess --type open --context context:primary-signature --verbose=2 {dmg}"),
        run.calls.index(f"spctl --assess --type execute --verbose=2 {app}"),
    ]
    assert order == sorted(order), run.calls
    # Inside out: the executable, then the .app, then a strict deep check of what was sealed.
    signing = [i for i, call in enumerate(run.calls) if call.startswith("codesign --force --sign Developer ID")]
    assert run.calls[signing[0]].endswith(f"{app}/Contents/MacOS/sora2-desktop")
    assert run.calls[signing[1]].endswith(
        "--entitlements " + str(run.out.parent / "checkout/packaging/macos/entitlements.plist") + f" --timestamp {app}"
    )
    assert signing[1] < run.calls.index(f"codesign --verify --deep --strict --verbose=2 {app}")
    submit = run.calls[order[0]]
    assert "--wait" in submit and "--output-format json" in submit and str(dmg) in submit
    assert not any(call.startswith("xcrun notarytool log") for call in run.calls)
    # The .dmg is signed after hdiutil made it, before it goes to Apple.
    dmg_signing = [i for i, c in enumerate(run.calls) if c.startswith("codesign") and c.endswith(str(dmg))]
    assert dmg_signing and _index(run.calls, "hdiutil create") < dmg_signing[0] < order[0]
    sums = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=run.out, capture_output=True, text=True)
    assert sums.returncode == 0 and f"{dmg.name}: OK" in sums.stdout, sums.stdout + sums.stderr
    assert PASSWORD not in run.output


def test_rejected_notarisation_fails_the_build_and_prints_apples_log(build: Build) -> None:
    run = build(FAKE_NOTARY_STATUS="Invalid")
    assert run.code != 0
    assert APPLE_LOG in run.output
    assert "status 'Invalid'" in run.output
    assert any(call.startswith(f"xcrun notarytool log {SUBMISSION}") for call in run.calls)
    assert not any(call.startswith(("xcrun stapler", "spctl")) for call in run.calls)
    assert not (run.out / "SHA256SUMS").exists()
    assert PASSWORD not in run.output


def test_an_unreadable_notary_answer_fails_too(build: Build) -> None:
    run = build(FAKE_NOTARY_STATUS="")
    assert run.code != 0
    assert "status 'unknown'" in run.output
    assert not any(call.startswith("xcrun stapler") for call in run.calls)


def test_hdiutil_busy_once_is_retried_and_the_build_succeeds(build: Build) -> None:
    run = build(FAKE_HDIUTIL_BUSY="1")
    assert run.code == 0, run.output
    assert sum(call.startswith("hdiutil create") for call in run.calls) == 2
    assert "resource busy (try 1 of 3)" in run.output
    assert (run.out / f"Sora2Desktop-{VERSION}-macos-arm64.dmg").is_file()


def test_hdiutil_busy_every_time_fails_after_the_set_number_of_tries(build: Build) -> None:
    run = build(FAKE_HDIUTIL_BUSY="99")
    assert run.code != 0
    assert sum(call.startswith("hdiutil create") for call in run.calls) == 3
    assert "still busy after 3 tries" in run.output
    assert not any(call.startswith("xcrun") for call in run.calls)


def test_the_artefact_is_named_after_the_intel_architecture(build: Build) -> None:
    run = build("--arch", "x86_64", FAKE_ARCH="x86_64")
    assert run.code == 0, run.output
    assert (run.out / f"Sora2Desktop-{VERSION}-macos-x86_64.dmg").is_file()


def test_a_python_of_another_architecture_is_refused(build: Build) -> None:
    run = build("--arch", "x86_64")  # the machine and its Python are arm64
    assert run.code != 0
    assert "runs as arm64, not x86_64" in run.output
    assert not any(call.startswith("PyInstaller") for call in run.calls)


def test_a_player_that_cannot_play_fails_the_mac_build(build: Build) -> None:
    run = build(SELF_TEST_BODY=SELF_TEST_NO_PLAYER)
    assert run.code != 0
    assert "self-test exited 3" in run.output
    assert not any(call.startswith("hdiutil") for call in run.calls)


def test_without_credentials_nothing_goes_to_apple_and_the_log_says_so(build: Build) -> None:
    run = build(MACOS_SIGN_IDENTITY="", APPLE_ID="", APPLE_TEAM_ID="", APPLE_APP_PASSWORD="")
    assert run.code == 0, run.output
    assert not any(call.startswith(("xcrun", "spctl")) for call in run.calls)
    assert "not notarised" in run.output
    assert any(call.startswith("codesign --force --sign - ") for call in run.calls)  # ad hoc


def test_the_sbom_and_licences_lie_beside_the_dmg_and_in_the_checksums(build: Build) -> None:
    run = build()
    assert run.code == 0, run.output
    listed = [line.split()[1] for line in (run.out / "SHA256SUMS").read_text(encoding="utf-8").splitlines()]
    assert listed == [f"Sora2Desktop-{VERSION}-macos-arm64.dmg", "sbom.cdx.json", "THIRD_PARTY_LICENSES.txt"]


def test_a_spec_that_made_no_sbom_stops_the_build_before_signing(build: Build) -> None:
    run = build(SORA2_THIRD_PARTY_OUT_OVERRIDE="1")
    assert run.code != 0
    assert "the spec wrote no" in run.output and "sbom.cdx.json" in run.output
    assert not any(call.startswith("codesign") for call in run.calls)

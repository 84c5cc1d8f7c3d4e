"""packaging/linux/glibc_floor.sh: the check that keeps the Linux bundle starting on Rocky/RHEL 9 (glibc 2.34).

It must name the files that need a newer glibc and fail, or a bundle built on a newer system ships and dies on the
workstations with "version `GLIBC_2.3x' not found". The crafted files below hold canned `objdump -T` output, which a
stand-in objdump prints, so the check is tested on known symbol versions; one test runs the real objdump too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHECK = REPO / "packaging" / "linux" / "glibc_floor.sh"

# What binutils' objdump -T prints for a file (after its "file format" header): versioned references in brackets
# (binutils >= 2.35), unversioned ones, and a GLIBC_PRIVATE one that is no version at all.
OLD_ENOUGH = """\
0000000000000000      DF *UND*	0000000000000000 (GLIBC_2.2.5) free
0000000000000000      DF *UND*	0000000000000000 (GLIBC_2.3.4) __memcpy_chk
0000000000000000      DF *UND*	0000000000000000 (GLIBC_2.17) clock_gettime
0000000000000000      DF *UND*	0000000000000000 (GLIBC_2.34) pthread_create
0000000000000000  w   D  *UND*	0000000000000000  Base        __gmon_start__
0000000000000000      DO *UND*	0000000000000000 (GLIBC_PRIVATE) _rtld_global
"""
TOO_NEW = """\
0000000000000000      DF *UND*	0000000000000000 (GLIBC_2.14) memcpy
0000000000000000      DF *UND*	0000000000000000 (GLIBC_2.36) arc4random
0000000000000000      DF *UND*	0000000000000000 (GLIBC_2.35) hypot
0000000000000000      DF *UND*	0000000000000000 GLIBC_2.36  arc4random_buf
"""
STAND_IN_OBJDUMP = """#!/bin/sh
# objdump -T FILE...: prints each file's canned symbol table under the header binutils prints
shift
for f in "$@"; do
  printf '\\n%s:     file format elf64-x86-64\\n\\nDYNAMIC SYMBOL TABLE:\\n' "$f"
  cat "$f"
done
"""


def _bundle(tmp_path: Path, files: dict[str, str]) -> Path:
    bundle = tmp_path / "bundle"
    for name, symbols in files.items():
        path = bundle / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(symbols)
    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "objdump").write_text(STAND_IN_OBJDUMP)
    (tools / "objdump").chmod(0o755)
    return bundle


def _check(floor: str, bundle: Path, tools: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if tools is not None:
        env["PATH"] = f"{tools}{os.pathsep}{env['PATH']}"
    return subprocess.run(["bash", str(CHECK), floor, str(bundle)], capture_output=True, text=True, env=env, timeout=60)


def test_a_bundle_within_the_floor_passes_and_prints_the_newest_version_it_needs(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path, {"_internal/libQt6Core.so.6": OLD_ENOUGH, "sora2-desktop.so": OLD_ENOUGH})
    done = _check("2.34", bundle, tmp_path / "tools")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2.34"  # 2.34 > 2.17 > 2.3.4 > 2.2.5: versions, not strings, are compared


def test_a_file_past_the_floor_fails_the_build_and_is_named_with_its_symbols(tmp_path: Path) -> None:
    bundle = _bundle(
        tmp_path,
        {
            "_internal/libQt6Core.so.6": OLD_ENOUGH,
            "_internal/libstdc++.so.6": TOO_NEW,
            "_internal/libpython3.11.so": TOO_NEW,
        },
    )
    done = _check("2.34", bundle, tmp_path / "tools")
    assert done.returncode == 1
    assert done.stdout == ""  # no version for the .deb's libc6 from a failed check
    lines = [line.strip() for line in done.stderr.splitlines()]
    assert "GLIBC_2.36: _internal/libstdc++.so.6 (arc4random, arc4random_buf)" in lines, done.stderr
    assert "GLIBC_2.35: _internal/libstdc++.so.6 (hypot)" in lines, done.stderr
    assert "GLIBC_2.36: _internal/libpython3.11.so (arc4random, arc4random_buf)" in lines, done.stderr
    assert "libQt6Core" not in done.stderr  # within the floor: not named


def test_the_floor_compares_versions_numerically(tmp_path: Path) -> None:
    needs_2_10 = "0000000000000000      DF *UND*	0000000000000000 (GLIBC_2.10) sched_getcpu\n"
    bundle = _bundle(tmp_path, {"lib.so": needs_2_10})
    assert _check("2.9", bundle, tmp_path / "tools").returncode == 1  # "2.10" < "2.9" as strings
    assert _check("2.10", bundle, tmp_path / "tools").stdout.strip() == "2.10"


def test_a_folder_with_no_glibc_references_is_an_error_not_a_pass(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path, {"README.so": "not a symbol table\n"})
    done = _check("2.34", bundle, tmp_path / "tools")
    assert done.returncode == 1
    assert "no file" in done.stderr


def test_real_objdump_on_a_real_executable(tmp_path: Path) -> None:
    """binutils' own output (dev.sh installs binutils): a system executable needs some glibc, more than 2.0, and no
    more than this machine's."""
    assert shutil.which("objdump"), "objdump is missing: ./dev.sh installs binutils"
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    shutil.copy2("/usr/bin/env", bundle / "env")
    machine = os.confstr("CS_GNU_LIBC_VERSION").split()[1]  # type: ignore[union-attr]
    done = _check(machine, bundle)
    assert done.returncode == 0, done.stderr
    needed = tuple(int(x) for x in done.stdout.strip().split("."))
    assert (2, 0) < needed <= tuple(int(x) for x in machine.split("."))
    failed = _check("2.0", bundle)
    assert failed.returncode == 1
    assert ": env (" in failed.stderr

"""The Windows recipe, read here (PowerShell and Inno Setup do not run on this machine).

The Inno script is put through a small stand-in for Inno's preprocessor (the #define/#ifdef subset it uses), once as
build_windows.ps1 calls ISCC for a signed build and once for an unsigned one, so the [Setup] Inno would see is what is
checked: signing directives for the setup and its uninstaller, and the installer's name. The PowerShell is checked for
how it calls ISCC and signtool, and how it reads the self-test. The QtNetwork hook runs against a stand-in of
PyInstaller's Qt helpers that offers OpenSSL, to prove the bundle takes none.
"""

from __future__ import annotations

import re
import runpy
import sys
import types
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
WINDOWS = REPO / "packaging" / "windows"
ISS = WINDOWS / "sora2-desktop.iss"
BUILD = WINDOWS / "build_windows.ps1"
SELF_TEST = WINDOWS / "self_test.ps1"
HOOKS = REPO / "packaging" / "pyinstaller_hooks"


def _preprocess(text: str, defines: dict[str, str]) -> list[str]:
    """Inno's ISPP, as far as the script uses it: #define NAME "x" [+ NAME + "y"], #ifdef/#ifndef/#else/#endif,
    and {#NAME} in the lines it keeps."""
    names = dict(defines)
    active = [True]
    kept = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#ifdef ") or line.startswith("#ifndef "):
            present = line.split()[1] in names
            active.append(active[-1] and (present if line.startswith("#ifdef ") else not present))
        elif line == "#else":
            active[-1] = not active[-1] and active[-2]
        elif line == "#endif":
            active.pop()
        elif not active[-1]:
            continue
        elif line.startswith("#define "):
            name, expression = line[len("#define ") :].split(None, 1)
            parts = [part.strip() for part in expression.split("+")]
            names[name] = "".join(part.strip('"') if part.startswith('"') else names[part] for part in parts)
        else:
            assert not line.startswith("#"), f"the stand-in preprocessor does not know {line!r}"
            kept.append(re.sub(r"\{#(\w+)\}", lambda match: names[match.group(1)], raw))
    assert active == [True], "unbalanced #if/#endif"
    return kept


def _setup(defines: dict[str, str]) -> dict[str, str]:
    lines = _preprocess(ISS.read_text(encoding="utf-8"), defines)
    section = lines[lines.index("[Setup]") + 1 :]
    section = section[: next(i for i, line in enumerate(section) if line.startswith("["))]
    return dict(line.split("=", 1) for line in section if "=" in line and not line.startswith(";"))


# What build_windows.ps1 passes to ISCC (besides the folders).
SIGNED = {"AppVersion": "2.3.4", "SignToolName": "sora2sign"}
UNSIGNED = {"AppVersion": "2.3.4"}


def test_a_signed_build_signs_the_setup_and_the_uninstaller() -> None:
    setup = _setup(SIGNED)
    assert setup["SignTool"] == "sora2sign"
    assert setup["SignedUninstaller"] == "yes"
    assert setup["OutputBaseFilename"] == "Sora2Desktop-2.3.4-Setup"


def test_an_unsigned_build_says_so_in_its_name_and_asks_inno_for_no_signing() -> None:
    setup = _setup(UNSIGNED)
    assert "SignTool" not in setup and "SignedUninstaller" not in setup
    assert setup["OutputBaseFilename"] == "Sora2Desktop-2.3.4-unsigned-Setup"


def test_the_build_script_defines_the_sign_tool_inno_is_told_to_use() -> None:
    text = BUILD.read_text(encoding="utf-8")
    assert '"/DSignToolName=sora2sign"' in text
    # ISCC's /S<name>=<command>: $f is the file Inno signs, $q a quote (Inno replaces both; PowerShell must not).
    definition = re.search(r"""\('/Ssora2sign=\$q' \+ \$signtool \+ '\$q sign (.*?)\)\n""", text, re.DOTALL)
    assert definition, "no /Ssora2sign=... sign tool definition"
    command = definition.group(1)
    assert "/sha1 ' + $thumbprint" in command and "/fd SHA256" in command and "/td SHA256 $f'" in command
    assert "/tr ' + $TimestampUrl" in command
    # Only a signed build defines it: the same `if ($thumbprint)` block names the signed setup.
    block = text[text.index("if ($thumbprint) {\n    # Inno runs this") :]
    block = block[: block.index("\n  Log ")]
    assert block.index("/DSignToolName") < block.index("} else {") < block.index("-unsigned-Setup.exe")
    assert '"Sora2Desktop-$Version-Setup.exe"' in block.split("} else {")[0]


def test_the_signing_password_is_on_no_command_line() -> None:
    text = BUILD.read_text(encoding="utf-8")
    uses = [line.strip() for line in text.splitlines() if "WINDOWS_SIGN_PASSWORD" in line and "#" not in line[:3]]
    assert uses and all(
        "ConvertTo-SecureString" in line or line.startswith("if ($env:WINDOWS_SIGN_PASSWORD)") for line in uses
    ), uses
    assert not re.search(r"signtool[^\n]*\s/p\s", text, re.IGNORECASE), "signtool /p puts the password on argv"
    assert "$store.Add($certificate)" in text and 'Remove-Item -Force "Cert:\\CurrentUser\\My\\$thumbprint"' in text


def test_the_build_script_checks_the_signature_and_writes_checksums() -> None:
    text = BUILD.read_text(encoding="utf-8")
    assert "Get-AuthenticodeSignature $Setup" in text
    assert "::warning title=Unsigned installer::" in text
    assert 'Join-Path $Out "SHA256SUMS"' in text and "Get-FileHash -Algorithm SHA256" in text
    assert '"{0}  {1}"' in text and "ToLowerInvariant()" in text  # the line format `sha256sum -c` reads
    # The spec writes the SBOM and the licence list where the build script says: beside the installer.
    assert text.index("$env:SORA2_THIRD_PARTY_OUT = $Out") < text.index("-m PyInstaller")
    listed = re.search(r"\$published = @\((.*)\)\n", text)
    assert listed and all(name in listed.group(1) for name in ("$Setup", "sbom.cdx.json", "THIRD_PARTY_LICENSES.txt"))


def test_the_self_test_reads_both_lines_and_tells_no_media_apart() -> None:
    text = SELF_TEST.read_text(encoding="utf-8")
    assert '"self-test.txt"' in text
    assert "'^self-test ok:'" in text
    assert r"'^self-test player: ok frame=\d+x\d+'" in text
    assert "$code -eq 0 -and $playerLine" in text
    no_media = text[text.index("if ($code -eq 3") :]
    assert "'^self-test player: unavailable:'" in no_media.splitlines()[0]
    assert "if (-not $AllowNoMedia) { throw" in no_media and "::warning title=Player not checked::" in no_media
    assert "[switch]$AllowNoMedia" in text
    assert "Invoke-SelfTest -Exe $Exe -AllowNoMedia:$AllowNoMedia" in BUILD.read_text(encoding="utf-8")


@pytest.mark.parametrize("script", [BUILD, SELF_TEST])
def test_the_powershell_brackets_balance(script: Path) -> None:
    """PowerShell cannot parse the scripts here: this catches a lost brace or parenthesis at least."""
    text = re.sub(r"#[^\n]*", "", script.read_text(encoding="utf-8"))  # comments may hold anything
    for opening, closing in ("{}", "()", "[]"):
        assert text.count(opening) == text.count(closing), f"{script.name}: {opening}{closing} unbalanced"


# --- the QtNetwork hook: no OpenSSL on any OS -----------------------------------------------------------------------

OFFERED_OPENSSL = {
    "win32": [("C:/Program Files/OpenSSL/bin/libssl-3-x64.dll", "."), ("C:/Git/libcrypto-3-x64.dll", ".")],
    "darwin": [("/Library/Frameworks/Python.framework/lib/libssl.3.dylib", ".")],
    "linux": [("/lib/x86_64-linux-gnu/libssl.so.3", "."), ("/lib/x86_64-linux-gnu/libcrypto.so.3", ".")],
}
PLUGIN_SUFFIX = {"win32": ".dll", "darwin": ".dylib", "linux": ".so"}


@pytest.mark.parametrize("platform", sorted(OFFERED_OPENSSL))
def test_the_qtnetwork_hook_bundles_no_openssl(platform: str, monkeypatch: pytest.MonkeyPatch) -> None:
    prefix = "" if platform == "win32" else "lib"
    suffix = PLUGIN_SUFFIX[platform]
    plugins = "/site-packages/PySide6/Qt/plugins"
    collected = [
        (f"{plugins}/tls/{prefix}qopensslbackend{suffix}", "PySide6/Qt/plugins/tls"),
        (f"{plugins}/tls/{prefix}qschannelbackend{suffix}", "PySide6/Qt/plugins/tls"),
        (f"{plugins}/tls/{prefix}qcertonlybackend{suffix}", "PySide6/Qt/plugins/tls"),
        (f"{plugins}/networkinformation/{prefix}qnetworklistmanager{suffix}", "PySide6/Qt/plugins/networkinformation"),
        (f"/site-packages/PySide6/{prefix}Qt6Network{suffix}", "PySide6"),
    ]
    qt_helpers: Any = types.ModuleType("PyInstaller.utils.hooks.qt")
    qt_helpers.add_qt6_dependencies = lambda hook_file: (["PySide6.QtCore"], list(collected), [])
    qt_helpers.pyside6_library_info = types.SimpleNamespace(
        collect_qtnetwork_files=lambda: list(OFFERED_OPENSSL[platform])
    )
    for name in ("PyInstaller", "PyInstaller.utils", "PyInstaller.utils.hooks"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks.qt", qt_helpers)
    monkeypatch.syspath_prepend(str(HOOKS))
    monkeypatch.delitem(sys.modules, "qt_trim", raising=False)

    hook = runpy.run_path(str(HOOKS / "hook-PySide6.QtNetwork.py"))

    sources = [Path(src).name.lower() for src, _dest in hook["binaries"]]
    assert not [name for name in sources if re.search(r"ssl|crypto|backend", name)], sources
    assert f"{prefix}Qt6Network{suffix}".lower() in sources  # the library itself still goes in

"""What ships beside (and inside) every installer to say what is in it, made from the build venv:

    python packaging/third_party.py --out DIR      (run with the build venv's Python)

- DIR/THIRD_PARTY_LICENSES.txt: pip-licenses' plain-vertical list (name, version, licence, URL, licence text) of the
  app's runtime packages, the ones packaging/requirements-lock.txt pins; the bundle carries it as
  resources/licences/THIRD_PARTY_LICENSES.txt (the spec puts it there), and Help > About > Licences shows it.
- DIR/sbom.cdx.json: a CycloneDX JSON SBOM (cyclonedx-py environment) of the same packages, plus PyInstaller, whose
  bootloader is the bundle's executable.

The build venv also holds the build's own tools (PyInstaller's helpers, cyclonedx-bom and pip-licenses with their
dependencies); none of them is in the bundle, so both lists leave them out, or a studio's IT would audit packages
the app never ships.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RUNTIME_LOCK = REPO / "packaging" / "requirements-lock.txt"
IN_THE_BUNDLE_TOO = {"pyinstaller"}  # its bootloader is the bundle's executable
LICENSES_NAME = "THIRD_PARTY_LICENSES.txt"
SBOM_NAME = "sbom.cdx.json"


def normalise(name: str) -> str:
    """PEP 503: PySide6_Essentials, pyside6-essentials and PySide6.Essentials are one package."""
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_packages() -> list[str]:
    """The installed distributions the runtime lock pins (its platform-specific ones only where installed), by
    their own spelling."""
    lock = RUNTIME_LOCK.read_text(encoding="utf-8")
    pinned = {normalise(m.group(1)) for m in re.finditer(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==", lock, re.M)}
    platform_only = {normalise(m.group(1)) for m in re.finditer(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==\S+ ;", lock, re.M)}
    installed = {normalise(d.metadata["Name"]): d.metadata["Name"] for d in metadata.distributions()}
    missing = pinned - installed.keys()
    if missing - platform_only:
        sys.exit(f"third_party.py: the build venv lacks runtime packages: {sorted(missing - platform_only)}")
    return sorted((installed[n] for n in pinned if n in installed), key=str.lower)


def write_licences(out: Path, packages: list[str]) -> Path:
    target = out / LICENSES_NAME
    done = subprocess.run(
        [sys.executable, "-m", "piplicenses", "--format=plain-vertical", "--with-urls", "--with-license-file",
         "--no-license-path", "--packages", *packages],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    header = (
        "Third-party software in Sora 2 Desktop: the Python packages the app is built from, each with its licence.\n"
        "Where a package's wheel carries no licence file its text reads UNKNOWN: for PySide6 and shiboken6 (Qt,\n"
        "LGPL-3.0) see QT_LGPL_NOTICE.txt beside this file. CPython is under the PSF License.\n\n"
    )
    target.write_text(header + done.stdout, encoding="utf-8")
    return target


def write_sbom(out: Path, packages: list[str]) -> Path:
    target = out / SBOM_NAME
    subprocess.run(
        [sys.executable, "-m", "cyclonedx_py", "environment", "--pyproject", str(REPO / "pyproject.toml"),
         "--output-reproducible", "--of", "JSON", "-o", str(target), sys.executable],
        check=True,
    )  # fmt: skip
    bom = json.loads(target.read_text(encoding="utf-8"))
    wanted = {normalise(p) for p in packages} | IN_THE_BUNDLE_TOO
    bom["components"] = [c for c in bom.get("components", []) if normalise(c["name"]) in wanted]
    kept = {c["bom-ref"] for c in bom["components"]} | {bom["metadata"]["component"]["bom-ref"]}
    bom["dependencies"] = [
        {**d, "dependsOn": [r for r in d.get("dependsOn", []) if r in kept]}
        for d in bom.get("dependencies", [])
        if d["ref"] in kept
    ]
    target.write_text(json.dumps(bom, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    packages = runtime_packages()
    print(write_licences(out, packages))
    print(write_sbom(out, packages))


if __name__ == "__main__":
    main()

"""The licences shown under Help → About → Licences: Qt's LGPL notice, and the third-party licences — the file the
build collected from its own environment (pip-licenses) when the app is a bundle, else the installed runtime
dependencies read through importlib.metadata (a checkout: name, version, licence, and the text each ships)."""

from __future__ import annotations

import importlib.metadata as metadata
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from sora2_desktop.resources import resource_path

THIRD_PARTY_FILE = "licences/THIRD_PARTY_LICENSES.txt"
QT_NOTICE_FILE = "licences/QT_LGPL_NOTICE.txt"
_APP_DIST = "sora2-desktop"
_LICENCE_FILE = re.compile(r"(^|/)(LICEN[CS]E|COPYING|NOTICE)[^/]*$", re.IGNORECASE)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*")


@dataclass(frozen=True)
class Licence:
    name: str
    version: str
    licence: str
    text: str = ""  # the licence file(s) the distribution ships, "" when it ships none


# LGPLv3 section 4(b) asks for copies of the LGPL and the GPL to go with the app, not only links to them.
GNU_TEXT_FILES = ("licences/LGPL-3.0.txt", "licences/GPL-3.0.txt")


def qt_notice() -> str:
    """Qt's LGPL notice followed by the full LGPL v3 and GPL v3 texts. Reads files: call it off the GUI thread."""
    parts = [resource_path(name) for name in (QT_NOTICE_FILE, *GNU_TEXT_FILES)]
    return "\n\n".join(path.read_text(encoding="utf-8") for path in parts if path.is_file())


def third_party_text() -> str:
    """Every third-party licence as one plain text. Reads files: call it off the GUI thread."""
    bundled = resource_path(THIRD_PARTY_FILE)
    if bundled.is_file():
        return bundled.read_text(encoding="utf-8", errors="replace")
    return "\n\n".join(_as_text(entry) for entry in installed_licences())


def installed_licences() -> list[Licence]:
    """The runtime dependencies (and theirs), as installed here, sorted by name."""
    seen: dict[str, Licence] = {}
    pending = list(_runtime_requirements())
    while pending:
        name = pending.pop()
        key = _normal(name)
        if key in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen[key] = Licence(dist.metadata["Name"] or name, dist.version, _licence_of(dist), _texts_of(dist))
        pending.extend(_names(dist.requires or []))
    return sorted(seen.values(), key=lambda entry: entry.name.lower())


def _runtime_requirements() -> list[str]:
    """The app's own dependency list: pyproject.toml in a checkout (always current), else the installed metadata."""
    pyproject = resource_path("").parent / "pyproject.toml"
    if pyproject.is_file():
        with pyproject.open("rb") as file:
            return _names(tomllib.load(file)["project"]["dependencies"])
    try:
        return _names(metadata.requires(_APP_DIST) or [])
    except metadata.PackageNotFoundError:
        return []


def _names(requirements: list[str]) -> list[str]:
    """Requirement names, leaving out those only an extra asks for."""
    names: list[str] = []
    for requirement in requirements:
        if "extra ==" in requirement.replace('extra=="', 'extra == "'):
            continue
        match = _NAME.match(requirement.strip())
        if match:
            names.append(match.group(0))
    return names


def _licence_of(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    expression = _field(meta, "License-Expression")
    if expression:
        return str(expression)
    classifiers = [c.rsplit("::", 1)[-1].strip() for c in meta.get_all("Classifier") or [] if c.startswith("License")]
    if classifiers:
        return "; ".join(classifiers)
    licence = _field(meta, "License").strip()
    # Some put the whole licence text in this field: its first line names it.
    return licence.splitlines()[0] if licence else "UNKNOWN"


def _field(meta: metadata.PackageMetadata, name: str) -> str:
    try:
        return str(meta[name] or "")
    except KeyError:  # Python 3.12+ raises for a missing field; 3.11 answers None
        return ""


def _texts_of(dist: metadata.Distribution) -> str:
    texts: list[str] = []
    for file in dist.files or []:
        if _LICENCE_FILE.search(str(file)):
            try:
                texts.append(Path(str(dist.locate_file(file))).read_text(encoding="utf-8", errors="replace"))
            except OSError:
                continue
    return "\n\n".join(text.strip() for text in texts)


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _as_text(entry: Licence) -> str:
    head = f"{entry.name} {entry.version}\nLicence: {entry.licence}"
    return f"{head}\n\n{entry.text}" if entry.text else head

"""The folder a person typed for something to be written into, or why it cannot be (said at the field)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication


def typed_folder(text: str, missing: str) -> tuple[Path | None, str | None]:
    """(folder, None) when `text` names a usable folder (made later if it does not exist yet), else (None, why).
    `missing` is what to say when nothing was typed ("Choose the folder to export into.")."""
    text = text.strip()
    if not text:
        return None, missing
    folder = Path(text).expanduser()
    if not folder.is_absolute():
        return None, QCoreApplication.translate(
            "FolderField", "Give the folder's whole path (from / or a drive letter)."
        )
    if folder.exists() and not folder.is_dir():
        return None, QCoreApplication.translate("FolderField", "This is a file, not a folder.")
    return folder, None

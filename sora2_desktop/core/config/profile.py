"""Profile: where every piece of the app's state lives on disk (settings, database, downloads, logs)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStandardPaths

DOWNLOADS_FOLDER_NAME = "Sora 2"
SETTINGS_FILE_NAME = "settings.ini"
DATABASE_FILE_NAME = "tasks.sqlite3"


@dataclass(frozen=True)
class Profile:
    """A set of paths. `from_dir` keeps everything under one folder (`--profile DIR`, tests); `default`
    follows the platform's conventions. Creating one touches nothing on disk; `ensure()` makes the folders."""

    root: Path
    database_path: Path
    settings_path: Path
    downloads_dir: Path
    logs_dir: Path

    @classmethod
    def from_dir(cls, path: str | Path) -> Profile:
        root = Path(path).expanduser().resolve()
        return cls(
            root=root,
            database_path=root / DATABASE_FILE_NAME,
            settings_path=root / SETTINGS_FILE_NAME,
            downloads_dir=root / "downloads",
            logs_dir=root / "logs",
        )

    @classmethod
    def default(cls) -> Profile:
        """The platform's folders. QStandardPaths names them after QCoreApplication's organization and
        application names, so app.py sets those before calling this."""
        data = _writable(QStandardPaths.StandardLocation.AppDataLocation)
        if data is None:
            # No writable data location at all is a broken environment; a dot folder in home still works.
            data = Path.home() / ".sora2-desktop"
        config = _writable(QStandardPaths.StandardLocation.AppConfigLocation) or data
        movies = _writable(QStandardPaths.StandardLocation.MoviesLocation)
        downloads = movies / DOWNLOADS_FOLDER_NAME if movies is not None else data / "downloads"
        return cls(
            root=data,
            database_path=data / DATABASE_FILE_NAME,
            settings_path=config / SETTINGS_FILE_NAME,
            downloads_dir=downloads,
            logs_dir=data / "logs",
        )

    def ensure(self) -> Profile:
        """Create every folder the profile names (not the files: SQLite and QSettings create those)."""
        for folder in (
            self.root,
            self.database_path.parent,
            self.settings_path.parent,
            self.downloads_dir,
            self.logs_dir,
        ):
            folder.mkdir(parents=True, exist_ok=True)
        return self


def _writable(location: QStandardPaths.StandardLocation) -> Path | None:
    # writableLocation returns "" when the platform has no such folder (e.g. no Movies folder on a server).
    found = QStandardPaths.writableLocation(location)
    return Path(found) if found else None

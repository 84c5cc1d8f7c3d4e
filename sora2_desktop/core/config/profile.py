"""Profile: where every piece of the app's state lives on disk (settings, database, downloads, logs)."""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStandardPaths

log = logging.getLogger(__name__)

DOWNLOADS_FOLDER_NAME = "Sora 2"
SETTINGS_FILE_NAME = "settings.ini"
DATABASE_FILE_NAME = "tasks.sqlite3"
LOCK_FILE_NAME = "instance.lock"  # core/runtime/single_instance.py takes it
# On POSIX the profile's own folders and files are this user's only: the history holds prompts, the log holds
# task ids and addresses, and the umask (often 022) would let every local account read them.
PRIVATE_FOLDER_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


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

    def private_folders(self) -> tuple[Path, ...]:
        """The folders only the app reads. Not the downloads folder: people open their videos from other apps
        (and other accounts, a media server), so it keeps the platform's normal permissions."""
        return tuple(dict.fromkeys((self.root, self.database_path.parent, self.settings_path.parent, self.logs_dir)))

    def private_files(self) -> list[Path]:
        """The app's own files that exist now: the database and its -wal/-shm, settings, logs, the lock."""
        database = self.database_path
        candidates = [database, *(database.with_name(database.name + suffix) for suffix in ("-wal", "-shm"))]
        candidates += [self.settings_path, self.root / LOCK_FILE_NAME]
        if self.logs_dir.is_dir():
            candidates += sorted(self.logs_dir.glob("*.log*"))
        return [path for path in candidates if path.is_file()]

    def ensure(self) -> Profile:
        """Create every folder the profile names (not the files: SQLite and QSettings create those); on POSIX a
        private folder made here gets mode 0700 whatever the umask. Raises OSError when one of the app's own
        folders cannot be made; a downloads folder that cannot be made is logged (the downloader says so when
        it needs it, and the rest of the app works without it)."""
        for folder in self.private_folders():
            created = not folder.exists()
            folder.mkdir(parents=True, exist_ok=True)
            # Only folders made here: a --profile pointing at an existing folder of the person's is theirs.
            if created and os.name == "posix":
                folder.chmod(PRIVATE_FOLDER_MODE)
        try:
            self.downloads_dir.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            log.warning("cannot make the downloads folder %s: %s", self.downloads_dir, err)
        return self

    def make_files_private(self) -> None:
        """On POSIX, mode 0600 for the app's files that exist (profiles from before this rule included). Files
        made later are private too: SQLite's -wal/-shm copy the database's mode, Qt keeps settings.ini's mode
        when it rewrites it, and the private folders stop others from reading a new log file."""
        if os.name != "posix":
            return
        # settings.ini made here, empty, so that QSettings' first write (which keeps an existing file's mode)
        # never has a moment of umask permissions.
        with contextlib.suppress(OSError):  # exists already, or the folder is not writable (checked before)
            os.close(os.open(self.settings_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
        for path in self.private_files():
            with contextlib.suppress(OSError):  # a file someone else owns: theirs to change, not a start failure
                path.chmod(PRIVATE_FILE_MODE)

    def unwritable_folder(self) -> Path | None:
        """The first of the profile's own folders where no file can be written now (read-only, full, someone
        else's), or None when all take files. A real write: permission bits alone miss read-only mounts. Not the
        downloads folder: the app runs without it, and the downloader pauses with a message when it cannot write."""
        for folder in self.private_folders():
            try:
                with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-test-"):
                    pass
            except OSError:
                return folder
        return None


def _writable(location: QStandardPaths.StandardLocation) -> Path | None:
    # writableLocation returns "" when the platform has no such folder (e.g. no Movies folder on a server).
    found = QStandardPaths.writableLocation(location)
    return Path(found) if found else None

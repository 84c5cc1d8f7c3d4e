"""Shot lists as CSV: a producer's spreadsheet read into rows of cells, and a project's shots written back.

The format (the import dialog's help says the same, in `FORMAT_HELP`'s words):
- The first row names the columns: names are matched whatever their case and spaces ("Aspect Ratio"), columns
  with other names are ignored. UTF-8 with or without a byte-order mark (Excel's "CSV UTF-8"); commas,
  semicolons or tabs between cells (whichever the header row uses); quoted cells may hold commas, quotes ("")
  and line breaks.
- `code` (SH010; empty: numbered after the project's last shot), `title`, `prompt` (the only column required),
  `model` (an id or a title: "sora-2", "Sora 2 Pro"; empty: the first model), `mode` (text-to-video or
  image-to-video; empty: image-to-video when an image is given), `duration` (seconds), `frame` (also called
  `aspect`, `aspect_ratio`, `size` or `resolution`: "landscape", "portrait", "16:9", "1280x720", "720p" — read
  as the model's own option), `takes` (1 up to the app's most), `image` (a file, relative to the CSV's folder,
  or an http(s) address; several separated by "|").
What a cell may hold for its model is shot_list_check.py's question; this file only reads and writes text.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sora2_desktop.core.catalogue.catalogue import ModelCatalogue
from sora2_desktop.core.projects.model import Shot
from sora2_desktop.core.projects.shot_list_problems import SheetFault, ShotListError

COLUMNS = ("code", "title", "prompt", "model", "mode", "duration", "frame", "takes", "image")
# Other names spreadsheets use for a column; for the frame, the first non-empty one of a row counts (a list that
# mixes models may give Sora 2 rows an aspect and Sora 2 Pro rows a size).
ALIASES = {
    "aspect": "frame",
    "aspect_ratio": "frame",
    "size": "frame",
    "resolution": "frame",
    "images": "image",
    "image_url": "image",
    "shot": "code",
}
IMAGE_SEPARATOR = "|"
MAX_FILE_BYTES = 20 * 1024 * 1024  # thousands of shots; anything larger is another file picked by mistake
_DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class SheetRow:
    """One shot as the file gives it: the text of each of COLUMNS ("" where the file has no such cell)."""

    line: int  # the file's line where the row starts (the header is line 1): what the person looks for
    cells: Mapping[str, str]

    def cell(self, column: str) -> str:
        return self.cells.get(column, "")

    def with_cell(self, column: str, text: str) -> SheetRow:
        return SheetRow(self.line, {**self.cells, column: text})


@dataclass(frozen=True)
class ShotSheet:
    rows: tuple[SheetRow, ...]
    columns: tuple[str, ...]  # which of COLUMNS the file has
    ignored: tuple[str, ...]  # header names that are none of them, as written
    folder: Path | None  # relative image paths start here


def read_shot_list(path: Path) -> ShotSheet:
    """The file at `path` (blocking: call it from a worker). Raises ShotListError saying why it is no shot list."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ShotListError(SheetFault.TOO_LARGE, f"{size / (1024 * 1024):.0f} MB")
        data = path.read_bytes()
    except OSError as exc:
        raise ShotListError(SheetFault.UNREADABLE, exc.strerror or str(exc)) from None
    return parse_shot_list(decode(data), path.parent)


def decode(data: bytes) -> str:
    """UTF-8 (a BOM is dropped), or UTF-16 with its BOM (Excel's "Unicode text"); nothing else is guessed: a wrong
    guess would import mangled prompts without a word."""
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):  # .xlsx/.ods are ZIP archives; .xls is OLE
        raise ShotListError(SheetFault.SPREADSHEET)
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ShotListError(SheetFault.NOT_UTF8) from None


def parse_shot_list(text: str, folder: Path | None = None) -> ShotSheet:
    """Rows of a shot list's text; rows with every cell empty (a spreadsheet's trailing ";;;;") are left out."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ShotListError(SheetFault.EMPTY)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    header = next(reader, [])
    where: dict[str, list[int]] = {}
    ignored: list[str] = []
    for index, name in enumerate(header):
        column = column_of(name)
        if column is None:
            if name.strip():
                ignored.append(name.strip())
        else:
            where.setdefault(column, []).append(index)
    if "prompt" not in where:
        raise ShotListError(SheetFault.NO_PROMPT_COLUMN, ", ".join(name.strip() for name in header if name.strip()))
    rows: list[SheetRow] = []
    line = reader.line_num + 1
    for record in reader:
        cells = {column: _first_filled(record, indexes) for column, indexes in where.items()}
        if any(value.strip() for value in cells.values()):
            rows.append(SheetRow(line, cells))
        line = reader.line_num + 1
    return ShotSheet(tuple(rows), tuple(c for c in COLUMNS if c in where), tuple(ignored), folder)


def column_of(name: str) -> str | None:
    """Which of COLUMNS a header names ("Aspect Ratio" → "frame"), or None."""
    key = "_".join(name.strip().lower().replace("-", " ").split())
    if key in COLUMNS:
        return key
    return ALIASES.get(key)


def shot_list_rows(shots: Iterable[Shot], catalogue: ModelCatalogue, folder: Path | None) -> list[dict[str, str]]:
    """The cells of each shot, as `parse_shot_list` reads them back into the same shot: the draft's model, mode,
    duration, the frame value its model takes in that mode (a choice never made: the model's default, as the
    composer shows it), takes and images (files under `folder` relative to it, so the list and its images can
    move together)."""
    rows: list[dict[str, str]] = []
    for shot in shots:
        draft: Mapping[str, Any] = shot.settings
        model = str(draft.get("model") or catalogue.default.id)
        spec = catalogue.spec_for(model)
        mode = str(draft.get("mode") or spec.default_mode)
        frame = spec.frame_for(mode)
        images = draft.get("images") if isinstance(draft.get("images"), list) else []
        rows.append(
            {
                "code": shot.code,
                "title": shot.title,
                "prompt": str(draft.get("prompt") or ""),
                "model": model,
                "mode": mode,
                "duration": str(draft.get("duration") or spec.default_duration),
                "frame": str(draft.get(frame.param) or frame.default),
                "takes": str(draft.get("takes") or 1),
                "image": f" {IMAGE_SEPARATOR} ".join(_image_cell(image, folder) for image in images or []),
            }
        )
    return rows


def shot_list_text(rows: Sequence[Mapping[str, str]]) -> str:
    """CSV text with the header of COLUMNS, commas, and every cell that needs it quoted."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([row.get(column, "") for column in COLUMNS])
    return out.getvalue()


def write_shot_list(path: Path, rows: Sequence[Mapping[str, str]]) -> None:
    """Written whole or not at all (a temporary file renamed over `path`), with a BOM so that Excel reads the
    prompts as UTF-8 (blocking: call it from a worker). Raises OSError with the system's reason."""
    data = shot_list_text(rows).encode("utf-8-sig")
    handle, temporary = tempfile.mkstemp(prefix=".shots-", suffix=".csv.part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _delimiter(text: str) -> str:
    """The one the header row uses most, outside quotes (a header "prompt;note, if any" is semicolon-separated)."""
    header, quoted = [], False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            break
        elif not quoted:
            header.append(char)
    counts = {delimiter: header.count(delimiter) for delimiter in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _first_filled(record: Sequence[str], indexes: Sequence[int]) -> str:
    values = [record[index] for index in indexes if index < len(record)]
    return next((value for value in values if value.strip()), values[0] if values else "")


def _image_cell(image: object, folder: Path | None) -> str:
    source = image.get("source") if isinstance(image, dict) else image
    text = str(source or "")
    local = isinstance(image, dict) and image.get("is_local", True) and "://" not in text
    if not local or folder is None:
        return text
    path = Path(text)
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return text

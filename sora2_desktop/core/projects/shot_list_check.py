"""Shot list checks: each row of an imported shot list judged by its model's spec (the catalogue's data), cell by
cell, into the shot it would become; and the codes the rows get in the project."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from sora2_desktop.api.model_spec import IMAGE_TO_VIDEO, TEXT_TO_VIDEO, ModelSpec
from sora2_desktop.api.request import is_http_url
from sora2_desktop.core.catalogue.catalogue import ModelCatalogue
from sora2_desktop.core.images.source import ImageSource
from sora2_desktop.core.projects.model import SHOT_CODE_STEP, Shot
from sora2_desktop.core.projects.shot_codes import code_for, code_number
from sora2_desktop.core.projects.shot_list_csv import IMAGE_SEPARATOR, SheetRow
from sora2_desktop.core.projects.shot_list_frame import frame_value, frame_words
from sora2_desktop.core.projects.shot_list_problems import CellFault, CellProblem

CODE_MAX_CHARS = 24
_MODE_WORDS = {
    "t2v": TEXT_TO_VIDEO,
    "text": TEXT_TO_VIDEO,
    "text-to-video": TEXT_TO_VIDEO,
    "i2v": IMAGE_TO_VIDEO,
    "image": IMAGE_TO_VIDEO,
    "image-to-video": IMAGE_TO_VIDEO,
}
_SECONDS = re.compile(r"^(\d+)(?:\.0+)?\s*(?:s|sec|secs|seconds?)?$", re.IGNORECASE)


@dataclass(frozen=True)
class ShotListRules:
    """What a row is judged by: the models, where relative image paths start, the most takes a shot may ask for
    (the composer's limit), and the codes of the project's shots that stay."""

    catalogue: ModelCatalogue
    folder: Path | None
    max_takes: int
    taken_codes: frozenset[str] = frozenset()  # upper case


@dataclass(frozen=True)
class RowCheck:
    """A row read against its model: each value as it would be used (None where the cell is wrong or the model
    unknown), and the problems by column. The code is `assign_codes`' business."""

    problems: Mapping[str, CellProblem]
    spec: ModelSpec | None = None
    mode: str | None = None
    duration: int | None = None
    frame: tuple[str, str] | None = None  # (parameter, value): ("size", "1280*720")
    takes: int | None = None
    images: tuple[ImageSource, ...] = ()
    defaults: frozenset[str] = frozenset()  # columns left empty and filled from the model's defaults

    def settings(self, prompt: str) -> dict[str, Any]:
        """The shot's composer draft (ui/compose/form_draft.to_draft's keys); only for a row without problems."""
        spec = self.spec
        if self.problems or spec is None or self.mode is None or self.frame is None:
            raise ValueError("a row with problems becomes no shot")
        frames = {"aspect_ratio": "landscape", "size": "", "resolution": ""}
        frames[self.frame[0]] = self.frame[1]
        return {
            "prompt": prompt,
            "model": spec.id,
            "mode": self.mode,
            **frames,
            "duration": self.duration,
            "provider": spec.default_provider,
            "remove_watermark": spec.default_remove_watermark,
            "request_type": "async",
            "callback_url": "",
            "takes": self.takes,
            "images": [{"source": image.source, "is_local": image.is_local} for image in self.images],
        }


@dataclass(frozen=True)
class CodeChoice:
    code: str  # as it will be ("" when the given one cannot be used)
    automatic: bool = False  # numbered after the project's last shot: the row gave none
    problem: CellProblem | None = None


@dataclass(frozen=True)
class PlannedShot:
    """A shot an import will add: its code, title and composer draft."""

    code: str
    title: str
    settings: dict[str, Any] = field(compare=False)


def check_row(row: SheetRow, rules: ShotListRules) -> RowCheck:
    """Every cell but the code judged (blocking: a local image's first bytes are read)."""
    problems: dict[str, CellProblem] = {}
    defaults: set[str] = set()
    prompt = row.cell("prompt").strip()
    if not prompt:
        problems["prompt"] = CellProblem(CellFault.PROMPT_MISSING)
    spec = _model(row.cell("model"), rules.catalogue, problems, defaults)
    images = _images(row.cell("image"), rules.folder, problems)
    takes = _takes(row.cell("takes"), rules.max_takes, problems, defaults)
    mode = _mode(row.cell("mode"), spec, bool(images) or "image" in problems, problems, defaults)
    if spec is None or mode is None:
        return RowCheck(problems, spec, mode, takes=takes, images=images, defaults=frozenset(defaults))
    if len(prompt) > spec.prompt_max_chars:
        problems["prompt"] = CellProblem(
            CellFault.PROMPT_TOO_LONG, prompt, model=spec.title, number=spec.prompt_max_chars
        )
    _image_count(spec, mode, images, row.cell("mode").strip() != "", problems)
    duration = _duration(row.cell("duration"), spec, problems, defaults)
    frame = _frame(row.cell("frame"), spec, mode, problems, defaults)
    return RowCheck(problems, spec, mode, duration, frame, takes, images, frozenset(defaults))


def assign_codes(rows: Sequence[SheetRow], included: Sequence[bool], rules: ShotListRules) -> list[CodeChoice]:
    """The code of each row: its own when it gives one (not a code of the project's shots, nor of another row
    taken in: both rows of a repeated code are marked, so fixing either clears both), else the next free step
    after the project's highest code (SH010 → SH020), in the rows' order. Rows left out get none, block none."""
    given = [row.cell("code").strip() for row in rows]
    lines: dict[str, list[int]] = {}
    for text, row, taken_in in zip(given, rows, included, strict=True):
        if text and taken_in:
            lines.setdefault(text.upper(), []).append(row.line)
    used = set(rules.taken_codes) | set(lines)
    numbers = [number for number in map(code_number, rules.taken_codes) if number is not None]
    next_number = (max(numbers, default=0) // SHOT_CODE_STEP + 1) * SHOT_CODE_STEP
    choices: list[CodeChoice] = []
    for text, row, taken_in in zip(given, rows, included, strict=True):
        if not taken_in:
            choices.append(CodeChoice(text))
        elif not text:
            while code_for(next_number) in used:  # a code the list gives further down stays its row's
                next_number += SHOT_CODE_STEP
            used.add(code_for(next_number))
            choices.append(CodeChoice(code_for(next_number), automatic=True))
        else:
            choices.append(CodeChoice(text, problem=_code_problem(text, row.line, lines, rules)))
    return choices


def is_untouched(shot: Shot, take_count: int) -> bool:
    """A shot nobody has written anything into yet (a new project's SH010): an import takes its place."""
    draft = shot.settings
    return not (str(draft.get("prompt") or "").strip() or draft.get("images") or shot.title.strip() or take_count)


# -- the cells -------------------------------------------------------------------------------------------------


def _model(
    text: str, catalogue: ModelCatalogue, problems: dict[str, CellProblem], defaults: set[str]
) -> ModelSpec | None:
    wanted = _squeezed(text)
    if not wanted:
        defaults.add("model")
        return catalogue.default
    for spec in catalogue:
        if wanted in (_squeezed(spec.id), _squeezed(spec.title)):
            return spec
    allowed = tuple(f"{spec.title} ({spec.id})" for spec in catalogue)
    problems["model"] = CellProblem(CellFault.MODEL_UNKNOWN, text.strip(), allowed)
    return None


def _mode(
    text: str, spec: ModelSpec | None, has_images: bool, problems: dict[str, CellProblem], defaults: set[str]
) -> str | None:
    words = "-".join(text.strip().lower().replace("_", " ").replace("-", " ").split())
    if not words:
        defaults.add("mode")
        implied = IMAGE_TO_VIDEO if has_images else TEXT_TO_VIDEO
        return spec.default_mode if spec is not None and implied not in spec.modes else implied
    mode = _MODE_WORDS.get(words)
    if mode is None:
        problems["mode"] = CellProblem(CellFault.MODE_UNKNOWN, text.strip())
        return None
    if spec is not None and mode not in spec.modes:
        problems["mode"] = CellProblem(CellFault.MODE_NOT_OFFERED, mode, spec.modes, spec.title)
        return None
    return mode


def _duration(text: str, spec: ModelSpec, problems: dict[str, CellProblem], defaults: set[str]) -> int | None:
    allowed = tuple(str(seconds) for seconds in spec.durations)
    if not text.strip():
        defaults.add("duration")
        return spec.default_duration
    match = _SECONDS.match(text.strip())
    if match is None:
        problems["duration"] = CellProblem(CellFault.DURATION_NOT_NUMBER, text.strip(), allowed, spec.title)
        return None
    seconds = int(match[1])
    if seconds not in spec.durations:
        problems["duration"] = CellProblem(CellFault.DURATION_NOT_OFFERED, text.strip(), allowed, spec.title)
        return None
    return seconds


def _frame(
    text: str, spec: ModelSpec, mode: str, problems: dict[str, CellProblem], defaults: set[str]
) -> tuple[str, str] | None:
    choice = spec.frame_for(mode)
    if not text.strip():
        defaults.add("frame")
        return choice.param, choice.default
    value = frame_value(text, choice)
    if value is None:
        problems["frame"] = CellProblem(CellFault.FRAME_NOT_OFFERED, text.strip(), frame_words(choice), spec.title)
        return None
    return choice.param, value


def _takes(text: str, most: int, problems: dict[str, CellProblem], defaults: set[str]) -> int | None:
    if not text.strip():
        defaults.add("takes")
        return 1
    match = re.fullmatch(r"(\d+)(?:\.0+)?", text.strip())
    if match is None or not 1 <= int(match[1]) <= most:
        problems["takes"] = CellProblem(CellFault.TAKES_OUT_OF_RANGE, text.strip(), number=most)
        return None
    return int(match[1])


def _images(text: str, folder: Path | None, problems: dict[str, CellProblem]) -> tuple[ImageSource, ...]:
    """Each image of the cell ("|" or a line break between several): an http(s) address as given, a file by its
    absolute path, checked as the image picker checks one (its content, its size)."""
    from sora2_desktop.core.images.check import ImageRejected, check_local_image  # httpx: not at start-up

    found: list[ImageSource] = []
    for part in re.split(rf"[{re.escape(IMAGE_SEPARATOR)}\r\n]+", text):
        entry = part.strip()
        if not entry:
            continue
        if is_http_url(entry):
            found.append(ImageSource(entry, False))
            continue
        if "://" in entry and not entry.lower().startswith("file://"):
            problems["image"] = CellProblem(CellFault.IMAGE_NOT_ADDRESS, entry)
            continue
        relative = not Path(_local_path(entry)).expanduser().is_absolute()
        path = _resolve(entry, folder)
        if not path.is_file():
            problems["image"] = CellProblem(CellFault.IMAGE_NOT_FOUND, entry, number=int(relative))
            continue
        try:
            check_local_image(path)
        except ImageRejected as rejected:
            problems["image"] = CellProblem(CellFault.IMAGE_REJECTED, entry, detail=rejected.reason)
            continue
        found.append(ImageSource(str(path), True))
    return tuple(found)


def _image_count(
    spec: ModelSpec, mode: str, images: tuple[ImageSource, ...], mode_given: bool, problems: dict[str, CellProblem]
) -> None:
    if "image" in problems:
        return
    if mode == IMAGE_TO_VIDEO and len(images) < max(1, spec.images_min):
        problems["image"] = CellProblem(CellFault.IMAGE_NEEDED)
    elif mode == IMAGE_TO_VIDEO and spec.images_max is not None and len(images) > spec.images_max:
        sources = tuple(image.source for image in images)
        problems["image"] = CellProblem(
            CellFault.IMAGE_TOO_MANY, allowed=sources, model=spec.title, number=spec.images_max
        )
    elif mode == TEXT_TO_VIDEO and images and mode_given:
        problems["image"] = CellProblem(CellFault.IMAGE_UNWANTED)


def _code_problem(text: str, line: int, lines: Mapping[str, list[int]], rules: ShotListRules) -> CellProblem | None:
    if len(text) > CODE_MAX_CHARS or any(not char.isprintable() for char in text):
        return CellProblem(CellFault.CODE_MALFORMED, text, number=CODE_MAX_CHARS)
    if text.upper() in rules.taken_codes:
        return CellProblem(CellFault.CODE_TAKEN, text)
    others = [other for other in lines.get(text.upper(), []) if other != line]
    return CellProblem(CellFault.CODE_REPEATED, text, number=others[0]) if others else None


def _squeezed(text: str) -> str:
    """ "Sora 2 Pro", "sora-2-pro" and "SORA_2_PRO" alike."""
    return re.sub(r"[\s_\-]+", "", text.strip().lower())


def _local_path(entry: str) -> str:
    return unquote(urlsplit(entry).path) if entry.lower().startswith("file://") else entry


def _resolve(entry: str, folder: Path | None) -> Path:
    path = Path(_local_path(entry)).expanduser()
    if not path.is_absolute() and folder is not None:
        path = folder / path
    return path.resolve()

"""Take files: the name a take of a shot is saved under, from its project's template (`Trailer_SH010_T03_16x9`)."""

from __future__ import annotations

import math
import re
import unicodedata

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.projects.model import DEFAULT_NAME_TEMPLATE, take_code

NAME_MAX_CHARS = 120  # with a clash number and the suffix, far below the 255-byte limit of common file systems
_FIELD = re.compile(r"\{(\w+)\}")
# As results/files.py keeps a task id: letters, digits, "_" and "-" only; anything else becomes one "-".
_NOT_NAME = re.compile(r"[^A-Za-z0-9_-]+")
_SIZE = re.compile(r"^\s*(\d+)\s*[*x×]\s*(\d+)\s*$")
_ASPECTS = {"landscape": "16x9", "portrait": "9x16", "square": "1x1"}


def ratio_text(request: GenerationRequest) -> str:
    """The frame as a file name says it: a size reduced to its proportions ("1280*720" → "16x9"), an aspect
    ratio by its shape ("landscape" → "16x9"), a resolution as it is ("720p"). A request carries only the frame
    parameter its model takes; the others keep their defaults ("" for size and resolution)."""
    size = _SIZE.match(request.size or "")
    if size and int(size[1]) and int(size[2]):
        width, height = int(size[1]), int(size[2])
        common = math.gcd(width, height)
        return f"{width // common}x{height // common}"
    if request.resolution:
        return request.resolution
    return _ASPECTS.get(request.aspect_ratio, request.aspect_ratio)


def take_stem(
    template: str, project: str, shot: str, take_number: int, request: GenerationRequest, url_index: int = 0
) -> str:
    """The file name (no suffix) of a take: `template`'s {project}, {shot}, {take}, {ratio} (also {model},
    {duration}) filled in, then made safe for every file system. An unknown {field} stays as its own word. A
    second result of one task gets `_2`, as today's names do."""
    fields = {
        "project": project,
        "shot": shot,
        "take": take_code(take_number),
        "ratio": ratio_text(request),
        "model": request.model,
        "duration": f"{request.duration}s",
    }
    filled = _FIELD.sub(lambda match: fields.get(match[1], match[1]), template or DEFAULT_NAME_TEMPLATE)
    stem = safe_name(filled)
    return stem if url_index == 0 else f"{stem}_{url_index + 1}"


def safe_name(text: str, max_chars: int = NAME_MAX_CHARS) -> str:
    """ASCII letters, digits, "_" and "-": accents lose their marks (NFKD, as results/files.slug does), other
    characters (spaces, slashes, dots, scripts without an ASCII form) become "-". Case is kept: "Trailer"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    name = _NOT_NAME.sub("-", ascii_text).strip("-_")[:max_chars].strip("-_")
    return name or "video"

"""Shot codes: the number in "SH015", and a free code for a shot slotted in between two others."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sora2_desktop.core.projects.model import SHOT_CODE_STEP

_CODE = re.compile(r"^SH(\d+)$")


def code_number(code: str) -> int | None:
    """15 for "SH015"; None for a code not in that form (a person may have typed their own)."""
    match = _CODE.match(code.strip().upper())
    return int(match[1]) if match else None


def code_for(number: int) -> str:
    return f"SH{number:03d}"


def code_between(before: str | None, after: str | None, used: Iterable[str]) -> str:
    """A code for a shot placed between `before` and `after` (None: the start or the end), as editors slot one
    in: SH010, SH020 → SH015. With no room between them (SH010, SH011), or at the end, it is the step after the
    highest number in use; `renumber` tidies the order when the person wants it."""
    numbers = {number for number in map(code_number, used) if number is not None}
    highest = max(numbers, default=0)
    low = code_number(before) if before is not None else 0
    high = code_number(after) if after is not None else None
    if low is not None and high is not None:
        middle = (low + high) // 2
        if low < middle < high and middle not in numbers:
            return code_for(middle)
    return code_for((highest // SHOT_CODE_STEP + 1) * SHOT_CODE_STEP)

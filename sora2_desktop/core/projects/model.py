"""Project, Shot, PromptVersion and the review marks a take carries: the production's words, as stored facts."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

DEFAULT_NAME_TEMPLATE = "{project}_{shot}_{take}_{ratio}"
UNSORTED_PROJECT = "Unsorted"  # where the history from before projects existed goes, one shot per prompt
SHOT_CODE_STEP = 10  # SH010, SH020, …: room to slot a shot in between, as editors number them


class TakeMark(enum.StrEnum):
    """An editor's verdict on a take (Premiere/Avid: circled take, hold, no good)."""

    CIRCLED = "circled"  # a keeper
    HOLD = "hold"
    NO_GOOD = "no_good"


@dataclass(frozen=True)
class Project:
    id: int
    name: str
    folder: str | None  # where its files go; None: the app's download folder
    name_template: str = DEFAULT_NAME_TEMPLATE
    created_at: datetime | None = None
    position: int = 0


@dataclass(frozen=True)
class PromptVersion:
    """One wording of a shot's prompt. A new one is made when the shot is generated with an edited prompt."""

    id: int
    shot_id: int
    number: int  # 1, 2, 3 … within the shot
    prompt: str
    created_at: datetime | None = None


@dataclass(frozen=True)
class Shot:
    """`settings` is the compose form's draft for this shot (ui/compose/form_draft.to_draft's dict, prompt
    included): model and its settings, images, takes. `code` is the editor's code ("SH010")."""

    id: int
    project_id: int
    code: str
    position: int
    settings: dict[str, Any] = field(default_factory=dict, compare=False)
    title: str = ""  # an optional short name beside the code ("Hero walks in")
    created_at: datetime | None = None

    def with_(self, **changes: object) -> Shot:
        return replace(self, **changes)  # type: ignore[arg-type]


def shot_code(number: int) -> str:
    """The n-th shot's code (1 → SH010)."""
    return f"SH{number * SHOT_CODE_STEP:03d}"


def take_code(number: int) -> str:
    return f"T{number:02d}"

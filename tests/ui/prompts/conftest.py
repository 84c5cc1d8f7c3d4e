"""A prompt editor holding a library in a temporary profile folder, shown (dialogs open over its window)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from sora2_desktop.core.prompts.library import PromptLibrary
from sora2_desktop.ui.compose.prompt_editor import PromptEditor


@pytest.fixture
def library(tmp_path: Path) -> PromptLibrary:
    return PromptLibrary.in_folder(tmp_path)


@pytest.fixture
def editor(qtbot: QtBot, library: PromptLibrary) -> PromptEditor:
    prompt = PromptEditor()
    prompt.set_library(library)
    qtbot.addWidget(prompt)
    prompt.show()
    qtbot.waitExposed(prompt)
    return prompt

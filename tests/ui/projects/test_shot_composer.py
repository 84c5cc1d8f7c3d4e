"""The composer bound to a shot: its settings in the form on selection, typing saved back (debounced), a pending
edit written to its own shot when another is chosen, and a Generate with no shot making the first one."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from sora2_desktop.core.projects.project_service import ProjectService
from sora2_desktop.ui.compose.generation_form import GenerationForm
from sora2_desktop.ui.projects.shot_composer import ShotComposer
from tests.ui.projects.conftest import PROMPTS


def make(qtbot: QtBot, projects: ProjectService) -> tuple[GenerationForm, ShotComposer]:
    form = GenerationForm()
    qtbot.addWidget(form)
    composer = ShotComposer(projects, form, projects.current_project)
    composer.setParent(form)
    return form, composer


def test_a_shot_is_loaded_and_what_is_typed_reaches_it_after_a_pause(qtbot: QtBot, projects: ProjectService) -> None:
    form, composer = make(qtbot, projects)
    first, second, _third = projects.shots(projects.current_project().id)
    composer.show_shot(second)
    assert form.values().prompt == PROMPTS[1] and form.values().duration == 10
    qtbot.keyClicks(form.prompt_editor.editor(), ", low tide")
    assert projects.shot(second.id).settings["prompt"] == PROMPTS[1]  # type: ignore[union-attr]  # not per key
    qtbot.waitUntil(lambda: projects.shot(second.id).settings["prompt"] == PROMPTS[1] + ", low tide")  # type: ignore[union-attr]
    assert projects.shot(first.id).settings["prompt"] == PROMPTS[0]  # type: ignore[union-attr]


def test_choosing_another_shot_writes_the_pending_edit_to_the_shot_it_was_typed_in(
    qtbot: QtBot, projects: ProjectService
) -> None:
    form, composer = make(qtbot, projects)
    first, second, _third = projects.shots(projects.current_project().id)
    composer.show_shot(first)
    qtbot.keyClicks(form.prompt_editor.editor(), " at night")
    composer.show_shot(second)  # at once, before the pause ends
    assert projects.shot(first.id).settings["prompt"] == PROMPTS[0] + " at night"  # type: ignore[union-attr]
    assert projects.shot(second.id).settings["prompt"] == PROMPTS[1]  # type: ignore[union-attr]
    assert form.values().prompt == PROMPTS[1]


def test_loading_a_shot_is_not_an_edit(qtbot: QtBot, projects: ProjectService) -> None:
    _form, composer = make(qtbot, projects)
    changed: list[int] = []
    projects.shots_changed.connect(changed.append)
    for shot in projects.shots(projects.current_project().id):
        composer.show_shot(shot)
    qtbot.wait(composer._timer.interval() + 100)
    assert changed == []


def test_generate_goes_into_the_shot_on_screen_with_the_prompt_as_typed(qtbot: QtBot, projects: ProjectService) -> None:
    form, composer = make(qtbot, projects)
    first = projects.shots(projects.current_project().id)[0]
    composer.show_shot(first)
    qtbot.keyClicks(form.prompt_editor.editor(), ", dawn")
    assert composer.shot_id_for_generate() == first.id
    assert projects.shot(first.id).settings["prompt"] == PROMPTS[0] + ", dawn"  # type: ignore[union-attr]


def test_generate_with_no_shot_makes_the_form_the_projects_first_shot(qtbot: QtBot, projects: ProjectService) -> None:
    form, composer = make(qtbot, projects)
    project = projects.create_project("Teaser")
    projects.set_current_project(project.id)
    for shot in projects.shots(project.id):
        projects.remove_shot(shot.id)
    composer.show_shot(None)
    form.prompt_editor.set_text("A red kite over dunes")
    shot_id = composer.shot_id_for_generate()
    assert shot_id is not None
    shot = projects.shot(shot_id)
    assert shot is not None and shot.project_id == project.id and shot.settings["prompt"] == "A red kite over dunes"

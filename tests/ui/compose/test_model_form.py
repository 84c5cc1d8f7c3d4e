"""The compose form built from the chosen model's spec: its choices, limits and words, a catalogue that moves under
it, drafts whose values vanished, and the place a refusal of each request parameter is shown."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QPushButton, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from sora2_desktop.api.refusal import REQUEST_PARAMS
from sora2_desktop.api.request import FieldError, GenerationRequest, Mode
from sora2_desktop.core.catalogue.catalogue import ModelCatalogue
from sora2_desktop.ui.compose.choice_row import ChoiceRow
from sora2_desktop.ui.compose.form_draft import FormValues, from_draft
from sora2_desktop.ui.compose.generation_form import GenerationForm
from tests.helpers.models import SORA_2, SORA_2_PRO


@pytest.fixture
def form(qtbot: QtBot) -> GenerationForm:
    widget = GenerationForm()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def combo(form: GenerationForm, name: str) -> QComboBox:
    return next(c for c in form.findChildren(QComboBox) if c.accessibleName() == name)


def choose_model(form: GenerationForm, title: str) -> None:
    models = combo(form, "Model")
    models.setCurrentIndex(models.findText(title))


def radios(row_of: str, form: GenerationForm) -> list[str]:
    """The texts of the radio buttons shown in the row that holds the button `row_of`."""
    button = next(b for b in form.findChildren(QRadioButton) if b.text() == row_of and b.isVisibleTo(form))
    row = button.parentWidget()
    assert isinstance(row, ChoiceRow)
    return [b.text() for b in row.findChildren(QRadioButton) if b.isVisibleTo(form)]


def radio(form: GenerationForm, text: str) -> QRadioButton:
    return next(b for b in form.findChildren(QRadioButton) if b.text() == text and b.isVisibleTo(form))


def watermark(form: GenerationForm) -> QCheckBox:
    box = form.findChild(QCheckBox)
    assert box is not None
    return box


def later_catalogue() -> ModelCatalogue:
    """Sora 2 after the contract moved (API.md): 4/8/12 s, official only, exactly one image."""
    sora = replace(
        SORA_2, durations=(4, 8, 12), default_duration=4, providers=("official",), default_provider="official",
        images_max=1,
    )  # fmt: skip
    return ModelCatalogue("2026-12-03.1+live", (sora, SORA_2_PRO), "refreshed")


def test_the_model_choice_lists_the_catalogue_and_starts_on_sora_2(form: GenerationForm) -> None:
    models = combo(form, "Model")
    assert [models.itemText(i) for i in range(models.count())] == ["Sora 2", "Sora 2 Pro"]
    assert form.spec() == SORA_2
    assert radios("10 s", form) == ["10 s", "15 s"]
    assert radios("Landscape 16:9", form) == ["Landscape 16:9", "Portrait 9:16"]
    assert combo(form, "Provider").count() == 3 and combo(form, "Provider").isEnabled()
    assert watermark(form).isVisibleTo(form)


def test_sora_2_pro_offers_its_own_durations_sizes_resolutions_provider_and_no_watermark(
    form: GenerationForm,
) -> None:
    choose_model(form, "Sora 2 Pro")
    assert form.spec() == SORA_2_PRO
    assert radios("4 s", form) == ["4 s", "8 s", "12 s"]
    sizes = ["1280×720 (landscape)", "720×1280 (portrait)", "1792×1024 (landscape)", "1024×1792 (portrait)"]
    assert radios(sizes[0], form) == sizes
    # Each size has a picture of its shape: wider than tall for landscape, taller than wide for portrait.
    for text, wide in zip(sizes, (True, False, True, False), strict=True):
        icon = radio(form, text).icon()
        assert not icon.isNull()
        image = icon.pixmap(32, 32).toImage()
        drawn = [(x, y) for x in range(32) for y in range(32) if image.pixelColor(x, y).alpha() > 0]
        width = max(x for x, _ in drawn) - min(x for x, _ in drawn)
        height = max(y for _, y in drawn) - min(y for _, y in drawn)
        assert (width > height) == wide, text
    assert any(lab.text() == "Si&ze:" for lab in form.findChildren(QLabel))
    provider = combo(form, "Provider")
    assert [provider.itemData(i) for i in range(provider.count())] == ["official"]
    assert not provider.isEnabled() and "one route only" in provider.toolTip()
    assert not watermark(form).isVisibleTo(form)
    assert form.prompt_editor._counter.text().endswith("/ 5,000")

    radio(form, "Image to video").click()
    assert radios("720p", form) == ["720p", "1080p"]
    assert any(lab.text() == "Re&solution:" for lab in form.findChildren(QLabel))
    radio(form, "1080p").click()
    form.prompt_editor.set_text("A lighthouse at dusk")
    request = form.request()
    assert (request.model, request.mode, request.resolution, request.size) == (
        "sora-2-pro", Mode.IMAGE_TO_VIDEO, "1080p", ""
    )  # fmt: skip
    assert request.validate(SORA_2_PRO, images=False) == []


def test_switching_models_keeps_what_the_other_model_offers_and_each_frame_choice(form: GenerationForm) -> None:
    radio(form, "15 s").click()
    radio(form, "Portrait 9:16").click()
    choose_model(form, "Sora 2 Pro")
    assert form.values().duration == 12  # the nearest Pro offers
    radio(form, "1024×1792 (portrait)").click()
    choose_model(form, "Sora 2")
    assert form.values().aspect_ratio == "portrait" and form.values().duration == 10  # nearest to 12
    assert form.request().size == ""  # Sora 2 takes no size
    assert form.field_note("duration") == ""  # the person saw it move: no note
    choose_model(form, "Sora 2 Pro")
    assert form.values().size == "1024*1792"  # the hidden choice was kept


def test_a_catalogue_change_moves_a_vanished_value_to_the_nearest_with_a_note(
    qtbot: QtBot, form: GenerationForm
) -> None:
    form.prompt_editor.set_text("kept as typed")
    radio(form, "15 s").click()
    with qtbot.waitSignal(form.draft_changed):
        form.set_catalogue(later_catalogue())
    assert radios("4 s", form) == ["4 s", "8 s", "12 s"]
    assert form.values().duration == 12 and form.values().provider == "official"
    assert form.field_note("duration") == "15 s is no longer offered for Sora 2; set to 12 s."
    assert form.field_note("provider") == "auto is no longer offered for Sora 2; set to official."
    assert form.field_error("duration") == ""  # a note, not an error: nothing blocks
    assert form.prompt_editor.text() == "kept as typed"
    radio(form, "8 s").click()  # the person chose: the note has done its work
    assert form.field_note("duration") == ""
    assert form.field_note("provider") != ""


def test_a_draft_whose_values_vanished_opens_with_the_nearest_and_a_note(qtbot: QtBot) -> None:
    form = GenerationForm(catalogue=later_catalogue())
    qtbot.addWidget(form)
    form.set_values(from_draft({"prompt": "old draft", "duration": 10, "provider": "value"}))  # no model: Sora 2
    assert form.values().model == "sora-2" and form.values().duration == 8
    assert form.field_note("duration") == "10 s is no longer offered for Sora 2; set to 8 s."
    assert form.field_note("provider") == "value is no longer offered for Sora 2; set to official."
    form.load_request(GenerationRequest(prompt="p", model="sora-2-pro", duration=4, provider="official", size="1*1"))
    assert form.values().size == "1280*720"
    assert form.field_note("size") == "1×1 (square) is no longer offered for Sora 2 Pro; set to 1280×720 (landscape)."
    assert form.field_note("duration") == ""  # the new values' notes only


def test_a_model_that_takes_one_image_flags_the_second(form: GenerationForm) -> None:
    choose_model(form, "Sora 2 Pro")
    radio(form, "Image to video").click()
    assert form.image_picker.add_source("https://example.com/a.png")
    assert form.image_picker.error() == ""
    assert form.image_picker.add_source("https://example.com/b.png")
    assert form.image_picker.error() == "Sora 2 Pro takes exactly one reference image; remove 1."
    assert "one reference image" in radio(form, "Image to video").toolTip()
    form.image_picker.remove_selected()
    assert form.image_picker.error() == ""


def test_a_long_prompt_is_kept_whole_under_a_model_with_a_lower_limit(qtbot: QtBot, form: GenerationForm) -> None:
    long = "a" * 6000
    assert form.prompt_editor.set_text(long)
    choose_model(form, "Sora 2 Pro")
    assert form.prompt_editor.text() == long
    assert "shorten it" in form.prompt_editor.notice()
    assert form.request().validate(SORA_2_PRO, images=False)[0].field == "prompt"
    editor = form.prompt_editor.editor()
    editor.setFocus()
    qtbot.keyClick(editor, "b")  # growing it further is refused…
    assert form.prompt_editor.text() == long
    cursor = editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    editor.setTextCursor(cursor)
    from PySide6.QtCore import Qt

    qtbot.keyClick(editor, Qt.Key.Key_Backspace)  # …shortening it is not
    assert len(form.prompt_editor.text()) == 5999
    # A draft saved that way opens whole too.
    form.set_values(FormValues(prompt=long, model="sora-2-pro", duration=4, provider="official"))
    assert form.prompt_editor.text() == long


def test_the_generate_button_carries_the_cost_it_is_given(form: GenerationForm) -> None:
    form.set_cost("≈$0.45 · leaves ≈$24.55", "3 × ≈$0.15")
    button = next(b for b in form.findChildren(QPushButton) if b.text().startswith("&Generate"))
    assert button.text() == "&Generate  ≈$0.45 · leaves ≈$24.55"
    assert button.toolTip().endswith("3 × ≈$0.15") and "Ctrl+Return" in button.toolTip()
    form.set_cost("")
    assert button.text() == "&Generate"


@pytest.mark.parametrize("param", sorted(REQUEST_PARAMS))
def test_a_refusal_of_each_request_parameter_is_shown_where_it_can_be_seen(
    qtbot: QtBot, form: GenerationForm, param: str
) -> None:
    radio(form, "Image to video").click()
    radio(form, "Callback").click()
    message = f"input.{param} is not accepted"
    form.show_refusal(param, message)
    assert form.field_error(param) == message
    shown = next(lab for lab in form.findChildren(QLabel) if lab.text() == message)
    assert shown.isVisible()
    offered = next(b for b in form.findChildren(QPushButton) if b.text() == "Refresh the model list")
    # The model list holds the rules of the model-bound fields: the refresh is offered beside those.
    model_bound = param in ("mode", "duration", "aspect_ratio", "size", "resolution", "provider", "remove_watermark")
    assert offered.isVisibleTo(form) == model_bound
    if model_bound:
        assert shown.parentWidget().isAncestorOf(offered)


def test_refresh_is_asked_through_a_signal_and_an_edit_there_takes_the_offer_away(
    qtbot: QtBot, form: GenerationForm
) -> None:
    form.show_refusal("duration", "duration: must be one of 4, 8, 12")
    offered = next(b for b in form.findChildren(QPushButton) if b.text() == "Refresh the model list")
    with qtbot.waitSignal(form.refresh_requested):
        offered.click()
    form.show_refresh_outcome("", running=True)
    assert not offered.isEnabled()
    form.show_refresh_outcome("Model list refreshed: Sora 2 now offers 4, 8 and 12 s")
    assert any(
        lab.text() == "Model list refreshed: Sora 2 now offers 4, 8 and 12 s" for lab in form.findChildren(QLabel)
    )
    radio(form, "15 s").click()
    assert form.field_error("duration") == "" and not offered.isVisibleTo(form)


def test_errors_about_the_frame_land_at_its_row_whatever_the_parameter(form: GenerationForm) -> None:
    choose_model(form, "Sora 2 Pro")
    form.show_errors([FieldError("size", "Sora 2 Pro takes size 1280*720 …")])
    assert form.field_error("size") == "Sora 2 Pro takes size 1280*720 …"
    label = next(lab for lab in form.findChildren(QLabel) if lab.text().startswith("Sora 2 Pro takes size"))
    assert label.parentWidget().isAncestorOf(radio(form, "1280×720 (landscape)"))


def test_a_rebuilt_choice_row_keeps_its_value_and_its_place_in_the_tab_order(qtbot: QtBot) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    row = ChoiceRow([(10, "10 s", "", None), (15, "15 s", "", None)], holder)
    QPushButton("after", holder)  # the widget after the row in the Tab order
    row.set_value(15)
    row.set_options([(4, "4 s", "", None), (8, "8 s", "", None), (15, "15 s", "", None)])
    assert row.value() == 15 and row.values() == [4, 8, 15]
    row.set_options([(4, "4 s", "", None), (8, "8 s", "", None)], value=99)
    assert row.value() == 4  # neither asked for nor kept: the first
    row.set_options([(4, "4 s", "", None), (8, "8 s", "", None), (12, "12 s", "", None)])
    chain, widget = [], row.findChildren(QRadioButton)[0]
    for _ in range(8):
        chain.append(widget)
        widget = widget.nextInFocusChain()
    texts = [w.text() for w in chain if isinstance(w, QRadioButton | QPushButton)]
    assert texts.index("12 s") < texts.index("after"), texts

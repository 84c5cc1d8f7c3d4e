"""GenerationForm: values and request building, load_request, errors at their fields, the Generate shortcut."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from sora2_desktop.api.request import FieldError, GenerationRequest, Mode, RequestType
from sora2_desktop.core.images.resolver import ImageSource
from sora2_desktop.ui.compose.form_draft import from_draft, to_draft
from sora2_desktop.ui.compose.generation_form import FIELDS, GenerationForm


@pytest.fixture
def form(qtbot: QtBot) -> GenerationForm:
    widget = GenerationForm()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitActive(widget)
    return widget


def radio(form: GenerationForm, text: str) -> QRadioButton:
    return next(b for b in form.findChildren(QRadioButton) if b.text() == text)


def callback_edit(form: GenerationForm) -> QLineEdit:
    return next(e for e in form.findChildren(QLineEdit) if e.placeholderText().endswith("sora-callback"))


def generate_button(form: GenerationForm) -> QPushButton:
    return next(b for b in form.findChildren(QPushButton) if b.text().startswith("&Generate"))


def combo(form: GenerationForm, name: str = "Provider") -> QComboBox:
    return next(c for c in form.findChildren(QComboBox) if c.accessibleName() == name)


def png(tmp_path: Path) -> str:
    image = QImage(32, 18, QImage.Format.Format_RGB32)
    image.fill(QColor("blue"))
    path = tmp_path / "ref.png"
    image.save(str(path), "PNG")
    return str(path)


def fill_everything(form: GenerationForm, tmp_path: Path) -> None:
    form.prompt_editor.set_text("A red kite over dunes, aerial view")
    radio(form, "Image to video").click()
    radio(form, "Portrait 9:16").click()
    radio(form, "15 s").click()
    provider = combo(form)
    provider.setCurrentIndex(provider.findData("official"))
    form.findChild(QCheckBox).setChecked(False)
    radio(form, "Callback").click()
    callback_edit(form).setText("https://hooks.example.com/sora")
    form.findChild(QSpinBox).setValue(3)
    assert form.image_picker.add_sources([png(tmp_path), "https://example.com/b.webp"]) == 2


def test_defaults(form: GenerationForm) -> None:
    assert form.request() == GenerationRequest(prompt="")
    assert form.takes() == 1
    assert form.mode() == Mode.TEXT_TO_VIDEO
    assert not form.image_picker.isVisible()
    assert not callback_edit(form).isEnabled()
    assert "Ctrl+Return" in generate_button(form).toolTip()


def test_every_control_reaches_the_request(form: GenerationForm, tmp_path: Path) -> None:
    fill_everything(form, tmp_path)
    assert form.image_picker.isVisible()
    assert callback_edit(form).isEnabled()
    assert form.takes() == 3
    assert form.images() == [ImageSource(png(tmp_path), True), ImageSource("https://example.com/b.webp", False)]
    assert form.request() == GenerationRequest(  # images are not in it: a file has no URL before its upload
        prompt="A red kite over dunes, aerial view",
        mode=Mode.IMAGE_TO_VIDEO,
        duration=15,
        aspect_ratio="portrait",
        remove_watermark=False,
        provider="official",
        request_type=RequestType.CALLBACK,
        callback_url="https://hooks.example.com/sora",
    )


def test_hidden_choices_stay_out_of_the_request(form: GenerationForm) -> None:
    radio(form, "Image to video").click()
    assert form.image_picker.add_source("https://example.com/kept.png")
    radio(form, "Text to video").click()
    callback_edit(form).setText("https://typed.before/switching")
    assert form.images() == []  # text-to-video: the picker is hidden
    assert form.request().callback_url is None  # polling
    # But nothing typed is lost.
    assert form.values().callback_url == "https://typed.before/switching"
    assert form.values().images == (ImageSource("https://example.com/kept.png", False),)


def test_draft_round_trip_of_every_control(qtbot: QtBot, form: GenerationForm, tmp_path: Path) -> None:
    fill_everything(form, tmp_path)
    draft = json.loads(json.dumps(to_draft(form.values())))  # JSON-safe
    assert draft["images"] == [
        {"source": png(tmp_path), "is_local": True},
        {"source": "https://example.com/b.webp", "is_local": False},
    ]
    other = GenerationForm()
    qtbot.addWidget(other)
    with qtbot.waitSignal(other.draft_changed):
        other.set_values(from_draft(draft))
    assert to_draft(other.values()) == draft
    assert other.values() == form.values()
    assert other.takes() == 3


@pytest.mark.parametrize(
    "garbage",
    [
        None,
        "not a dict",
        [1, 2],
        {},
        {
            "mode": 7,
            "duration": "soon",
            "aspect_ratio": None,
            "provider": ["x"],
            "request_type": {},
            "remove_watermark": "yes",
            "takes": "many",
            "callback_url": 5,
            "prompt": 42,
            "images": "x.png",
        },
        {"images": [None, 3, {"nosource": 1}, {"source": 9}], "takes": True, "unknown": object()},
    ],
)
def test_restore_tolerates_missing_and_garbage_keys(form: GenerationForm, garbage: object) -> None:
    form.set_values(from_draft(garbage))
    assert form.request() == GenerationRequest(prompt="")
    assert form.takes() == 1
    assert form.image_picker.entries() == []


def test_restore_keeps_what_is_good_and_explains_a_missing_image(form: GenerationForm, tmp_path: Path) -> None:
    form.set_values(
        from_draft(
            {
                "prompt": "kept",
                "duration": 15,
                "mode": "image-to-video",
                "images": [{"source": str(tmp_path / "gone.png"), "is_local": True}],
            }
        )
    )
    assert form.request().prompt == "kept"
    assert form.request().duration == 15
    assert "“gone.png” was not found" in form.field_error("image_urls")


def test_load_request(form: GenerationForm) -> None:
    request = GenerationRequest(
        prompt="Loaded",
        mode=Mode.IMAGE_TO_VIDEO,
        duration=15,
        aspect_ratio="portrait",
        image_urls=("https://example.com/a.png",),
        remove_watermark=False,
        provider="value",
        request_type=RequestType.CALLBACK,
        callback_url="https://hooks.example.com/x",
    )
    form.show_errors([FieldError("prompt", "old error")])
    form.load_request(request)
    assert form.request() == GenerationRequest(**{**request.__dict__, "image_urls": ()})
    assert form.images() == [ImageSource("https://example.com/a.png", False)]
    assert form.field_error("prompt") == ""


# Which widget should hold the focus after an error at each field.
def expected_focus(form: GenerationForm, field: str) -> QWidget:
    return {
        "prompt": form.prompt_editor.editor(),
        "model": combo(form, "Model"),
        "mode": radio(form, "Image to video"),
        "image_urls": form.image_picker.findChild(QListView),
        "aspect_ratio": radio(form, "Landscape 16:9"),
        "size": radio(form, "Landscape 16:9"),  # the frame's row, whichever parameter the model takes
        "resolution": radio(form, "Landscape 16:9"),
        "duration": radio(form, "10 s"),
        "provider": combo(form),
        "remove_watermark": form.findChild(QCheckBox),
        "request_type": radio(form, "Polling"),
        "callback_url": callback_edit(form),
    }[field]


@pytest.mark.parametrize("field", FIELDS)
def test_show_errors_puts_each_message_at_its_field(qtbot: QtBot, form: GenerationForm, field: str) -> None:
    form.prompt_editor.set_text("typed and kept")
    radio(form, "Image to video").click()  # the picker is visible, so image errors go to it
    if field == "callback_url":
        radio(form, "Callback").click()  # the URL field is enabled only then
    message = f"Problem with {field}."
    form.show_errors([FieldError(field, message)])
    assert form.field_error(field) == message
    assert form.field_error("") == ""
    label = next(lab for lab in form.findChildren(QLabel) if lab.text() == message)
    assert label.isVisible()
    target = expected_focus(form, field)
    # "At the field": the message sits in the same cell as the control it is about.
    assert label.parentWidget().isAncestorOf(target)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is target)
    assert form.prompt_editor.text() == "typed and kept"
    form.clear_errors()
    assert form.field_error(field) == ""


def test_unknown_fields_go_to_the_general_label_and_first_bad_field_gets_focus(
    qtbot: QtBot, form: GenerationForm
) -> None:
    form.show_errors(
        [
            FieldError("callback_url", "bad url"),
            FieldError("weird", "Something else."),
            FieldError("prompt", "Write a prompt."),
        ]
    )
    assert form.field_error("") == "Something else."
    assert form.field_error("callback_url") == "bad url"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.prompt_editor.editor())  # form order


def test_callback_error_while_polling_focuses_the_delivery_choice(qtbot: QtBot, form: GenerationForm) -> None:
    form.show_errors([FieldError("callback_url", "Needs a URL.")])
    assert form.field_error("callback_url") == "Needs a URL."
    qtbot.waitUntil(lambda: QApplication.focusWidget() is radio(form, "Polling"))


def test_image_errors_in_text_mode_show_at_the_mode(form: GenerationForm) -> None:
    form.show_errors([FieldError("image_urls", "Text-to-video takes no images.")])
    assert form.field_error("mode") == "Text-to-video takes no images."


def test_general_error_is_shown_verbatim(form: GenerationForm) -> None:
    form.show_general_error("Insufficient credits")
    assert form.field_error("") == "Insufficient credits"


def test_editing_a_field_clears_its_own_error_only(qtbot: QtBot, form: GenerationForm) -> None:
    form.show_errors(
        [
            FieldError("prompt", "Write a prompt."),
            FieldError("provider", "Bad provider."),
            FieldError("callback_url", "Bad URL."),
        ]
    )
    qtbot.keyClicks(form.prompt_editor.editor(), "x")
    assert form.field_error("prompt") == ""
    assert form.field_error("provider") == "Bad provider."
    provider = combo(form)
    provider.setCurrentIndex(2)
    assert form.field_error("provider") == ""
    assert provider.property("invalid") is False
    assert form.field_error("callback_url") == "Bad URL."
    radio(form, "Callback").click()
    assert form.field_error("callback_url") == ""


@pytest.mark.parametrize(
    ("key", "modifiers"),
    [
        (Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_Enter, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.KeypadModifier),
    ],
)
def test_generate_shortcut_emits(
    qtbot: QtBot, form: GenerationForm, key: Qt.Key, modifiers: Qt.KeyboardModifier
) -> None:
    form.prompt_editor.set_text("A prompt")
    form.prompt_editor.focus_editor()
    with qtbot.waitSignal(form.generate_requested, timeout=1000):
        qtbot.keyClick(form.prompt_editor.editor(), key, modifiers)
    assert form.prompt_editor.text() == "A prompt"  # the shortcut inserted no line break


def test_generate_button_and_busy(qtbot: QtBot, form: GenerationForm) -> None:
    with qtbot.waitSignal(form.generate_requested, timeout=1000):
        qtbot.mouseClick(generate_button(form), Qt.MouseButton.LeftButton)
    form.set_busy(True)
    assert not generate_button(form).isEnabled()
    with qtbot.assertNotEmitted(form.generate_requested):
        qtbot.keyClick(form.prompt_editor.editor(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    form.set_busy(False)
    assert generate_button(form).isEnabled()


def test_draft_changed_on_every_kind_of_edit(qtbot: QtBot, form: GenerationForm) -> None:
    edits = [
        lambda: qtbot.keyClicks(form.prompt_editor.editor(), "a"),
        lambda: radio(form, "15 s").click(),
        lambda: form.findChild(QSpinBox).setValue(2),
        lambda: form.findChild(QCheckBox).setChecked(False),
        lambda: combo(form).setCurrentIndex(1),
        lambda: radio(form, "Image to video").click(),
        lambda: form.image_picker.add_source("https://example.com/c.png"),
    ]
    for edit in edits:
        with qtbot.waitSignal(form.draft_changed, timeout=500):
            edit()


def test_tab_walks_the_form_top_to_bottom(qtbot: QtBot, form: GenerationForm) -> None:
    form.set_values(from_draft({"mode": "image-to-video", "request_type": "callback"}))
    form.prompt_editor.focus_editor()
    seen: list[QWidget] = []
    for _ in range(16):
        widget = QApplication.focusWidget()
        assert widget is not None
        seen.append(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    picker_view = form.image_picker.findChild(QListView)
    order = [
        form.prompt_editor.editor(),
        combo(form, "Model"),
        radio(form, "Image to video"),
        picker_view,
        radio(form, "Landscape 16:9"),
        radio(form, "10 s"),
        combo(form),
        form.findChild(QCheckBox),
        radio(form, "Callback"),
        callback_edit(form),
        form.findChild(QSpinBox),
        generate_button(form),
    ]
    assert [seen.index(widget) for widget in order] == sorted(seen.index(widget) for widget in order)


@pytest.mark.parametrize(
    ("key", "target"),
    [
        (Qt.Key.Key_O, lambda f: combo(f)),
        (Qt.Key.Key_L, lambda f: combo(f, "Model")),
        (Qt.Key.Key_A, lambda f: radio(f, "Landscape 16:9")),
        (Qt.Key.Key_T, lambda f: f.findChild(QSpinBox)),
        (Qt.Key.Key_P, lambda f: f.prompt_editor.editor()),
        (Qt.Key.Key_D, lambda f: radio(f, "10 s")),
        (Qt.Key.Key_M, lambda f: radio(f, "Text to video")),
    ],
)
def test_label_mnemonics_reach_their_fields(
    qtbot: QtBot, form: GenerationForm, key: Qt.Key, target: Callable[[GenerationForm], QWidget]
) -> None:
    widget = target(form)
    qtbot.keyClick(generate_button(form), key, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=1000)

"""ImagePicker: real images accepted, bad ones refused with the reason, URLs, remove, reorder, paste, drop."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QGuiApplication, QImage
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QListView
from pytestqt.qtbot import QtBot

from sora2_desktop.core.images.resolver import ImageSource
from sora2_desktop.ui.compose.image_picker import STATUS_ROLE, ImagePicker


def make_image(folder: Path, name: str, fmt: str, size: tuple[int, int] = (64, 36)) -> Path:
    image = QImage(*size, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    path = folder / name
    assert image.save(str(path), fmt)
    return path


@pytest.fixture
def picker(qtbot: QtBot) -> ImagePicker:
    widget = ImagePicker()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def view(picker: ImagePicker) -> QListView:
    found = picker.findChild(QListView)
    assert found is not None
    return found


def button(picker: ImagePicker, tip_start: str) -> QAbstractButton:
    return next(b for b in picker.findChildren(QAbstractButton) if b.toolTip().startswith(tip_start))


def row_text(picker: ImagePicker, row: int) -> str:
    return str(view(picker).model().index(row, 0).data())


@pytest.mark.parametrize(("name", "fmt"), [("still.png", "PNG"), ("photo.jpg", "JPG"), ("frame.webp", "WEBP")])
def test_accepts_real_images(qtbot: QtBot, picker: ImagePicker, tmp_path: Path, name: str, fmt: str) -> None:
    path = make_image(tmp_path, name, fmt)
    with qtbot.waitSignal(picker.entries_changed):
        assert picker.add_source(str(path))
    assert picker.entries() == [ImageSource(str(path), True)]
    assert picker.error() == ""
    assert row_text(picker, 0).startswith(f"{name}\n")
    assert "64 × 36" in row_text(picker, 0)


def test_thumbnail_is_decoded_small_off_the_gui_thread(qtbot: QtBot, picker: ImagePicker, tmp_path: Path) -> None:
    path = make_image(tmp_path, "wide.png", "PNG", (2000, 1000))
    picker.add_source(str(path))
    assert picker.wait_for_thumbnails()

    def thumbnail_is_red() -> bool:
        icon = view(picker).model().index(0, 0).data(Qt.ItemDataRole.DecorationRole)
        pixmap = icon.pixmap(48, 48)
        return pixmap.width() == 48 and pixmap.height() == 24 and pixmap.toImage().pixelColor(10, 10) == QColor("red")

    qtbot.waitUntil(thumbnail_is_red)


def write_gif(path: Path) -> Path:
    path.write_bytes(
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x00\x00\x00\x00\x00"
        b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )
    return path


def write_big(path: Path) -> Path:
    make_image(path.parent, path.name, "PNG")
    with path.open("r+b") as stream:
        stream.truncate(11 * 1024 * 1024)
    return path


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda folder: write_gif(folder / "cat.png"), "“cat.png” is a GIF image; use a JPG, PNG or WebP image."),
        (
            lambda folder: (folder / "notes.png").write_text("hello") and folder / "notes.png",
            "“notes.png” is not a JPG, PNG or WebP image.",
        ),
        (lambda folder: write_big(folder / "big.png"), "“big.png” is 11.0 MB; the limit is 10 MB."),
        (lambda folder: folder / "missing.png", "“missing.png” was not found; it may have been moved or deleted."),
    ],
)
def test_rejects_with_the_reason_and_adds_nothing(
    picker: ImagePicker, tmp_path: Path, make: Callable[[Path], Path], reason: str
) -> None:
    path = make(tmp_path)
    assert not picker.add_source(str(path))
    assert picker.entries() == []
    assert picker.error() == reason
    assert view(picker).property("invalid") is True


def test_a_later_good_image_lifts_the_refusal(picker: ImagePicker, tmp_path: Path) -> None:
    picker.add_source(str(write_gif(tmp_path / "cat.png")))
    picker.add_source(str(make_image(tmp_path, "ok.png", "PNG")))
    assert picker.error() == ""
    assert view(picker).property("invalid") is False


def test_duplicates_and_non_sources_are_refused(picker: ImagePicker, tmp_path: Path) -> None:
    path = make_image(tmp_path, "a.png", "PNG")
    assert picker.add_source(str(path))
    assert not picker.add_source(str(path))
    assert picker.error() == "“a.png” is already in the list."
    assert not picker.add_source("a sunny day")
    assert "is neither an image file nor a web address" in picker.error()
    assert len(picker.entries()) == 1


def test_url_typed_and_added_is_listed_as_to_be_checked(qtbot: QtBot, picker: ImagePicker) -> None:
    line = picker.findChild(QLineEdit)
    assert line is not None
    qtbot.keyClicks(line, "https://cdn.example.com/img/hero.webp")
    qtbot.mouseClick(button(picker, "Add this web address"), Qt.MouseButton.LeftButton)
    assert picker.entries() == [ImageSource("https://cdn.example.com/img/hero.webp", False)]
    assert line.text() == ""
    assert row_text(picker, 0) == "hero.webp\nTo be checked"
    assert view(picker).model().index(0, 0).data(STATUS_ROLE) == "pending"

    picker.set_entry_status("https://cdn.example.com/img/hero.webp", False, "The address answered 404 Not Found.")
    assert row_text(picker, 0) == "hero.webp\nThe address answered 404 Not Found."
    assert view(picker).model().index(0, 0).data(STATUS_ROLE) == "bad"
    tip = view(picker).model().index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "404" in tip
    picker.set_entry_status("https://cdn.example.com/img/hero.webp", True, "")
    assert row_text(picker, 0) == "hero.webp\nReady"


def test_incomplete_url_is_refused(picker: ImagePicker) -> None:
    assert not picker.add_source("https://")
    assert picker.entries() == []
    assert "not a complete web address" in picker.error()


def add_three(picker: ImagePicker, tmp_path: Path) -> list[str]:
    sources = [str(make_image(tmp_path, f"{n}.png", "PNG")) for n in ("one", "two", "three")]
    assert picker.add_sources(sources) == 3
    return sources


def test_remove_with_delete_key_and_button(qtbot: QtBot, picker: ImagePicker, tmp_path: Path) -> None:
    one, _two, three = add_three(picker, tmp_path)
    view(picker).setCurrentIndex(view(picker).model().index(1, 0))
    with qtbot.waitSignal(picker.entries_changed):
        qtbot.keyClick(view(picker), Qt.Key.Key_Delete)
    assert [e.source for e in picker.entries()] == [one, three]
    qtbot.mouseClick(button(picker, "Remove the selected"), Qt.MouseButton.LeftButton)
    assert [e.source for e in picker.entries()] == [one]


def test_reorder_with_move_buttons_and_keys(qtbot: QtBot, picker: ImagePicker, tmp_path: Path) -> None:
    one, two, three = add_three(picker, tmp_path)  # the last added is current
    up, down = button(picker, "Move up"), button(picker, "Move down")
    assert not down.isEnabled()
    qtbot.mouseClick(up, Qt.MouseButton.LeftButton)
    assert [e.source for e in picker.entries()] == [one, three, two]
    qtbot.mouseClick(up, Qt.MouseButton.LeftButton)
    assert [e.source for e in picker.entries()] == [three, one, two]
    assert not up.isEnabled()
    qtbot.keyClick(view(picker), Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert [e.source for e in picker.entries()] == [one, three, two]
    with qtbot.waitSignal(picker.entries_changed):
        picker.move_entry(2, 0)
    assert [e.source for e in picker.entries()] == [two, one, three]


def test_paste_of_a_path_a_url_and_a_copied_file(qtbot: QtBot, picker: ImagePicker, tmp_path: Path) -> None:
    path = make_image(tmp_path, "pasted.jpg", "JPG")
    QGuiApplication.clipboard().setText(f'"{path}"')  # file managers often quote a copied path
    view(picker).setFocus()
    qtbot.keyClick(view(picker), Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert picker.entries() == [ImageSource(str(path), True)]

    QGuiApplication.clipboard().setText("https://example.com/a.png\nhttps://example.com/b.png")
    picker.paste()
    assert [e.source for e in picker.entries()][1:] == ["https://example.com/a.png", "https://example.com/b.png"]

    copied = make_image(tmp_path, "copied.webp", "WEBP")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(copied))])
    QGuiApplication.clipboard().setMimeData(mime)
    picker.paste()
    assert picker.entries()[-1] == ImageSource(str(copied), True)


def test_paste_of_nothing_useful_explains(picker: ImagePicker) -> None:
    QGuiApplication.clipboard().clear()
    picker.paste()
    assert picker.error() == "The clipboard holds no image file or web address."


# QDragEnterEvent has only the QPoint constructor, which PySide marks deprecated.
@pytest.mark.filterwarnings("ignore:Function.*QDragEnterEvent:DeprecationWarning")
def test_drop_of_files_and_links(qtbot: QtBot, picker: ImagePicker, tmp_path: Path) -> None:
    good = make_image(tmp_path, "dropped.png", "PNG")
    bad = write_gif(tmp_path / "anim.png")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(good)), QUrl.fromLocalFile(str(bad)), QUrl("https://example.com/x.jpg")])
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(10, 10), actions, mime, buttons, modifiers)
    QApplication.sendEvent(view(picker).viewport(), enter)
    assert enter.isAccepted()
    event = QDropEvent(QPointF(10, 10), actions, mime, buttons, modifiers)
    with qtbot.waitSignal(picker.entries_changed):
        QApplication.sendEvent(view(picker).viewport(), event)
    assert event.isAccepted()
    assert event.dropAction() == Qt.DropAction.CopyAction  # never Move: the file manager must keep the file
    assert picker.entries() == [ImageSource(str(good), True), ImageSource("https://example.com/x.jpg", False)]
    assert "“anim.png” is a GIF image" in picker.error()


def test_file_dialog_choice_is_added(monkeypatch: pytest.MonkeyPatch, picker: ImagePicker, tmp_path: Path) -> None:
    path = make_image(tmp_path, "chosen.png", "PNG")
    monkeypatch.setattr(picker, "_ask_for_files", lambda: [str(path)])
    picker.choose_files()
    assert picker.entries() == [ImageSource(str(path), True)]


def test_clear(qtbot: QtBot, picker: ImagePicker) -> None:
    picker.add_source("https://example.com/a.png")
    with qtbot.waitSignal(picker.entries_changed):
        picker.clear()
    assert picker.entries() == []

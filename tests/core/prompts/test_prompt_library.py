"""PromptLibrary: search by words and tags, add/edit/remove with undo, built-ins read-only, the file's round trip."""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sora2_desktop.core.prompts import library_file
from sora2_desktop.core.prompts.craft_terms import GROUP_CODES
from sora2_desktop.core.prompts.entry import ReadOnlyEntryError, parse_tags, title_from_text
from sora2_desktop.core.prompts.library import PromptLibrary


class Clock:
    """A clock the test moves: each reading is one minute after the last."""

    def __init__(self) -> None:
        self.now = datetime(2025, 5, 3, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


@pytest.fixture
def library(tmp_path: Path) -> PromptLibrary:
    return PromptLibrary.in_folder(tmp_path, clock=Clock())


def titles(entries: list) -> list[str]:
    return [entry.title for entry in entries]


def test_search_finds_every_word_in_title_text_or_tags(library: PromptLibrary) -> None:
    library.add("A lighthouse on a rocky cliff, waves crash below", "Lighthouse", "coast, night")
    library.add("A red car races through a neon city", "Car chase", ["city", "Night"])
    assert titles(library.search("lighthouse")) == ["Lighthouse"]
    assert titles(library.search("NEON car")) == ["Car chase"]  # any case, all words, any order
    assert titles(library.search("coast waves")) == ["Lighthouse"]  # one word from the tags, one from the text
    assert library.search("lighthouse neon") == []
    assert "Car chase" in titles(library.search("neo"))  # parts of words: finds as one types
    assert "neon glow" in titles(library.search("neon"))  # built-ins are found alongside


def test_tag_filter_ignores_case_and_combines_with_the_words(library: PromptLibrary) -> None:
    library.add("A lighthouse at night", "Lighthouse", "coast, night")
    library.add("A car in the city at night", "Car", "City, NIGHT")
    assert titles(library.search(tag="Night")) == ["Car", "Lighthouse"]  # newest first
    assert titles(library.search("car", tag="night")) == ["Car"]
    assert titles(library.search(tag="coast")) == ["Lighthouse"]
    assert "orbiting shot" in titles(library.search(tag="camera"))
    assert "orbiting shot" not in titles(library.search(tag="lighting"))


def test_tags_lists_the_craft_groups_then_the_persons_own_once(library: PromptLibrary) -> None:
    library.add("text one", tags="night, Coast")
    library.add("text two", tags="NIGHT, camera")  # "camera" is the craft group's tag: listed once, as the group
    tags = library.tags()
    assert tags[: len(GROUP_CODES)] == list(GROUP_CODES) == ["camera", "lighting", "mood", "action", "transitions"]
    assert tags[len(GROUP_CODES) :] == ["Coast", "night"]
    assert library.tag_title("camera") == "Camera"
    assert library.tag_title("night") == "night"


def test_builtins_are_the_craft_terms_and_cannot_change(library: PromptLibrary) -> None:
    builtins = library.builtins()
    assert all(entry.builtin for entry in builtins)
    assert {"slow dolly in", "golden hour", "descend through clouds"} <= set(titles(builtins))
    dolly = next(entry for entry in builtins if entry.title == "slow dolly in")
    assert dolly.tags == ("camera",)
    with pytest.raises(ReadOnlyEntryError):
        library.edit(dolly.id, title="mine now")
    with pytest.raises(ReadOnlyEntryError):
        library.remove(dolly.id)
    library.mark_used(dolly.id)  # nothing to store: no error, no file
    assert not library.path.exists()
    assert library.entry(dolly.id) == dolly


def test_add_edit_remove_and_undo_are_written_at_once(tmp_path: Path, library: PromptLibrary) -> None:
    changes: list[None] = []
    library.changed.connect(lambda: changes.append(None))
    first = library.add("A fox in the snow", "Fox", "winter")
    second = library.add("A whale breaches at dawn", "Whale")
    third = library.add("Rain on a tin roof", "Rain")
    edited = library.edit(second.id, title="Whale at dawn", tags="sea, dawn")
    assert (edited.title, edited.tags, edited.text) == ("Whale at dawn", ("sea", "dawn"), second.text)
    assert edited.created == second.created

    def stored() -> list[str]:
        return titles(PromptLibrary.in_folder(tmp_path).saved())

    assert stored() == ["Rain", "Whale at dawn", "Fox"]
    library.remove(second.id)
    assert stored() == ["Rain", "Fox"]
    assert library.can_undo_remove()
    assert library.undo_remove() == edited
    assert [entry.id for entry in PromptLibrary.in_folder(tmp_path)._own()] == [first.id, edited.id, third.id]
    assert library.undo_remove() is None
    assert len(changes) == 6
    with pytest.raises(KeyError):
        library.remove("no-such-id")


def test_undo_brings_back_several_removals_newest_first(library: PromptLibrary) -> None:
    a, b = library.add("a text", "A"), library.add("b text", "B")
    library.remove(a.id)
    library.remove(b.id)
    assert library.undo_remove() == b
    assert library.undo_remove() == a
    assert titles(library.saved()) == ["B", "A"]


def test_a_blank_text_is_refused_and_a_blank_title_comes_from_the_text(library: PromptLibrary) -> None:
    with pytest.raises(ValueError):
        library.add("   \n ")
    entry = library.add("  A lighthouse on a rocky cliff at golden hour, waves crash below, slow dolly in\nmore")
    assert entry.title == "A lighthouse on a rocky cliff at golden hour…"
    with pytest.raises(ValueError):
        library.edit(entry.id, text=" ")
    assert title_from_text("Short one\nsecond line") == "Short one"
    assert parse_tags(" night , Car,,night , car  chase ") == ("night", "Car", "car chase")


def test_used_entries_come_first(library: PromptLibrary) -> None:
    old = library.add("old text", "Old")
    library.add("new text", "New")
    assert titles(library.saved()) == ["New", "Old"]
    library.mark_used(old.id)
    assert titles(library.saved()) == ["Old", "New"]
    assert library.entries()[: len(library.saved())] == library.saved()  # the person's own before the built-ins


def test_the_file_round_trips_every_field(tmp_path: Path, library: PromptLibrary) -> None:
    entry = library.add("Café «neon» ☕ night\nsecond line", "Café", "night, 夜")
    library.mark_used(entry.id)
    again = PromptLibrary.in_folder(tmp_path).entry(entry.id)
    assert again == library.entry(entry.id)
    assert again is not None and again.used is not None and again.used.tzinfo is not None
    document = json.loads(library.path.read_text(encoding="utf-8"))
    assert document["format"] == library_file.FORMAT
    assert len(document["entries"]) == 1  # built-ins are never stored
    assert not list(tmp_path.glob(".*.tmp"))  # the temporary file was renamed, not left behind
    if os.name == "posix":
        assert library.path.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe garbage",
        b'["a list"]',
        b'{"format": 1, "entries": [{"id": "x", "title": 3, "text": "t"}]}',
        b'{"format": 1, "entries": [{"id": "craft:camera:x", "title": "t", "text": "t"}]}',
        b'{"format": 1, "entries": [{"id": "x", "title": "t", "text": "t", "created": "yesterday"}]}',
        b'{"format": 99, "entries": []}',
    ],
)
def test_an_unreadable_file_is_set_aside_with_the_reason_logged(
    tmp_path: Path, content: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / library_file.FILE_NAME
    path.write_bytes(content)
    library = PromptLibrary.in_folder(tmp_path)
    with caplog.at_level(logging.WARNING, logger="sora2_desktop.core.prompts.library_file"):
        assert library.saved() == []
    assert library.set_aside is not None
    assert library.set_aside.read_bytes() == content  # kept whole, beside the new one
    assert library.set_aside.name.startswith("prompt_library.json.unreadable-")
    assert not path.exists()
    assert "kept as" in caplog.text and library.set_aside.name in caplog.text
    assert library.builtins()  # the craft terms work regardless
    library.add("a new start", "New")
    assert titles(PromptLibrary.in_folder(tmp_path).saved()) == ["New"]


def test_a_failed_write_is_reported_and_kept_in_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    library = PromptLibrary.in_folder(tmp_path)
    reasons: list[str] = []
    library.save_failed.connect(reasons.append)

    def full_disk(_path: Path, _entries: list) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(library_file, "save", full_disk)
    entry = library.add("kept in memory", "Kept")
    assert reasons == ["No space left on device"]
    assert library.entry(entry.id) == entry


def test_a_file_that_cannot_be_moved_aside_is_never_written_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / library_file.FILE_NAME
    path.write_bytes(b"{broken")

    def refuse(_source: object, _target: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(library_file.os, "replace", refuse)
    library = PromptLibrary.in_folder(tmp_path)
    reasons: list[str] = []
    library.save_failed.connect(reasons.append)
    assert not library.writable
    library.add("not written", "Mine")
    assert reasons == [""]
    assert path.read_bytes() == b"{broken"

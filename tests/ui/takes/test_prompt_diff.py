"""prompt_diff: word-level marks of what changed between two wordings of a shot's prompt."""

from __future__ import annotations

from sora2_desktop.ui.takes.prompt_diff import Change, Piece, changed_words, diff_words

S, R, A = Change.SAME, Change.REMOVED, Change.ADDED


def joined(pieces: list[Piece]) -> str:
    return "".join(p.text for p in pieces)


def test_a_replaced_word_is_removed_on_the_left_and_added_on_the_right() -> None:
    left, right = diff_words("A red fox runs through snow", "A grey fox runs through snow")
    assert left == [Piece("A ", S), Piece("red ", R), Piece("fox runs through snow", S)]
    assert right == [Piece("A ", S), Piece("grey ", A), Piece("fox runs through snow", S)]


def test_each_side_joins_back_to_its_prompt_exactly() -> None:
    old = "Dolly in on a lighthouse,\n  fog rolling  in at dusk."
    new = "Slow dolly in on a lighthouse, fog rolling out at dawn. Film grain."
    left, right = diff_words(old, new)
    assert joined(left) == old
    assert joined(right) == new


def test_adjacent_changed_words_are_one_mark() -> None:
    left, right = diff_words("wide shot of a city", "close up of a city")
    assert left[0] == Piece("wide shot ", R)
    assert right[0] == Piece("close up ", A)


def test_only_spacing_changed_is_no_change() -> None:
    left, right = diff_words("a  quiet\nharbour", "a quiet harbour")
    assert [p.change for p in left] == [S]
    assert [p.change for p in right] == [S]
    assert changed_words("a  quiet\nharbour", "a quiet harbour") == 0


def test_words_added_at_the_end_and_from_nothing() -> None:
    left, right = diff_words("a harbour", "a harbour at dawn")
    assert left == [Piece("a harbour", S)]
    assert right == [Piece("a harbour ", S), Piece("at dawn", A)]
    assert diff_words("", "a harbour") == ([], [Piece("a harbour", A)])


def test_changed_words_counts_removed_and_added() -> None:
    assert changed_words("A red fox runs", "A grey fox walks") == 4
    assert changed_words("same words", "same words") == 0

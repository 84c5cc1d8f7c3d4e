"""HTTP header values read strictly: a number is plain ASCII digits or it is not a number."""

from __future__ import annotations

# More digits than any real size or count (10^18 bytes is an exabyte): such a value is nonsense, and refusing
# it also keeps int() clear of Python's limit on converting very long digit strings.
_MAX_DIGITS = 18


def int_header(value: str | None) -> int | None:
    """The non-negative integer a header such as Content-Length holds; None when absent or anything else.

    Only ASCII 0-9 count: str.isdigit also accepts "²" and other scripts' digits, which int() then refuses or
    reads as a number no server meant. Surrounding spaces are allowed (HTTP's optional whitespace)."""
    if value is None:
        return None
    text = value.strip(" \t")
    if not text or len(text) > _MAX_DIGITS or not text.isascii() or not text.isdigit():
        return None
    return int(text)

"""Header numbers: only plain ASCII digits are a number; everything else is no number, never an exception."""

from __future__ import annotations

import pytest

from sora2_desktop.api.headers import int_header


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", 0),
        ("2048", 2048),
        (" 12 ", 12),
        ("\t7", 7),
        ("999999999999999999", 999_999_999_999_999_999),  # 18 digits: the largest accepted
        (None, None),
        ("", None),
        ("   ", None),
        ("²", None),  # str.isdigit() says yes, int() says no
        ("1²", None),
        ("١٢", None),  # Arabic-Indic digits: int() would read 12
        ("１２", None),  # full-width digits, likewise
        ("-1", None),
        ("+1", None),
        ("1e3", None),
        ("1.0", None),
        ("0x10", None),
        ("1_000", None),
        ("12 34", None),
        ("9999999999999999999", None),  # 19 digits: no size a server means
        ("9" * 5000, None),  # past Python's digit limit for int(): must not raise
    ],
)
def test_int_header(value: str | None, expected: int | None) -> None:
    assert int_header(value) == expected

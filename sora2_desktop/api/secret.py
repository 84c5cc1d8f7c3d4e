"""ApiKey: the API key as a value that never shows itself in a repr, a log line or an exception."""

from __future__ import annotations

import unicodedata
from typing import Literal

KeyProblem = Literal["control", "space"]


def api_key_problem(text: str) -> KeyProblem | None:
    """Why `text` (outer whitespace aside) cannot be a key: "control" for a control character (C0, DEL, C1,
    or any other Unicode Cc/Cf such as a zero-width space), "space" for inner whitespace; None when it can.

    Why refuse rather than clean: a newline or NUL in a key would be sent in the Authorization header, where
    httpx refuses it after the task was stored (the task then read "answer lost"); a key with such a character
    was pasted wrong, and only the person can tell what the right one is."""
    inner = text.strip()
    if any(unicodedata.category(character) in ("Cc", "Cf") for character in inner):
        return "control"
    if any(character.isspace() for character in inner):
        return "space"
    return None


class InvalidApiKeyError(ValueError):
    """Raised by ApiKey for a value api_key_problem refuses; `problem` says which rule, never the value."""

    def __init__(self, problem: KeyProblem) -> None:
        super().__init__(f"an API key cannot contain {'control characters' if problem == 'control' else 'spaces'}")
        self.problem: KeyProblem = problem


class ApiKey:
    """Holds the key; only `reveal()` gives it back, and only the client's auth header calls that."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        problem = api_key_problem(value)
        if problem is not None:
            raise InvalidApiKeyError(problem)
        self._value = value.strip()

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ApiKey) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __repr__(self) -> str:
        return "ApiKey(<hidden>)" if self._value else "ApiKey(<empty>)"

    __str__ = __repr__

    def __reduce__(self) -> str | tuple[object, ...]:
        # Pickling would write the key somewhere we cannot see; refuse rather than leak.
        raise TypeError("ApiKey cannot be pickled")

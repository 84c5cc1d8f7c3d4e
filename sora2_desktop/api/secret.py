"""ApiKey: the API key as a value that never shows itself in a repr, a log line or an exception."""

from __future__ import annotations


class ApiKey:
    """Holds the key; only `reveal()` gives it back, and only the client's auth header calls that."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
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

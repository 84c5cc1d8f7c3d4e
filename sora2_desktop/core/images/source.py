"""ImageSource and ImageProblem: a reference image as the person listed it, and why one could not be used. Apart from
the resolver (httpx, the image host) so that the form and its draft name them without importing either."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ImageSource:
    """One reference image as the person listed it: the picker's entries, the draft and the submission all
    use this one type."""

    source: str  # an absolute local path or an http(s) URL, as listed
    is_local: bool


class ImageProblem(Exception):
    """One image could not be made ready; `source` says which, `reason` says why in words for a person."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(reason)
        self.source = source
        self.reason = reason

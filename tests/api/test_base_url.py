"""The base URL rule: the API key goes only over https, or plain http to this machine; parsed as httpx will."""

from __future__ import annotations

import pytest

from sora2_desktop.api.base_url import BaseUrlProblem, base_url_problem, explain_base_url_problem


@pytest.mark.parametrize(
    "url",
    ["https://api.apixo.ai", " https://proxy.example.com:8443/apixo/ ", "http://127.0.0.1:8765", "http://[::1]"],
)
def test_allowed(url: str) -> None:
    assert base_url_problem(url) is None


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("  ", BaseUrlProblem.EMPTY),
        ("https://api.apixo.ai:99999", BaseUrlProblem.MALFORMED),
        ("https://[::1", BaseUrlProblem.MALFORMED),
        ("api.apixo.ai", BaseUrlProblem.NOT_WEB),
        ("ftp://api.apixo.ai", BaseUrlProblem.NOT_WEB),
        ("https://", BaseUrlProblem.NOT_WEB),
        ("https://user:hunter2@api.apixo.ai", BaseUrlProblem.CREDENTIALS),
        ("https://api.apixo.ai?key=1", BaseUrlProblem.QUERY),
        ("https://api.apixo.ai#x", BaseUrlProblem.QUERY),
        ("http://api.apixo.ai", BaseUrlProblem.PLAIN_HTTP),
        ("http://localhost.example.com", BaseUrlProblem.PLAIN_HTTP),
        # A browser reads host 127.0.0.1 here (a backslash ends it); httpx, which connects, reads evil.example.
        ("http://127.0.0.1\\@evil.example", BaseUrlProblem.CREDENTIALS),
    ],
)
def test_refused(url: str, problem: BaseUrlProblem) -> None:
    assert base_url_problem(url) == problem
    words = explain_base_url_problem(problem)
    assert words.endswith(".") and "hunter2" not in words

"""The base URL rule: which addresses the API key may be sent to (https, or plain http to this machine only)."""

from __future__ import annotations

import enum

from sora2_desktop.api.request import is_loopback_host


class BaseUrlProblem(enum.StrEnum):
    """Why an address may not be the API's base URL; explain_base_url_problem words it in English, and the app in
    the person's language."""

    EMPTY = "empty"
    MALFORMED = "malformed"  # not a URL at all, or a port that is not a number
    NOT_WEB = "not_web"  # not http(s), or no host
    CREDENTIALS = "credentials"  # a user name or password in it
    QUERY = "query"  # a query (?…) or a fragment (#…)
    PLAIN_HTTP = "plain_http"  # http:// to a host other than this machine


def base_url_problem(url: str) -> BaseUrlProblem | None:
    """None when `url` may receive the API key; otherwise why not.

    The key travels in every request's header, so plain http is allowed only where it never leaves the machine
    (the local stand-in service, a debugging proxy on loopback)."""
    text = url.strip()
    if not text:
        return BaseUrlProblem.EMPTY
    # Parsed by httpx, which is what will connect: a second parser could read another host out of a crafted
    # address (e.g. "http://127.0.0.1\@evil.example") than the one the key is then sent to. Imported here: the
    # settings module names this rule, and the window's first paint should not wait for httpx.
    import httpx

    try:
        parts = httpx.URL(text)
    except httpx.InvalidURL:
        return BaseUrlProblem.MALFORMED
    if parts.port is not None and not 0 < parts.port < 65536:
        return BaseUrlProblem.MALFORMED
    if parts.scheme not in ("http", "https") or not parts.host:
        return BaseUrlProblem.NOT_WEB
    if parts.userinfo:
        # Credentials in a URL end up in logs and history; the key is the only credential the API takes.
        return BaseUrlProblem.CREDENTIALS
    if parts.query or parts.fragment:
        return BaseUrlProblem.QUERY
    if parts.scheme == "http" and not is_loopback_host(parts.host):
        return BaseUrlProblem.PLAIN_HTTP
    return None


def explain_base_url_problem(problem: BaseUrlProblem) -> str:
    """The problem in English, for this package's own errors (never echoing the URL: it may hold a password)."""
    return {
        BaseUrlProblem.EMPTY: "The API base URL is empty.",
        BaseUrlProblem.MALFORMED: "The API base URL is not a valid web address.",
        BaseUrlProblem.NOT_WEB: "The API base URL must start with https:// and name a host.",
        BaseUrlProblem.CREDENTIALS: "The API base URL must not hold a user name or password.",
        BaseUrlProblem.QUERY: "The API base URL must not hold a query or fragment.",
        BaseUrlProblem.PLAIN_HTTP: "The API base URL must use https:// (http:// only for localhost, 127.0.0.1 or ::1).",
    }[problem]

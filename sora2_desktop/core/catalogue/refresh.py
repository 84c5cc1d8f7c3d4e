"""fetch_catalogue: read the service's published model index and each offered model's schema over a catalogue.

The index and schemas are public pages (shared/API.md, "The model catalogue the service publishes"): they are
fetched with no key, no cookie and no credentials of any kind, from whichever host they name. No Qt here.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from sora2_desktop.api.bounded_json import AnswerTooLarge, AnswerUndecodable, loads_bounded, read_capped
from sora2_desktop.core.catalogue.catalogue import ModelCatalogue
from sora2_desktop.core.catalogue.schema_reading import apply_schema

if TYPE_CHECKING:
    import httpx  # imported by the functions that fetch: app.py checks --models-url before the window paints

log = logging.getLogger(__name__)

# An index of a few hundred models or one schema is tens of KB; 2 MB keeps a wrong URL from filling memory.
MAX_DOCUMENT_BYTES = 2_000_000
MAX_REDIRECTS = 5
LIVE_MARK = "+live-"
# Headers that could carry a credential; none is ever sent to the docs hosts, whatever the client holds.
_CREDENTIAL_HEADERS = ("authorization", "proxy-authorization", "cookie", "x-api-key")


class RefreshError(Exception):
    """The index could not be read (network, HTTP status, not JSON, not an index); the message says which."""


async def fetch_catalogue(
    http: httpx.AsyncClient, index_url: str, base: ModelCatalogue, *, today: date | None = None
) -> ModelCatalogue:
    """`base` with each offered model's published schema applied; its version gets "+live-YYYYMMDD" when
    anything changed. A model missing from the index, or whose schema cannot be read, keeps its base entry.
    Raises RefreshError when the index itself cannot be had."""
    import httpx

    _check_url(index_url)
    index = await _get_json(http, index_url)
    entries = index.get("models") if isinstance(index, Mapping) else None
    if not isinstance(entries, list):
        raise RefreshError("the answer is not a model index (no list of models)")
    schema_urls = _schema_urls(entries, index_url, {spec.id for spec in base})
    models = []
    for spec in base:
        url = schema_urls.get(spec.id)
        if url is None:
            models.append(spec)
            continue
        try:
            schema = await _get_json(http, url)
        except RefreshError as exc:
            if isinstance(exc.__cause__, httpx.TransportError):
                raise  # offline half-way: the whole refresh failed, try again another day
            log.warning("schema of %s not read from %s (%s); keeping its entry", spec.id, url, exc)
            models.append(spec)
            continue
        models.append(apply_schema(spec, schema))
    if all(new == old for new, old in zip(models, base.models, strict=True)):
        return replace(base, source="refreshed")
    stamp = (today or datetime.now(UTC).date()).strftime("%Y%m%d")
    version = base.version.split(LIVE_MARK)[0] + LIVE_MARK + stamp
    return ModelCatalogue(version, tuple(models), "refreshed")


def schema_root(index_url: str) -> str:
    """Where relative schema paths start: the index URL's part before `models/` (for the service's own index,
    https://apixo.ai/docs/models/schemas/index.json, that is https://apixo.ai/docs/); else the index's folder."""
    parts = urlsplit(index_url)
    path = parts.path
    cut = path.find("/models/")
    folder = path[: cut + 1] if cut >= 0 else path[: path.rfind("/") + 1]
    return parts._replace(path=folder or "/", query="", fragment="").geturl()


def _schema_urls(entries: list[Any], index_url: str, offered: set[str]) -> dict[str, str]:
    """Model id → absolute schema URL, for the index entries that name an offered model."""
    root = schema_root(index_url)
    found: dict[str, str] = {}
    for entry in entries:
        if not isinstance(entry, Mapping):
            continue
        names = {entry.get("model_id"), entry.get("slug")}
        model_id = next((name for name in names if isinstance(name, str) and name in offered), None)
        path = entry.get("schema_path")
        if model_id is None or model_id in found or not isinstance(path, str) or not path.strip():
            continue
        url = urljoin(root, path.strip())
        if urlsplit(url).scheme not in ("http", "https"):
            log.info("schema of %s at %r skipped: not a web address", model_id, path[:200])
            continue
        found[model_id] = url
    return found


def models_url_problem(url: str) -> str | None:
    """None when `url` can be a model index address (http or https, a host, no credentials); else why not."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        return "it is not a web address"
    if parts.scheme not in ("http", "https") or not host:
        return "it must be an http:// or https:// address"
    if parts.username is not None or parts.password is not None:
        return "it must not hold a user name or password"
    return None


def _check_url(url: str) -> None:
    if problem := models_url_problem(url):
        raise RefreshError(f"{url[:200]!r}: {problem}")


async def _get_json(http: httpx.AsyncClient, url: str) -> Any:
    """GET a public JSON document with no credentials, following a few redirects (each checked again)."""
    import httpx

    for _ in range(MAX_REDIRECTS + 1):
        _check_url(url)
        request = http.build_request("GET", url, headers={"Accept": "application/json"})
        for name in _CREDENTIAL_HEADERS:
            request.headers.pop(name, None)  # a client passed in might carry one: never to a docs host
        try:
            # auth=None: not even a client's own default credentials go to a docs host.
            response = await http.send(request, stream=True, follow_redirects=False, auth=None)
        except httpx.TransportError as exc:
            raise RefreshError(f"{urlsplit(url).hostname} could not be reached ({type(exc).__name__})") from exc
        try:
            if response.is_redirect and "location" in response.headers:
                url = urljoin(url, response.headers["location"])
                continue
            if response.status_code != 200:
                raise RefreshError(f"{url[:200]} answered HTTP {response.status_code}")
            body = await read_capped(response, MAX_DOCUMENT_BYTES)
        except (AnswerTooLarge, AnswerUndecodable) as exc:
            raise RefreshError(f"{url[:200]} sent an answer that cannot be read ({type(exc).__name__})") from None
        except httpx.TransportError as exc:
            raise RefreshError(f"{urlsplit(url).hostname} broke off ({type(exc).__name__})") from exc
        finally:
            await response.aclose()
        try:
            return loads_bounded(body)
        except ValueError:
            raise RefreshError(f"{url[:200]} did not answer with JSON") from None
    raise RefreshError(f"{url[:200]} redirected too many times")

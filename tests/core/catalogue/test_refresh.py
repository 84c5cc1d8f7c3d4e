"""fetch_catalogue: the published index and schemas over the shipped catalogue, with no credentials, ever."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx
import pytest

from sora2_desktop.core.catalogue.catalogue import ModelCatalogue, shipped_catalogue
from sora2_desktop.core.catalogue.refresh import RefreshError, fetch_catalogue, models_url_problem, schema_root
from sora2_desktop.sim import SimServer
from sora2_desktop.sim.contract import SORA_2_LATER, SORA_2_PRO, index_document, schema_document

INDEX = "https://docs.example/docs/models/schemas/index.json"
TODAY = date(2026, 12, 4)


def index(**paths: str) -> dict[str, Any]:
    document = index_document("later")
    for entry in document["models"]:
        entry["schema_path"] = paths.get(entry["model_id"].replace("-", "_"), entry["schema_path"])
    return document


class Docs:
    """A docs host behind httpx.MockTransport: URL → (status, body); every request is kept."""

    def __init__(self, pages: dict[str, tuple[int, Any]]) -> None:
        self.pages = pages
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        status, body = self.pages.get(str(request.url), (404, "<html>not found</html>"))
        if isinstance(body, httpx.Response):
            return body
        content = body if isinstance(body, bytes | str) else json.dumps(body)
        return httpx.Response(status, content=content)


def refresh(
    handler: Callable[[httpx.Request], httpx.Response], url: str = INDEX, base: ModelCatalogue | None = None
) -> ModelCatalogue:
    async def main() -> ModelCatalogue:
        # A client that carries a key, a cookie and basic auth: none of it may reach a docs host.
        async with httpx.AsyncClient(
            transport=httpx.MockTransport(handler),
            headers={"Authorization": "Bearer sk-secret", "X-Api-Key": "sk-secret"},
            cookies={"session": "sk-cookie"},
            auth=("user", "sk-password"),
        ) as http:
            return await fetch_catalogue(http, url, base or shipped_catalogue(), today=TODAY)

    return asyncio.run(main())


def later_pages(**paths: str) -> dict[str, tuple[int, Any]]:
    return {
        INDEX: (200, index(**paths)),
        "https://docs.example/docs/models/schemas/sora-2.json": (200, schema_document(SORA_2_LATER)),
        "https://docs.example/docs/models/schemas/sora-2-pro.json": (200, schema_document(SORA_2_PRO)),
    }


def test_relative_schema_paths_resolve_against_the_part_before_models() -> None:
    docs = Docs(later_pages())
    fresh = refresh(docs)
    assert [str(r.url) for r in docs.requests] == [
        INDEX,
        "https://docs.example/docs/models/schemas/sora-2.json",
        "https://docs.example/docs/models/schemas/sora-2-pro.json",
    ]
    sora = fresh.get("sora-2")
    assert sora is not None and sora.durations == (4, 8, 12) and sora.providers == ("official",)
    assert fresh.version == shipped_catalogue().version + "+live-20261204"
    assert fresh.source == "refreshed"


def test_no_request_carries_a_key_a_cookie_or_a_password() -> None:
    docs = Docs(later_pages())
    refresh(docs)
    assert len(docs.requests) == 3
    for request in docs.requests:
        names = {name.lower() for name in request.headers}
        assert not names & {"authorization", "cookie", "x-api-key", "proxy-authorization"}, request.headers
        assert "sk-" not in repr(request.headers.raw)


def test_an_absolute_schema_path_on_another_host_is_followed() -> None:
    elsewhere = "https://cdn.example/schemas/sora-2.json"
    pages = later_pages(sora_2=elsewhere)
    pages[elsewhere] = pages.pop("https://docs.example/docs/models/schemas/sora-2.json")
    docs = Docs(pages)
    fresh = refresh(docs)
    assert elsewhere in [str(r.url) for r in docs.requests]
    assert fresh.spec_for("sora-2").durations == (4, 8, 12)


def test_a_redirect_is_followed_without_credentials() -> None:
    moved = "https://new.example/docs/models/schemas/index.json"
    pages = later_pages()
    pages[moved] = pages[INDEX]
    pages[INDEX] = (301, httpx.Response(301, headers={"Location": moved}))
    docs = Docs(pages)
    refresh(docs)
    assert [str(r.url) for r in docs.requests][:2] == [INDEX, moved]
    assert all("authorization" not in r.headers for r in docs.requests)


def test_a_schema_that_cannot_be_read_keeps_that_models_entry() -> None:
    pages = later_pages()
    pages["https://docs.example/docs/models/schemas/sora-2.json"] = (500, "oops")
    fresh = refresh(Docs(pages))
    assert fresh.spec_for("sora-2") == shipped_catalogue().spec_for("sora-2")
    assert fresh.version == shipped_catalogue().version  # nothing changed: no live mark


def test_schema_paths_that_are_not_web_addresses_are_skipped() -> None:
    docs = Docs(later_pages(sora_2="file:///etc/passwd", sora_2_pro="javascript:alert(1)"))
    fresh = refresh(docs)
    assert [str(r.url) for r in docs.requests] == [INDEX]
    assert fresh.to_json() == shipped_catalogue().to_json()


@pytest.mark.parametrize(
    "page",
    [(404, "not here"), (200, "<html>a page</html>"), (200, {"models": "none"}), (200, [1, 2]), (200, b"\xff\xfe")],
)
def test_an_index_that_cannot_be_read_raises(page: tuple[int, Any]) -> None:
    with pytest.raises(RefreshError):
        refresh(Docs({INDEX: page}))


def test_offline_raises_refresh_error() -> None:
    def offline(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route to host", request=request)

    with pytest.raises(RefreshError, match="could not be reached"):
        refresh(offline)


def test_an_oversized_index_is_not_read() -> None:
    with pytest.raises(RefreshError):
        refresh(Docs({INDEX: (200, b"[" + b"0," * 1_500_000 + b"0]")}))


@pytest.mark.parametrize(
    ("url", "root"),
    [
        ("https://apixo.ai/docs/models/schemas/index.json", "https://apixo.ai/docs/"),
        ("http://127.0.0.1:8080/docs/models/schemas/index.json?x=1", "http://127.0.0.1:8080/docs/"),
        ("https://mirror.example/catalogue/index.json", "https://mirror.example/catalogue/"),
    ],
)
def test_schema_root(url: str, root: str) -> None:
    assert schema_root(url) == root


@pytest.mark.parametrize("url", ["ftp://x/index.json", "file:///tmp/index.json", "index.json", "https://u:p@h/i"])
def test_only_plain_web_addresses_are_index_addresses(url: str) -> None:
    assert models_url_problem(url) is not None
    with pytest.raises(RefreshError):
        refresh(Docs({}), url=url)


def test_against_the_stand_in_over_loopback() -> None:
    with SimServer(contract="later") as sim:
        url = sim.models_index_url
        assert url is not None

        async def main() -> ModelCatalogue:
            async with httpx.AsyncClient(trust_env=False) as http:
                return await fetch_catalogue(http, url, shipped_catalogue(), today=TODAY)

        fresh = asyncio.run(main())
        docs = [r for r in sim.requests_snapshot() if r.origin == "docs"]
    assert fresh.spec_for("sora-2").durations == (4, 8, 12)
    assert [r.path for r in docs] == [
        "/docs/models/schemas/index.json",
        "/docs/models/schemas/sora-2.json",
        "/docs/models/schemas/sora-2-pro.json",
    ]
    assert all("authorization" not in r.headers for r in docs)

"""Image host addresses: one rule for the Settings dialog and for the host built from the settings file."""

from __future__ import annotations

import pytest

from sora2_desktop.core.images.host import ImageHostError, image_host_from_settings
from sora2_desktop.core.images.host_addresses import (
    public_base_url_problem,
    storage_endpoint,
    storage_endpoint_problem,
)

FULL = {"bucket": "b", "access_key_id": "k", "secret_access_key": "secret-value"}


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("https://s3.us-east-1.amazonaws.com", ("s3.us-east-1.amazonaws.com", True)),
        ("  s3.eu-central-003.backblazeb2.com  ", ("s3.eu-central-003.backblazeb2.com", True)),
        ("acct.r2.cloudflarestorage.com/", ("acct.r2.cloudflarestorage.com", True)),
        ("http://127.0.0.1:9000", ("127.0.0.1:9000", False)),
        ("http://[::1]:9000", ("[::1]:9000", False)),
        ("http://localhost:9000", ("localhost:9000", False)),
        ("http://127.0.0.2:9000", ("127.0.0.2:9000", False)),
    ],
)
def test_allowed_endpoints(text: str, parsed: tuple[str, bool]) -> None:
    assert storage_endpoint_problem(text) is None
    assert storage_endpoint(text) == parsed


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "server address"),
        ("https://", "server address"),
        ("ftp://s3.example.com", "server address"),
        ("https://s3.example.com:99999", "server address"),
        ("https://user:pw@s3.example.com", "user name and password"),
        ("https://acct.r2.cloudflarestorage.com/my-bucket", "without a bucket or path"),
        ("https://s3.example.com/?x=1", "without a bucket or path"),
        ("https://s3.example.com#top", "without a bucket or path"),
        ("http://s3.example.com", "plain http://"),
        ("http://8.8.8.8", "plain http://"),
        # The local network is not enough: anyone on the Wi-Fi could read the upload's signature and the image.
        ("http://192.168.1.20:9000", "plain http://"),
        ("http://10.0.0.5:9000", "plain http://"),
        ("http://minio:9000", "plain http://"),
        ("http://nas.local", "plain http://"),
        ("http://localhost.evil.io", "plain http://"),
    ],
)
def test_refused_endpoints_say_why_in_the_dialog_and_in_the_host(text: str, reason: str) -> None:
    problem = storage_endpoint_problem(text)
    assert problem is not None and reason in problem
    with pytest.raises(ValueError, match=reason):
        storage_endpoint(text)
    if text.strip():  # a blank endpoint means "no image host", not a wrong one
        with pytest.raises(ImageHostError) as caught:
            image_host_from_settings(endpoint=text, **FULL)
        assert caught.value.reason == problem


@pytest.mark.parametrize(
    ("text", "allowed"),
    [
        ("https://images.example.com/", True),
        ("https://cdn.example.com/media", True),
        ("http://localhost:9000/bucket", True),
        ("images.example.com", False),
        ("ftp://images.example.com", False),
        ("https://user:pw@images.example.com", False),
        ("https://images.example.com/?sig=1", False),
        ("https://images.example.com/#x", False),
    ],
)
def test_public_base_urls(text: str, allowed: bool) -> None:
    assert (public_base_url_problem(text) is None) is allowed
    if not allowed:
        with pytest.raises(ImageHostError):
            image_host_from_settings(endpoint="https://s3.example.com", public_base_url=text, **FULL)

"""The S3 image host against a real S3-compatible server (moto) on loopback: upload, fetch, fail readably."""

from __future__ import annotations

import asyncio
import json
import socket
from pathlib import Path

import httpx
import pytest
from minio.error import S3Error

from sora2_desktop.core.images.check import CheckedImage, ImageRejected, check_local_image
from sora2_desktop.core.images.host import (
    NO_IMAGE_HOST_MESSAGE,
    ImageHost,
    ImageHostError,
    S3ImageHost,
    image_host_from_settings,
)
from tests.core.images.test_check import encode_image
from tests.helpers.storage import S3Server


def make_host(s3: S3Server, bucket: str, public_base_url: str | None = None) -> S3ImageHost:
    host = image_host_from_settings(
        endpoint=s3.endpoint_url,
        bucket=bucket,
        access_key_id=s3.access_key,
        secret_access_key=s3.secret_key,
        region=s3.region,
        public_base_url=public_base_url or "",
    )
    assert host is not None
    return host


def local_image(tmp_path: Path, name: str, fmt: str = "PNG") -> CheckedImage:
    path = tmp_path / name
    path.write_bytes(encode_image(fmt, 9, 6))
    return check_local_image(path)


def make_public(s3: S3Server, bucket: str) -> None:
    from minio import Minio

    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }
    client = Minio(
        endpoint=httpx.URL(s3.endpoint_url).netloc.decode(),
        access_key=s3.access_key,
        secret_key=s3.secret_key,
        secure=False,
        region=s3.region,
    )
    client.set_bucket_policy(bucket_name=bucket, policy=json.dumps(policy))


def fetch(url: str) -> httpx.Response:
    return httpx.get(url, trust_env=False)


def test_upload_then_fetch_the_presigned_url(s3_server: S3Server, tmp_path: Path) -> None:
    host = make_host(s3_server, s3_server.create_bucket())
    image = local_image(tmp_path, "frame.png")
    url = asyncio.run(host.upload(image))

    assert "X-Amz-Signature=" in url and "X-Amz-Expires=604800" in url
    response = fetch(url)
    assert response.status_code == 200
    assert response.content == Path(image.source).read_bytes()
    assert response.headers["content-type"] == "image/png"


def test_same_image_twice_gives_the_same_key(s3_server: S3Server, tmp_path: Path) -> None:
    host = make_host(s3_server, s3_server.create_bucket())
    first = asyncio.run(host.upload(local_image(tmp_path, "a.jpg", "JPEG")))
    (tmp_path / "copy").mkdir()
    second = asyncio.run(host.upload(local_image(tmp_path / "copy", "b.jpg", "JPEG")))

    key_path = httpx.URL(first).path
    assert key_path == httpx.URL(second).path
    assert key_path.endswith(".jpg") and "/sora2-desktop/" in key_path
    other = asyncio.run(host.upload(local_image(tmp_path, "c.webp", "WEBP")))
    assert httpx.URL(other).path.endswith(".webp")


def test_public_base_url_form(s3_server: S3Server, tmp_path: Path) -> None:
    bucket = s3_server.create_bucket()
    make_public(s3_server, bucket)  # as an R2 public bucket or a CDN in front of one would be
    host = make_host(s3_server, bucket, public_base_url=f"{s3_server.endpoint_url}/{bucket}")
    image = local_image(tmp_path, "still.png")
    url = asyncio.run(host.upload(image))

    assert url.startswith(f"{s3_server.endpoint_url}/{bucket}/sora2-desktop/")
    assert "?" not in url
    assert fetch(url).content == Path(image.source).read_bytes()


def test_missing_bucket_is_a_readable_error_without_the_secret(s3_server: S3Server, tmp_path: Path) -> None:
    missing = s3_server.new_bucket_name()
    host = make_host(s3_server, missing)
    with pytest.raises(ImageHostError) as caught:
        asyncio.run(host.upload(local_image(tmp_path, "x.png")))
    assert f"The bucket “{missing}” does not exist" in caught.value.reason
    assert "Settings → Image host" in caught.value.reason
    assert s3_server.secret_key not in str(caught.value)
    assert caught.value.__cause__ is None


def test_unreachable_endpoint(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    host = S3ImageHost(f"http://127.0.0.1:{port}", "bucket", "us-east-1", "id", "very-secret", None)
    with pytest.raises(ImageHostError) as caught:
        asyncio.run(host.upload(local_image(tmp_path, "x.png")))
    assert caught.value.reason == f"Could not reach the image host at 127.0.0.1:{port}: connection refused."
    assert caught.value.retryable


def test_credential_errors_name_the_fix_not_the_secret() -> None:
    host = S3ImageHost("https://s3.example.com", "media", "eu-west-1", "AKIDEXAMPLE", "wJalr-very-secret", None)
    error = S3Error(None, "SignatureDoesNotMatch", "bad sig for wJalr-very-secret", "/media", None, None)  # type: ignore[arg-type]
    reason = host._host_error(error).reason
    assert reason == (
        "s3.example.com refused the access key ID or secret (SignatureDoesNotMatch). Check it in Settings → Image host."
    )
    odd = S3Error(None, "SlowDown", "slow down, wJalr-very-secret", "/media", None, None)  # type: ignore[arg-type]
    assert "wJalr-very-secret" not in host._host_error(odd).reason


def test_file_changed_after_the_check_is_refused(s3_server: S3Server, tmp_path: Path) -> None:
    host = make_host(s3_server, s3_server.create_bucket())
    image = local_image(tmp_path, "swap.png")
    Path(image.source).write_bytes(b"GIF89a" + bytes(30))
    with pytest.raises(ImageRejected, match="GIF"):
        asyncio.run(host.upload(image))


def test_url_images_are_not_uploaded(s3_server: S3Server) -> None:
    host = make_host(s3_server, s3_server.new_bucket_name())
    remote = CheckedImage("https://example.com/cat.png", "image/png", 10, False)
    assert asyncio.run(host.upload(remote)) == "https://example.com/cat.png"


def test_factory_returns_none_until_configured_and_checks_the_endpoint() -> None:
    blank = {"endpoint": "", "bucket": "", "access_key_id": "", "secret_access_key": ""}
    assert image_host_from_settings(**blank) is None
    assert image_host_from_settings(**(blank | {"endpoint": "https://s3.amazonaws.com", "bucket": "b"})) is None
    assert "Settings → Image host" in NO_IMAGE_HOST_MESSAGE and "web address" in NO_IMAGE_HOST_MESSAGE

    full = {
        "endpoint": "acct.r2.cloudflarestorage.com",
        "bucket": "b",
        "access_key_id": "k",
        "secret_access_key": "r2-secret-value",
    }
    r2 = image_host_from_settings(**full)
    assert isinstance(r2, ImageHost)
    assert r2 is not None and r2.region == "auto"
    assert r2.describe() == "S3 bucket “b” at acct.r2.cloudflarestorage.com"
    assert "r2-secret-value" not in repr(r2) + r2.describe()
    with pytest.raises(ImageHostError, match="without a bucket or path"):
        image_host_from_settings(**(full | {"endpoint": "https://acct.r2.cloudflarestorage.com/b"}))

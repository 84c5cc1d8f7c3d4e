"""Image hosts: put a local reference image at a public URL the service can fetch (S3-compatible storage)."""

from __future__ import annotations

import asyncio
import hashlib
import io
import re
import threading
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable
from urllib.parse import quote

from sora2_desktop.core.images.check import (
    MAX_IMAGE_BYTES,
    CheckedImage,
    ImageRejected,
    check_local_image,
    sniff_image_type,
)
from sora2_desktop.core.images.host_addresses import public_base_url_problem, storage_endpoint

if TYPE_CHECKING:
    from minio import Minio

    from sora2_desktop.core.config.settings import AppSettings

DEFAULT_PREFIX = "sora2-desktop/"
# The service fetches an image within minutes of the submit; 7 days is also the longest S3 presigning allows.
PRESIGNED_URL_LIFETIME = timedelta(days=7)
NO_IMAGE_HOST_MESSAGE = (
    "This image is a file on your computer, and the service can only fetch images from the web. "
    "Set up an image host (S3, R2, MinIO, B2…) in Settings → Image host, "
    "or use the image's web address instead."
)

_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}
_CREDENTIAL_CODES = {
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "InvalidToken",
    "ExpiredToken",
    "InvalidSecurity",
}
_SETTINGS_HINT = "Check it in Settings → Image host."


class ImageHostError(Exception):
    """An upload failed; `reason` is for the person (never holds the secret); `retryable`: later may work."""

    def __init__(self, reason: str, *, retryable: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


@runtime_checkable
class ImageHost(Protocol):
    """Somewhere that turns a checked local image into a URL the service can fetch."""

    async def upload(self, image: CheckedImage) -> str:
        """The public URL. Raises ImageHostError (host fault) or ImageRejected (file changed since check)."""
        ...

    def describe(self) -> str:
        """Where images go, in words for the Settings page and for logs (no secrets)."""
        ...


class S3ImageHost:
    """AWS S3, Cloudflare R2, MinIO, Backblaze B2…: keys are content hashes, so re-uploads are idempotent."""

    def __init__(
        self,
        endpoint: str,
        bucket: str,
        region: str | None,
        access_key_id: str,
        secret_access_key: str,
        public_base_url: str | None,
        prefix: str = DEFAULT_PREFIX,
    ) -> None:
        self._host, self._secure = _parse_endpoint(endpoint)
        self.bucket = bucket.strip()
        self.region = (region or "").strip() or None
        self._access_key_id = access_key_id.strip()
        self._secret_access_key = secret_access_key.strip()
        self.public_base_url = _parse_public_base_url(public_base_url)
        prefix = prefix.strip().lstrip("/")
        self.prefix = prefix if not prefix or prefix.endswith("/") else prefix + "/"
        self._minio: Minio | None = None
        self._minio_lock = threading.Lock()

    def describe(self) -> str:
        where = f"S3 bucket “{self.bucket}” at {self._host}"
        return f"{where}, public at {self.public_base_url}" if self.public_base_url else where

    def object_key(self, data: bytes, mime: str) -> str:
        """prefix + sha256 of the content + extension: the same image always gets the same key."""
        return self.prefix + hashlib.sha256(data).hexdigest() + _EXTENSIONS[mime]

    async def upload(self, image: CheckedImage) -> str:
        if not image.is_local:
            return image.source  # already at a public URL: nothing to upload
        return await asyncio.to_thread(self._upload_blocking, Path(image.source))

    def _upload_blocking(self, path: Path) -> str:
        data, mime = _read_for_upload(path)
        key = self.object_key(data, mime)
        try:
            client = self._client()
            if not self._already_stored(client, key, len(data)):
                client.put_object(
                    bucket_name=self.bucket,
                    object_name=key,
                    data=io.BytesIO(data),
                    length=len(data),
                    content_type=mime,
                )
            if self.public_base_url:
                return self.public_base_url + quote(key, safe="/~")
            return client.presigned_get_object(bucket_name=self.bucket, object_name=key, expires=PRESIGNED_URL_LIFETIME)
        except Exception as exc:
            raise self._host_error(exc) from None  # `from None`: the minio error text may echo signed headers

    def _client(self) -> Minio:
        # Imported here so that start-up does not pay for minio and urllib3 until someone uploads.
        with self._minio_lock:
            if self._minio is None:
                import certifi
                import urllib3
                from minio import Minio

                pool = urllib3.PoolManager(
                    timeout=urllib3.Timeout(connect=10.0, read=120.0),
                    cert_reqs="CERT_REQUIRED",
                    ca_certs=certifi.where(),
                    # minio's default retries 5 times with back-off: too slow an answer for a wrong endpoint.
                    retries=urllib3.Retry(total=2, backoff_factor=0.2, status_forcelist=[500, 502, 503, 504]),
                )
                self._minio = Minio(
                    endpoint=self._host,
                    access_key=self._access_key_id,
                    secret_key=self._secret_access_key,
                    secure=self._secure,
                    region=self.region,
                    http_client=pool,
                )
            return self._minio

    def _already_stored(self, client: Minio, key: str, size: int) -> bool:
        from minio.error import S3Error

        try:
            return client.stat_object(bucket_name=self.bucket, object_name=key).size == size
        except S3Error:
            return False  # missing, or a write-only key that may not look: the upload gives the real answer

    def _host_error(self, exc: Exception) -> ImageHostError:
        import urllib3.exceptions
        from minio.error import InvalidResponseError, S3Error, ServerError

        bucket, host = f"“{self.bucket}”", self._host
        if isinstance(exc, S3Error):
            code = exc.code or ""
            if code == "NoSuchBucket":
                return ImageHostError(
                    f"The bucket {bucket} does not exist at {host}. "
                    "Create it, or check the name in Settings → Image host."
                )
            if code in _CREDENTIAL_CODES:
                return ImageHostError(f"{host} refused the access key ID or secret ({code}). {_SETTINGS_HINT}")
            if code == "AuthorizationHeaderMalformed":
                return ImageHostError(f"{host} says the region is wrong for bucket {bucket}. {_SETTINGS_HINT}")
            if code == "AccessDenied":
                return ImageHostError(
                    f"The access key may not write to bucket {bucket} (access denied); "
                    "give it write permission or use another key."
                )
            detail = self._scrub(exc.message or "no details")
            return ImageHostError(f"{host} refused the upload: {code or 'error'}: {detail}")
        if isinstance(exc, ServerError):
            return ImageHostError(
                f"{host} had a server error (HTTP {exc.status_code}); try again in a moment.", retryable=True
            )
        if isinstance(exc, InvalidResponseError):
            return ImageHostError(
                f"{host} did not answer like S3-compatible storage. Check the endpoint in Settings → Image host."
            )
        if isinstance(exc, urllib3.exceptions.HTTPError | OSError):
            reason = self._scrub(_network_reason(exc))
            return ImageHostError(f"Could not reach the image host at {host}: {reason}.", retryable=True)
        if isinstance(exc, ValueError):  # minio validates names before sending anything
            return ImageHostError(f"The image host settings are not valid: {self._scrub(str(exc))}. {_SETTINGS_HINT}")
        return ImageHostError(f"Uploading to {host} failed ({type(exc).__name__}).")

    def _scrub(self, text: str) -> str:
        return text.replace(self._secret_access_key, "<hidden>") if self._secret_access_key else text


def image_host_for(settings: AppSettings, secret_access_key: str, stand_in: object = None) -> ImageHost | None:
    """The host the person configured in Settings (the secret key comes from the keychain), or None. While demo
    mode's stand-in runs (`stand_in`: its SimServer), the stand-in hosts the images itself (demo_host.py)."""
    from sora2_desktop.core.images.demo_host import stand_in_host  # it needs ImageHostError from here

    demo = stand_in_host(stand_in)
    if demo is not None:
        return demo
    return image_host_from_settings(
        endpoint=settings.s3_endpoint,
        bucket=settings.s3_bucket,
        region=settings.s3_region,
        access_key_id=settings.s3_access_key_id,
        secret_access_key=secret_access_key,
        public_base_url=settings.s3_public_base_url or None,
        prefix=settings.s3_prefix or DEFAULT_PREFIX,
    )


def image_host_from_settings(
    *,
    endpoint: str,
    bucket: str,
    access_key_id: str,
    secret_access_key: str,
    region: str | None = None,
    public_base_url: str | None = None,
    prefix: str = DEFAULT_PREFIX,
) -> S3ImageHost | None:
    """The configured host, or None when any required value is blank (then show NO_IMAGE_HOST_MESSAGE).
    Raises ImageHostError for an endpoint or public URL that cannot be right."""
    if not all(value.strip() for value in (endpoint, bucket, access_key_id, secret_access_key)):
        return None
    host, _ = _parse_endpoint(endpoint)
    region = (region or "").strip()
    if not region and host.endswith(".r2.cloudflarestorage.com"):
        region = "auto"  # R2's only region; spares minio a bucket-location round trip R2 does not need
    return S3ImageHost(
        endpoint=endpoint,
        bucket=bucket,
        region=region,
        access_key_id=access_key_id,
        secret_access_key=secret_access_key,
        public_base_url=public_base_url or None,
        prefix=prefix,
    )


def _parse_endpoint(endpoint: str) -> tuple[str, bool]:
    """(host:port, secure) of the endpoint; ImageHostError (the Settings dialog's reason) when it cannot be right."""
    try:
        return storage_endpoint(endpoint)
    except ValueError as problem:
        raise ImageHostError(str(problem)) from None


def _parse_public_base_url(url: str | None) -> str | None:
    text = (url or "").strip()
    if not text:
        return None
    problem = public_base_url_problem(text)
    if problem is not None:
        raise ImageHostError(problem)
    return text if text.endswith("/") else text + "/"


def _read_for_upload(path: Path) -> tuple[bytes, str]:
    """The exact bytes to upload, re-checked: the file may have changed since the picker checked it."""
    check_local_image(path)
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_IMAGE_BYTES + 1)
    except OSError as exc:
        reason = (exc.strerror or type(exc).__name__).lower()
        raise ImageRejected(f"“{path.name}” cannot be read: {reason}.") from None
    mime = sniff_image_type(data[:16])
    if mime is None or len(data) > MAX_IMAGE_BYTES:
        check_local_image(path)  # it changed under us again: let the checker word the reason
        raise ImageRejected(f"“{path.name}” changed while it was being uploaded; choose it again.")
    return data, mime


def _network_reason(exc: BaseException) -> str:
    """'connection refused' out of urllib3's nested MaxRetryError(NewConnectionError(...)) text."""
    text = str(getattr(exc, "reason", None) or exc)
    match = re.search(r"\[Errno -?\d+\] ([^'\")]+)", text)
    if match:
        return match.group(1).strip().lower()
    if "CERTIFICATE_VERIFY_FAILED" in text:
        return "its certificate is not trusted"
    if "timed out" in text.lower():
        return "it did not answer in time"
    return type(getattr(exc, "reason", None) or exc).__name__

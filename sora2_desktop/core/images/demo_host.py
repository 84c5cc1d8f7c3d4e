"""The demo's image host: in demo mode there is no S3, so local images are posted to the stand-in on this computer,
which serves them back at a loopback address its own image checks fetch (sim/uploads.py)."""

from __future__ import annotations

import asyncio
import http.client
import ipaddress
import json
from pathlib import Path
from urllib.parse import urlsplit

from sora2_desktop.core.images.check import MAX_IMAGE_BYTES, CheckedImage, check_local_image, sniff_image_type
from sora2_desktop.core.images.host import ImageHostError

UPLOAD_TIMEOUT_S = 10.0


class StandInImageHost:
    """Posts an image's bytes to `upload_url` (a loopback address; nothing leaves the computer) and returns the
    address the stand-in gives it."""

    def __init__(self, upload_url: str) -> None:
        parts = urlsplit(upload_url)
        if parts.scheme != "http" or not _is_loopback(parts.hostname):
            raise ValueError(f"the demo image host must be on this computer, not {upload_url!r}")
        self.upload_url = upload_url
        self._host, self._port, self._path = parts.hostname or "", parts.port, parts.path or "/"

    def describe(self) -> str:
        return "the demo stand-in on this computer"

    async def upload(self, image: CheckedImage) -> str:
        if not image.is_local:
            return image.source
        return await asyncio.to_thread(self._upload_blocking, Path(image.source))

    def _upload_blocking(self, path: Path) -> str:
        check_local_image(path)  # it may have changed since it was picked: ImageRejected says how
        data = path.read_bytes()[: MAX_IMAGE_BYTES + 1]
        mime = sniff_image_type(data[:16])
        if mime is None or len(data) > MAX_IMAGE_BYTES:
            raise ImageHostError(f"“{path.name}” changed while it was being uploaded; choose it again.")
        # http.client, not the app's client: no proxy from the environment, one short request to loopback.
        connection = http.client.HTTPConnection(self._host, self._port, timeout=UPLOAD_TIMEOUT_S)
        try:
            connection.request("POST", self._path, body=data, headers={"Content-Type": mime})
            response = connection.getresponse()
            answer = response.read()
        except (OSError, http.client.HTTPException) as exc:
            raise ImageHostError(f"The demo stand-in did not take the image ({type(exc).__name__}).") from None
        finally:
            connection.close()
        try:
            url = json.loads(answer)["url"] if response.status in (200, 201) else None
        except (ValueError, KeyError, TypeError):
            url = None
        if not isinstance(url, str) or not url:
            raise ImageHostError(f"The demo stand-in refused the image (HTTP {response.status}).")
        return url


def stand_in_host(sim: object | None) -> StandInImageHost | None:
    """The demo's host while the in-process stand-in runs (Session.activate(demo=True)); else None, and the
    image host from Settings is used."""
    url = getattr(sim, "uploads_url", None)
    return StandInImageHost(url) if isinstance(url, str) and url else None


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False

"""ImageResolver: makes reference images (ImageSource) public URLs the service can fetch (check URLs, upload files)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import httpx

from sora2_desktop.core.images.check import ImageRejected, check_image_url, check_local_image
from sora2_desktop.core.images.host import NO_IMAGE_HOST_MESSAGE, ImageHost, ImageHostError
from sora2_desktop.core.images.source import ImageProblem, ImageSource
from sora2_desktop.core.images.url_guard import ImageUrlGuard, Resolver, system_resolver

_REUSE_UPLOAD_S = 24 * 3600


class ImageResolver:
    """`allow_local` says, at each check, whether loopback and private image addresses are fine: only while the
    API itself is on this computer (the demo stand-in), see url_guard.py. `resolver` is DNS, injectable for tests."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        host_factory: Callable[[], ImageHost | None],
        *,
        allow_local: Callable[[], bool] = lambda: False,
        resolver: Resolver = system_resolver,
    ) -> None:
        self._http = http
        self._host_factory = host_factory
        self._guard = ImageUrlGuard(allow_local=allow_local, resolver=resolver)
        # (path, mtime, size) -> (URL, when): one upload per file, reused for a day (signed links last seven).
        self._uploaded: dict[tuple[str, float, int], tuple[str, float]] = {}

    async def check_url(self, url: str) -> str | None:
        """None when the URL answers with an allowed image; else the reason, for the picker's row."""
        try:
            await check_image_url(url, self._http, guard=self._guard)
        except ImageRejected as err:
            return err.reason
        return None

    async def resolve(self, sources: Sequence[ImageSource]) -> tuple[str, ...]:
        """Public URLs in the same order; raises ImageProblem for the first image that cannot be used."""
        host = None
        if any(s.is_local for s in sources):
            try:
                host = self._host_factory()
            except ImageHostError as err:  # settings that do not make a usable endpoint
                first_local = next(s for s in sources if s.is_local)
                raise ImageProblem(first_local.source, err.reason) from None
        return tuple(await asyncio.gather(*(self._resolve_one(s, host) for s in sources)))

    async def _resolve_one(self, image: ImageSource, host: ImageHost | None) -> str:
        if not image.is_local:
            reason = await self.check_url(image.source)
            if reason is not None:
                raise ImageProblem(image.source, reason)
            return image.source
        path = Path(image.source)
        try:
            checked = await asyncio.to_thread(check_local_image, path)
            stat = path.stat()
        except ImageRejected as err:
            raise ImageProblem(image.source, err.reason) from None
        except OSError as err:
            raise ImageProblem(image.source, f"{path.name} cannot be read ({err.strerror}).") from None
        if host is None:
            raise ImageProblem(image.source, NO_IMAGE_HOST_MESSAGE)
        cache_key = (str(path.resolve()), stat.st_mtime, stat.st_size)
        cached = self._uploaded.get(cache_key)
        if cached is not None and time.monotonic() - cached[1] < _REUSE_UPLOAD_S:
            return cached[0]
        try:
            url = await host.upload(checked)
        except ImageHostError as err:
            raise ImageProblem(image.source, err.reason) from None
        except ImageRejected as err:  # the file changed after it was picked
            raise ImageProblem(image.source, err.reason) from None
        self._uploaded[cache_key] = (url, time.monotonic())
        return url

"""Reference-image checks: refuse at once, with a reason a person reads, anything the service would refuse."""

from __future__ import annotations

import io
import math
import re
import struct
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

import httpx

from sora2_desktop.api.headers import int_header
from sora2_desktop.core.images.url_guard import ImageUrlGuard

# Enough for the magic bytes and PNG/WebP dimensions; JPEG dimensions are found by seeking, not by reading.
_LOCAL_HEAD_BYTES = 64
# What a ranged GET asks for: magic bytes plus, for most JPEGs, the frame header behind the EXIF block.
URL_HEAD_BYTES = 64 * 1024
# The picker waits on this; an address that takes longer will not be fetched by the service either.
URL_CHECK_TIMEOUT = httpx.Timeout(15.0)
# httpx's default is 20; an image behind more than a few hops is a misconfigured or hostile server.
MAX_REDIRECTS = 5

# Every model in the catalogue takes the same image files (resources/models/catalogue.json, "images"); the
# picker checks a file when it is added, before the person may have chosen the model it will go to.
MAX_IMAGE_BYTES = 10 * 1024 * 1024
ALLOWED_IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")
_LIMIT_TEXT = f"{MAX_IMAGE_BYTES // (1024 * 1024)} MB"
_WRONG_TYPE = "not a JPG, PNG or WebP image"
# HEIF-family brands (ISO BMFF "ftyp" box) that people meet as photos from phones.
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
_JPEG_SOF_MARKERS = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


class ImageRejected(Exception):
    """The image cannot be used; `reason` is a sentence for the person, shown at the picker."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CheckedImage:
    """An image that passed every check: `source` is the local path or the URL as the person gave it."""

    source: str
    mime: str
    size: int
    is_local: bool
    width: int | None = None
    height: int | None = None


def sniff_image_type(head: bytes) -> str | None:
    """The allowed MIME type the magic bytes show, or None. File names and headers are not consulted."""
    mime = None
    if head.startswith(b"\xff\xd8\xff"):
        mime = "image/jpeg"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        mime = "image/png"
    elif len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        mime = "image/webp"
    return mime if mime in ALLOWED_IMAGE_TYPES else None


def describe_other_format(head: bytes) -> str | None:
    """A name for common formats the service refuses (so the reason can say "it is a GIF"), or None."""
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "a GIF image"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _HEIF_BRANDS:
            return "a HEIC/HEIF photo"
        if brand in (b"avif", b"avis"):
            return "an AVIF image"
        return "a video or other media file"
    if head.startswith(b"%PDF"):
        return "a PDF document"
    if head.startswith(b"BM"):
        return "a BMP image"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "a TIFF image"
    if head.startswith((b"\xff\x0a", b"\x00\x00\x00\x0cJXL ")):
        return "a JPEG XL image"
    if head.startswith(b"8BPS"):
        return "a Photoshop document"
    if head[:4] == b"\x00\x00\x01\x00":
        return "an icon file"
    if head.startswith(b"PK\x03\x04"):
        return "a ZIP archive"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in text):
        return "an SVG drawing"
    if text.startswith((b"<!doctype html", b"<html")):
        return "a web page"
    return None


def check_local_image(path: Path) -> CheckedImage:
    """Check a file on disk by its content; raises ImageRejected saying why the service would refuse it."""
    name = f"“{path.name or path}”"
    try:
        stat = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise ImageRejected(f"{name} is a link to a file that no longer exists.") from None
        raise ImageRejected(f"{name} was not found; it may have been moved or deleted.") from None
    except OSError as exc:
        raise ImageRejected(f"{name} cannot be read: {_os_reason(exc)}.") from None
    if path.is_dir():
        raise ImageRejected(f"{name} is a folder, not an image file.")
    if stat.st_size == 0:
        raise ImageRejected(f"{name} is empty (0 bytes).")
    if stat.st_size > MAX_IMAGE_BYTES:
        raise ImageRejected(f"{name} is {format_megabytes(stat.st_size)}; the limit is {_LIMIT_TEXT}.")
    try:
        with path.open("rb") as stream:
            head = stream.read(_LOCAL_HEAD_BYTES)
            mime = sniff_image_type(head)
            if mime is None:
                raise ImageRejected(f"{name} is {_wrong_type_text(head)}.")
            stream.seek(0)
            dimensions = image_dimensions(stream, mime)
    except OSError as exc:
        raise ImageRejected(f"{name} cannot be read: {_os_reason(exc)}.") from None
    width, height = dimensions or (None, None)
    return CheckedImage(str(path), mime, stat.st_size, True, width, height)


async def check_image_url(url: str, http: httpx.AsyncClient, *, guard: ImageUrlGuard) -> CheckedImage:
    """Check that an address answers with an allowed image within the size limit; else ImageRejected.

    Redirects are followed here, one hop at a time, so that `guard` judges every address before it is asked
    (httpx's own following would connect to a redirect's target unchecked)."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImageRejected("The image address must be a full web address starting with http:// or https://.")
    size_from_head: int | None = None
    try:
        head_response = await _send_checked(http, guard, "HEAD", url)
        await head_response.aclose()
        if head_response.status_code == 200:
            size_from_head = int_header(head_response.headers.get("content-length"))
    except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
        raise ImageRejected(f"The address could not be reached: {_transport_reason(exc)}.") from None
    except httpx.InvalidURL:
        raise ImageRejected("The image address is not a valid web address.") from None
    except httpx.HTTPError:
        pass  # Some servers refuse or drop HEAD (presigned S3 URLs do); the GET below decides.
    if size_from_head is not None and size_from_head > MAX_IMAGE_BYTES:
        raise ImageRejected(
            f"The image at this address is {format_megabytes(size_from_head)}; the limit is {_LIMIT_TEXT}."
        )
    try:
        response = await _send_checked(http, guard, "GET", url, {"Range": f"bytes=0-{URL_HEAD_BYTES - 1}"})
        try:
            size, head, counted = await _read_answer(response, size_from_head)
        finally:
            await response.aclose()
    except httpx.HTTPError as exc:
        raise ImageRejected(f"The address could not be reached: {_transport_reason(exc)}.") from None
    mime = sniff_image_type(head)
    if mime is None:
        other = describe_other_format(head)
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if other is not None:
            raise ImageRejected(f"The address gives {other}; use a JPG, PNG or WebP image.")
        if content_type and not content_type.startswith("image/"):
            raise ImageRejected(f"The address is not an image ({content_type}).")
        raise ImageRejected(f"The address gives {_WRONG_TYPE}.")
    if size is None:
        size = counted  # the server gave no length: the body was counted (and stopped past the limit)
        if size > MAX_IMAGE_BYTES:
            raise ImageRejected(f"The image at this address is larger than the {_LIMIT_TEXT} limit.")
    width, height = image_dimensions(io.BytesIO(head), mime) or (None, None)
    return CheckedImage(url, mime, size, False, width, height)


async def _send_checked(
    http: httpx.AsyncClient, guard: ImageUrlGuard, method: str, url: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    """The answer (body not yet read) after following redirects by hand, each target judged by `guard` first."""
    for _ in range(MAX_REDIRECTS + 1):
        problem = await guard.problem(url)
        if problem is not None:
            raise ImageRejected(problem)
        request = http.build_request(method, url, headers=headers, timeout=URL_CHECK_TIMEOUT)
        response = await http.send(request, stream=True, follow_redirects=False, auth=_NO_AUTH)
        location = response.headers.get("location") if response.is_redirect else None
        if location is None:
            return response
        await response.aclose()
        url = str(response.url.join(location))
    raise httpx.TooManyRedirects("too many redirects", request=request)


async def _read_answer(response: httpx.Response, size_from_head: int | None) -> tuple[int | None, bytes, int]:
    """(size if known, the first bytes, bytes counted) of a GET's answer; ImageRejected for an error or too big."""
    if response.status_code not in (200, 206):
        phrase = response.reason_phrase or httpx.codes.get_reason_phrase(response.status_code)
        raise ImageRejected(f"The address answered {response.status_code} {phrase}".rstrip() + ".")
    size = _size_from_response(response) or size_from_head
    if size is not None and size > MAX_IMAGE_BYTES:
        raise ImageRejected(f"The image at this address is {format_megabytes(size)}; the limit is {_LIMIT_TEXT}.")
    head, counted = await _read_head(response, count_all=size is None)
    return size, head, counted


def image_dimensions(stream: BinaryIO, mime: str) -> tuple[int, int] | None:
    """Width and height from the image header when the format makes it cheap; None when not found."""
    head = stream.read(30)
    if mime == "image/png" and len(head) >= 24 and head[12:16] == b"IHDR":
        width, height = struct.unpack(">II", head[16:24])
        return width, height
    if mime == "image/webp" and len(head) >= 30:
        return _webp_dimensions(head)
    if mime == "image/jpeg":
        stream.seek(2)
        return _jpeg_dimensions(stream)
    return None


def format_megabytes(size: int) -> str:
    """Size in MB, rounded up so that anything over the limit never reads as exactly "10.0 MB"."""
    return f"{math.ceil(size / (1024 * 1024) * 10) / 10:.1f} MB"


def _webp_dimensions(head: bytes) -> tuple[int, int] | None:
    chunk = head[12:16]
    if chunk == b"VP8 " and head[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", head[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and head[20] == 0x2F:
        bits = int.from_bytes(head[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":
        return int.from_bytes(head[24:27], "little") + 1, int.from_bytes(head[27:30], "little") + 1
    return None


def _jpeg_dimensions(stream: BinaryIO) -> tuple[int, int] | None:
    # Walk the segment headers, seeking over each body: EXIF blocks can be tens of KB before the frame header.
    for _ in range(1000):
        byte = stream.read(1)
        while byte == b"\xff":  # fill bytes and the marker prefix
            byte = stream.read(1)
        if not byte:
            return None
        marker = byte[0]
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:
            continue  # standalone markers carry no length
        if marker in (0xD9, 0xDA):
            return None  # end of image or start of scan: no frame header before the pixels
        length_bytes = stream.read(2)
        if len(length_bytes) < 2:
            return None
        length = struct.unpack(">H", length_bytes)[0]
        if marker in _JPEG_SOF_MARKERS:
            frame = stream.read(5)
            if len(frame) < 5:
                return None
            height, width = struct.unpack(">HH", frame[1:5])
            return (width, height) if width and height else None
        stream.seek(length - 2, io.SEEK_CUR)
    return None


def _wrong_type_text(head: bytes) -> str:
    other = describe_other_format(head)
    return f"{other}; use a JPG, PNG or WebP image" if other else _WRONG_TYPE


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


class _NoAuthorization(httpx.Auth):
    """Strips any Authorization header (client default or URL user-info); redirects copy what is left."""

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers.pop("Authorization", None)
        yield request


# The app's shared client may carry the API key by default; an image's host must never see it.
_NO_AUTH = _NoAuthorization()


def _size_from_response(response: httpx.Response) -> int | None:
    if response.status_code == 206:
        match = re.fullmatch(r"bytes\s+\d+-\d+/(\d+)", response.headers.get("content-range", "").strip())
        return int(match.group(1)) if match else None
    if "content-encoding" in response.headers:
        return None  # a compressed length says nothing about the image's size
    return int_header(response.headers.get("content-length"))


async def _read_head(response: httpx.Response, *, count_all: bool) -> tuple[bytes, int]:
    """The first URL_HEAD_BYTES; with count_all, keep counting (not keeping) to the end or past the limit."""
    head = bytearray()
    counted = 0
    async for chunk in response.aiter_bytes():
        if len(head) < URL_HEAD_BYTES:
            head += chunk[: URL_HEAD_BYTES - len(head)]
        counted += len(chunk)
        if counted >= URL_HEAD_BYTES and (not count_all or counted > MAX_IMAGE_BYTES):
            break
    return bytes(head), counted


def _transport_reason(exc: Exception) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "it did not answer in time"
    if isinstance(exc, httpx.TooManyRedirects):
        return "it redirects too many times"
    text = re.sub(r"^\[Errno -?\d+\]\s*", "", str(exc).strip())
    return text.lower().rstrip(".") if text else type(exc).__name__

"""Reference-image checks of the stand-in: fetch loopback URLs for real, never hosts off this machine."""

from __future__ import annotations

import http.client
import ipaddress
import ssl
from urllib.parse import urlsplit

MAX_IMAGE_BYTES = 10 * 1024 * 1024
IMAGE_TYPES = ("image/jpeg", "image/jpg", "image/png", "image/webp")
FETCH_TIMEOUT_S = 3.0


def is_loopback_host(host: str | None) -> bool:
    if not host:
        return False
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_loopback_url(url: str) -> bool:
    try:
        return is_loopback_host(urlsplit(url).hostname)
    except ValueError:
        return False


def check_image_url(url: str) -> str | None:
    """None when the service could use the image; else the failMsg, naming the URL."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
        port = parts.port
    except ValueError:
        return f"{_cannot(url)}: it is not a valid URL"
    if parts.scheme not in ("http", "https") or not host:
        return f"{_cannot(url)}: only http(s) URLs are supported"
    if host.lower().rstrip(".").endswith(".invalid"):
        return f"{_cannot(url)}: the host {host} does not resolve"
    if not is_loopback_host(host):
        # Public hosts are assumed reachable: the stand-in never sends traffic off this machine.
        return None
    return _fetch_problem(url, parts.scheme, host, port, parts.path or "/", parts.query)


def _fetch_problem(url: str, scheme: str, host: str, port: int | None, path: str, query: str) -> str | None:
    conn: http.client.HTTPConnection
    if scheme == "https":
        conn = http.client.HTTPSConnection(host, port, timeout=FETCH_TIMEOUT_S, context=ssl.create_default_context())
    else:
        conn = http.client.HTTPConnection(host, port, timeout=FETCH_TIMEOUT_S)
    try:
        # http.client, not urllib: no proxy from the environment and no redirects that could lead off-machine.
        conn.request("GET", path + (f"?{query}" if query else ""), headers={"User-Agent": "apixo-sim/1"})
        resp = conn.getresponse()
        if resp.status != 200:
            return f"{_cannot(url)}: HTTP {resp.status}"
        ctype = (resp.getheader("Content-Type") or "").split(";")[0].strip().lower()
        if ctype not in IMAGE_TYPES:
            return f"{_cannot(url)}: not a JPG, PNG or WebP image ({ctype or 'no type'})"
        data = resp.read(MAX_IMAGE_BYTES + 1)
        if len(data) > MAX_IMAGE_BYTES:
            return f"{_cannot(url)}: the image is larger than 10 MB"
        if not data:
            return f"{_cannot(url)}: the image is empty"
    except (OSError, http.client.HTTPException) as exc:
        return f"{_cannot(url)}: {type(exc).__name__}"
    finally:
        conn.close()
    return None


def _cannot(url: str) -> str:
    return f"The service could not fetch the image URL {url}"

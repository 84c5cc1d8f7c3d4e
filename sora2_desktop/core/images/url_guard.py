"""Image URL guard: which addresses a person's image URL may lead the app (and the service) to, with the reason.

The app fetches an image URL itself to check it (images/check.py), then sends it to the service, which fetches it
too. Neither may be pointed at this computer's or its network's services: a cloud server's metadata address
(169.254.169.254) hands out credentials, a router's page is not an image. So before each request — the first and
every redirect — the host's addresses are resolved and each must be one the public internet can reach.

Loopback and private addresses are allowed only while the API itself is on this computer (demo mode and tests:
the local stand-in fetches loopback URLs, and nothing leaves the machine).

Known limit: the address is checked just before httpx connects and httpx resolves the name again; a name server
that answers differently within those milliseconds (DNS rebinding) is not caught. The service fetches the URL
again on its own side in any case."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Awaitable, Callable, Sequence
from urllib.parse import urlsplit

from PySide6.QtCore import QCoreApplication

from sora2_desktop.api.request import is_loopback_host
from sora2_desktop.core.images.host_addresses import split_url

# (host, port) -> the IP addresses (as text) the name resolves to; tests inject their own answers.
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_translate = QCoreApplication.translate


async def system_resolver(host: str, port: int) -> list[str]:
    """The system's answer, from asyncio's worker thread: the GUI thread never waits on DNS."""
    import asyncio  # here: the composer is on screen before asyncio's import (app.py)

    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def api_is_local(api_base: str) -> bool:
    """True when the API base URL is on this computer (the demo stand-in, tests): local image URLs are then fine."""
    try:
        return is_loopback_host(urlsplit(api_base).hostname or "")
    except ValueError:
        return False


def url_form_problem(url: str) -> str | None:
    """What is wrong with the URL's form alone (no network): not http(s), no host, or a user name/password in it."""
    parts = split_url(url.strip())
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        return _translate("ImageUrlGuard", "The image address must be a full web address starting with https://.")
    if parts.username is not None or parts.password is not None:
        return _translate(
            "ImageUrlGuard",
            "Leave the user name and password out of the image address: the service is never given them.",
        )
    return None


def address_problem(address: IpAddress, *, allow_local: bool) -> str | None:
    """Why the app must not fetch from `address`, or None. Link-local and the like are refused even locally."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:169.254.169.254 is 169.254.169.254
    if address.is_link_local:
        return _translate(
            "ImageUrlGuard",
            "The image address leads to a link-local address (such as a cloud server's metadata service), "
            "which the app never fetches.",
        )
    broadcast = isinstance(address, ipaddress.IPv4Address) and address == ipaddress.IPv4Address("255.255.255.255")
    # ::1 lies in the reserved ::/8 block too; it is judged as loopback below.
    reserved = address.is_reserved and not address.is_loopback
    if address.is_unspecified or address.is_multicast or reserved or broadcast:
        return _translate("ImageUrlGuard", "The image address leads to {0}, which is no server's address.").format(
            address
        )
    if allow_local:
        return None
    if address.is_loopback:
        return _translate(
            "ImageUrlGuard",
            "The image address leads to this computer; the video service cannot fetch it from there. "
            "Use a public web address or a file.",
        )
    if not address.is_global:
        return _translate(
            "ImageUrlGuard",
            "The image address leads to a private network address ({0}); the video service cannot fetch it "
            "from there. Use a public web address or a file.",
        ).format(address)
    return None


class ImageUrlGuard:
    """Judges one URL (the first request or a redirect's target) by its form and by every address its host has."""

    def __init__(self, *, allow_local: Callable[[], bool], resolver: Resolver = system_resolver) -> None:
        self._allow_local = allow_local
        self._resolver = resolver

    async def problem(self, url: str) -> str | None:
        """None when the app may fetch `url` now; else the reason, in words for the person."""
        problem = url_form_problem(url)
        if problem is not None:
            return problem
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").rstrip(".")
        allow_local = self._allow_local()
        if not allow_local and (host == "localhost" or host.endswith(".localhost")):
            return address_problem(ipaddress.IPv4Address("127.0.0.1"), allow_local=False)
        try:
            literal: IpAddress | None = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None:
            return address_problem(literal, allow_local=allow_local)
        try:
            answers = await self._resolver(host, parts.port or (443 if parts.scheme == "https" else 80))
        except (OSError, UnicodeError):
            return _translate("ImageUrlGuard", "The image address's server name ({0}) could not be found.").format(host)
        # Every address must pass: httpx may connect to any of them.
        for answer in answers:
            try:
                address = ipaddress.ip_address(answer.split("%")[0])  # drop an IPv6 zone ("fe80::1%eth0")
            except ValueError:
                return _translate("ImageUrlGuard", "The image address's server name ({0}) could not be found.").format(
                    host
                )
            problem = address_problem(address, allow_local=allow_local)
            if problem is not None:
                return problem
        if not answers:
            return _translate("ImageUrlGuard", "The image address's server name ({0}) could not be found.").format(host)
        return None

"""Image host addresses: what a storage endpoint and a public base URL may be, with the reason when not.

One rule for the Settings dialog, which shows the reason at the field, and for the image host, which refuses
a hand-edited settings file the same way."""

from __future__ import annotations

from urllib.parse import SplitResult, urlsplit

from PySide6.QtCore import QCoreApplication

from sora2_desktop.api.request import is_loopback_host

# lupdate finds strings by the name `translate(context, text)`; the alias keeps call sites short.
_translate = QCoreApplication.translate


def storage_endpoint_problem(text: str) -> str | None:
    """None when `text` is a storage server's address ("https://host:port", or a bare "host:port", https then
    assumed); otherwise why not, in words for the person. Plain http only to this computer (a local MinIO): on
    any network, the local one included, the upload's signature and the image would travel readable."""
    text = text.strip()
    parts = split_url(text if "://" in text else "https://" + text)
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        return _translate("ImageHostAddress", "Enter a server address like https://s3.us-east-1.amazonaws.com.")
    if parts.username is not None or parts.password is not None:
        return _translate(
            "ImageHostAddress", "Leave the user name and password out of the address; use the access key fields."
        )
    if parts.path.strip("/") or parts.query or parts.fragment:
        return _translate("ImageHostAddress", "Enter only the server address, without a bucket or path.")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname.rstrip(".")):
        return _translate(
            "ImageHostAddress",
            "Use https://; plain http:// is allowed only for a server on this computer (localhost or 127.0.0.1).",
        )
    return None


def storage_endpoint(text: str) -> tuple[str, bool]:
    """(host:port, secure) of an endpoint that storage_endpoint_problem allows; ValueError for any other."""
    problem = storage_endpoint_problem(text)
    if problem is not None:
        raise ValueError(problem)
    text = text.strip()
    parts = urlsplit(text if "://" in text else "https://" + text)
    return parts.netloc, parts.scheme == "https"


def public_base_url_problem(text: str) -> str | None:
    """None when `text` is a web address images can be fetched under; otherwise why not, in words."""
    parts = split_url(text.strip())
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        return _translate("ImageHostAddress", "Enter a web address starting with https://, or leave this empty.")
    if parts.username is not None or parts.password is not None or parts.query or parts.fragment:
        return _translate("ImageHostAddress", "Leave out any user name, password, query (?…) or fragment (#…).")
    return None


def split_url(url: str) -> SplitResult | None:
    """The URL's parts, or None where it does not parse (a malformed port included)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError on a malformed port
    except ValueError:
        return None
    return parts

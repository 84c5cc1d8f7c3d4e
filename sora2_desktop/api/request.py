"""GenerationRequest: one generation as the service accepts it, judged by its model's rules (ModelSpec)."""

from __future__ import annotations

import enum
import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sora2_desktop.api.model_spec import LEGACY_MODEL, ModelSpec


class Mode(enum.StrEnum):
    TEXT_TO_VIDEO = "text-to-video"
    IMAGE_TO_VIDEO = "image-to-video"


class RequestType(enum.StrEnum):
    ASYNC = "async"
    CALLBACK = "callback"


@dataclass(frozen=True)
class FieldError:
    """A validation failure tied to the form field (`field` is the request attribute name) it belongs to."""

    field: str
    message: str


@dataclass(frozen=True)
class GenerationRequest:
    """The values are the service's own words (a duration, "landscape", "1280*720", "official"): which ones a
    model takes is data (ModelSpec), so they are plain values here, checked by `validate(spec)`. Only the frame
    parameter the model takes in the request's mode is sent (`aspect_ratio`, `size` or `resolution`)."""

    prompt: str
    mode: Mode = Mode.TEXT_TO_VIDEO
    duration: int = 10
    aspect_ratio: str = "landscape"
    image_urls: tuple[str, ...] = ()
    remove_watermark: bool = True
    provider: str = "auto"
    request_type: RequestType = RequestType.ASYNC
    callback_url: str | None = None
    model: str = LEGACY_MODEL
    size: str = ""
    resolution: str = ""

    def frame_value(self, spec: ModelSpec) -> tuple[str, str]:
        """(parameter, value) of the frame parameter `spec` takes in this request's mode."""
        param = spec.frame_for(str(self.mode)).param
        return param, str(getattr(self, param))

    def validate(self, spec: ModelSpec, *, images: bool = True) -> list[FieldError]:
        """Every rule the model's spec gives, so a bad request is explained here, not after a round trip.

        With `images=False` the image addresses are left out: a caller that still has files to upload checks
        how many images there are with `image_count_errors` now and the addresses once they exist."""
        errors: list[FieldError] = []
        name = spec.title
        if self.model != spec.id:
            errors.append(FieldError("model", f"This request is for {self.model!r}, not {name}."))
        if not isinstance(self.prompt, str) or len(self.prompt.strip()) < max(1, spec.prompt_min_chars):
            errors.append(FieldError("prompt", "Write a prompt: describe the video you want."))
        elif len(self.prompt) > spec.prompt_max_chars:
            errors.append(
                FieldError(
                    "prompt",
                    f"The prompt is {len(self.prompt):,} characters; {name} takes at most {spec.prompt_max_chars:,}.",
                )
            )
        if not _is_member(self.mode, Mode) or str(self.mode) not in spec.modes:
            errors.append(
                FieldError("mode", f"{name} does not offer the mode {self.mode!r}: choose {_or(spec.modes)}.")
            )
        # bool is an int and 10.0 == 10: both would slip through a plain `in` test and reach the JSON body.
        if type(self.duration) is not int or self.duration not in spec.durations:
            allowed = _or([str(d) for d in spec.durations])
            errors.append(FieldError("duration", f"{name} makes videos of {allowed} seconds, not {self.duration!r}."))
        if _is_member(self.mode, Mode) and str(self.mode) in spec.modes:
            param, value = self.frame_value(spec)
            options = spec.frame_for(str(self.mode)).options
            if value not in options:
                label = param.replace("_", " ")
                errors.append(FieldError(param, f"{name} takes {label} {_or(options)}, not {value!r}."))
        if not isinstance(self.remove_watermark, bool):
            errors.append(
                FieldError("remove_watermark", f"Remove watermark must be on or off, not {self.remove_watermark!r}.")
            )
        if self.provider not in spec.providers:
            errors.append(
                FieldError("provider", f"{name} takes provider {_or(spec.providers)}, not {self.provider!r}.")
            )
        if images:
            errors.extend(self._image_errors(spec))
        errors.extend(self._delivery_errors())
        return errors

    def _image_errors(self, spec: ModelSpec) -> list[FieldError]:
        # A bare string is iterable too: without this check its letters would be checked as URLs.
        if not isinstance(self.image_urls, tuple | list) or not all(isinstance(u, str) for u in self.image_urls):
            return [FieldError("image_urls", "Image addresses must be a list of URLs.")]
        return image_count_errors(spec, self.mode, len(self.image_urls)) or image_address_errors(self.image_urls)

    def _delivery_errors(self) -> list[FieldError]:
        if not _is_member(self.request_type, RequestType):
            return [FieldError("request_type", f"Delivery must be polling or callback, not {self.request_type!r}.")]
        if self.request_type == RequestType.CALLBACK:
            url = (self.callback_url or "").strip()
            if not url:
                return [FieldError("callback_url", "Callback delivery needs a URL the service can reach.")]
            problem = callback_url_problem(url)
            if problem is not None:
                return [FieldError("callback_url", problem)]
        return []

    def to_payload(self, spec: ModelSpec) -> dict[str, Any]:
        """The JSON body of `POST <spec.submit_path>`: only the parameters the model takes."""
        param, value = self.frame_value(spec)
        payload: dict[str, Any] = {
            "request_type": str(self.request_type),
            "provider": str(self.provider),
            "input": {"mode": str(self.mode), "prompt": self.prompt, "duration": self.duration, param: value},
        }
        if spec.watermark_offered:
            payload["input"]["remove_watermark"] = self.remove_watermark
        if self.image_urls:
            payload["input"]["image_urls"] = [url.strip() for url in self.image_urls]
        if self.request_type == RequestType.CALLBACK and self.callback_url:
            payload["callback_url"] = self.callback_url.strip()
        return payload

    def to_dict(self) -> dict[str, Any]:
        """A flat, JSON-safe form for storage (SQLite, sidecars); `from_dict` reads it back."""
        return {
            "model": self.model,
            "prompt": self.prompt,
            "mode": str(self.mode),
            "duration": self.duration,
            "aspect_ratio": str(self.aspect_ratio),
            "size": self.size,
            "resolution": self.resolution,
            "image_urls": list(self.image_urls),
            "remove_watermark": self.remove_watermark,
            "provider": str(self.provider),
            "request_type": str(self.request_type),
            "callback_url": self.callback_url,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GenerationRequest:
        """Rows written before models were data have no `model`: they were Sora 2 tasks."""
        return cls(
            prompt=str(data.get("prompt", "")),
            mode=Mode(data.get("mode", Mode.TEXT_TO_VIDEO)),
            duration=int(data.get("duration", 10)),
            aspect_ratio=str(data.get("aspect_ratio") or "landscape"),
            image_urls=tuple(data.get("image_urls") or ()),
            remove_watermark=bool(data.get("remove_watermark", True)),
            provider=str(data.get("provider") or "auto"),
            request_type=RequestType(data.get("request_type", RequestType.ASYNC)),
            callback_url=data.get("callback_url") or None,
            model=str(data.get("model") or LEGACY_MODEL),
            size=str(data.get("size") or ""),
            resolution=str(data.get("resolution") or ""),
        )


def image_count_errors(spec: ModelSpec, mode: object, count: int) -> list[FieldError]:
    """The rule on how many images a request has: image-to-video between the model's least and most,
    text-to-video none."""
    if mode == Mode.IMAGE_TO_VIDEO:
        low, high = max(1, spec.images_min), spec.images_max
        if count < low:
            need = "one reference image" if low == 1 else f"{low} reference images"
            return [FieldError("image_urls", f"Image-to-video needs at least {need}.")]
        if high is not None and count > high:
            most = "exactly one reference image" if high == 1 == low else f"at most {high} reference images"
            return [FieldError("image_urls", f"{spec.title} takes {most}; remove {count - high}.")]
        return []
    if mode == Mode.TEXT_TO_VIDEO and count:
        return [
            FieldError(
                "image_urls",
                "Text-to-video takes no images: switch to image-to-video or remove the images.",
            )
        ]
    return []


def image_address_errors(urls: Iterable[str]) -> list[FieldError]:
    """The first image address the service could not fetch because it is no full http(s) URL, if any."""
    for url in urls:
        if not is_http_url(url):
            return [FieldError("image_urls", f"Image address {url!r} must be a full http:// or https:// URL.")]
    return []


def is_http_url(url: str, *, schemes: tuple[str, ...] = ("http", "https")) -> bool:
    try:
        parts = urlsplit(url.strip())
        return parts.scheme in schemes and bool(parts.hostname)
    except ValueError:  # urlsplit refuses some malformed input, e.g. an unclosed "[::1"
        return False


def callback_url_problem(url: str) -> str | None:
    """Why the service could not (or must not) post results to `url`, or None. It must be public https: the
    service posts from the internet, so this computer, a private network or a link-local address would either
    fail or point the service at someone's internal machine, and a user name and password would travel with
    every task. Names are judged by their form only (no DNS here): localhost, *.localhost, *.local (mDNS),
    *.internal, and single-label names (an intranet host) cannot be public."""
    public_https = "The callback URL must be a public https:// address."
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 -- raises ValueError on a malformed port
    except ValueError:
        return public_https
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.scheme != "https" or not host:
        return public_https
    if parts.username is not None or parts.password is not None:
        return "Leave the user name and password out of the callback URL; the service would store them in clear."
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if not address.is_global or address.is_multicast:
            return f"The callback URL must be a public https:// address; {host} cannot be reached from the internet."
        return None
    local_suffixes = (".localhost", ".local", ".internal", ".lan", ".home.arpa")
    if host == "localhost" or host.endswith(local_suffixes) or "." not in host:
        return f"The callback URL must be a public https:// address; {host} is a name only your network knows."
    return None


def is_loopback_host(host: str) -> bool:
    """localhost or 127.0.0.0/8 or ::1: the only hosts plain http is allowed to, since nothing leaves the machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _or(values: Sequence[str]) -> str:
    """ "4, 8 or 12": a list as a sentence names it."""
    values = [str(v) for v in values]
    return values[0] if len(values) == 1 else f"{', '.join(values[:-1])} or {values[-1]}"


def _is_member(value: object, enum_type: type[enum.Enum]) -> bool:
    return any(value == member.value for member in enum_type)  # StrEnum members equal their values

"""Bounded answers: read a response body up to a size cap and parse it as JSON no deeper than a sane limit."""

from __future__ import annotations

import json
import zlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx  # status.py parses answers with this module and is imported long before anything is sent

# The documented status answer is well under 4 KB; 1 MB leaves room for any honest answer and keeps a hostile
# one from holding memory or blocking the loop (json.loads of 1 MB takes a few ms).
MAX_ANSWER_BYTES = 1_000_000
# The documented envelope nests 3 deep (resultJson, inside a string, 2 more); 64 is far past any honest answer.
MAX_JSON_DEPTH = 64


class AnswerTooLarge(Exception):
    """The body went past MAX_ANSWER_BYTES (after decompression); reading stopped there."""


class AnswerUndecodable(Exception):
    """The body could not be decompressed or decoded (a broken gzip stream, a bad charset)."""


class AnswerTooDeep(ValueError):
    """The JSON nests deeper than MAX_JSON_DEPTH."""


# The only encodings API requests ask for (see ACCEPT_ENCODING): decoded here, not by httpx, so that a broken
# stream fails in this function (where the body's generators can be closed in order) rather than deep inside
# httpx's own generators, which would then be left for the garbage collector to close in the wrong task.
ACCEPT_ENCODING = "gzip, deflate"
_WBITS = {"gzip": 16 + 15, "x-gzip": 16 + 15, "deflate": 15}


async def read_capped(response: httpx.Response, cap: int = MAX_ANSWER_BYTES) -> bytes:
    """The decompressed body of a streamed response, or AnswerTooLarge as soon as it passes `cap` bytes
    (AnswerUndecodable for a broken or unknown content encoding)."""
    import httpx

    try:
        content = response.content  # a transport that read the body already (a test's mock) handed it over
    except httpx.ResponseNotRead:
        pass
    else:
        if len(content) > cap:
            raise AnswerTooLarge
        return content
    announced = response.headers.get("content-length", "").strip()
    if announced.isascii() and announced.isdigit() and int(announced) > cap:
        raise AnswerTooLarge
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("", "identity", *_WBITS):
        raise AnswerUndecodable(encoding[:40])
    decoder = zlib.decompressobj(_WBITS[encoding]) if encoding in _WBITS else None
    chunks: list[bytes] = []
    size = 0
    # A name for the iterator: when reading stops early (past the cap, a broken stream), the response is closed
    # first and then its generator, here, while the loop runs.
    raw = response.aiter_raw()
    try:
        async for chunk in raw:
            if decoder is not None:
                # max_length bounds what a few compressed bytes may expand to (a "zip bomb").
                chunk = decoder.decompress(chunk, cap - size + 1)
                if decoder.unconsumed_tail:
                    raise AnswerTooLarge
            size += len(chunk)
            if size > cap:
                raise AnswerTooLarge
            chunks.append(chunk)
        if decoder is not None:
            chunks.append(decoder.flush())
            if not decoder.eof:
                raise AnswerUndecodable("cut short")
    except BaseException as exc:
        await response.aclose()
        await raw.aclose()  # type: ignore[attr-defined]
        if isinstance(exc, zlib.error):
            raise AnswerUndecodable("zlib") from None
        raise
    return b"".join(chunks)


def loads_bounded(text: str | bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """json.loads, then a depth check; ValueError (AnswerTooDeep included) for anything that is not sane JSON.

    The C decoder guards its own recursion and raises RecursionError for thousands of levels; that becomes a
    ValueError here. The depth check walks the result with an explicit stack, so it cannot overflow itself.
    """
    try:
        document = json.loads(text)
    except RecursionError:
        raise AnswerTooDeep("JSON nested too deep") from None
    except UnicodeDecodeError as exc:  # a ValueError already; re-raised plain so callers see one kind
        raise ValueError(str(exc)) from None
    check_depth(document, max_depth)
    return document


def check_depth(document: Any, max_depth: int = MAX_JSON_DEPTH) -> None:
    """AnswerTooDeep if `document` holds lists/objects nested deeper than `max_depth`."""
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > max_depth:
            raise AnswerTooDeep("JSON nested too deep")
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))

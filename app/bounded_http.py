"""HTTP answers read with a size limit *while they stream* (see issue #22).

``httpx.AsyncClient.post`` reads the whole body into memory before the caller can look at it, so a
hostile hub answering with 2 GB would be held in memory before anything refused it. ``send`` reads
the body chunk by chunk (after decompression, so a gzip bomb counts at its real size), refuses as
soon as it passes ``max_bytes`` or a declared ``Content-Length`` already does, and gives up on a
body that trickles in for longer than ``deadline_s``. It returns an ordinary, fully read
``httpx.Response``, so callers keep using ``.content``, ``.status_code`` and ``.headers``.

    NetworkError
    └── ResponseTooLargeError   the body is larger than the caller allows
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Final

from app.errors import NetworkError

if TYPE_CHECKING:  # httpx loads with the first request, not with the window
    import httpx

# Headers that describe the body as sent; the rebuilt response holds it decoded.
_WIRE_HEADERS: Final = frozenset({"content-encoding", "content-length", "transfer-encoding"})


class ResponseTooLargeError(NetworkError):
    """An answer is larger than its reader allows; nothing past the limit was kept."""

    def __init__(self, source: str, limit: int) -> None:
        super().__init__(
            f"{source} sent an answer larger than {_size(limit)}; it was refused unread."
        )
        self.source = source
        self.limit = limit


async def send(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    source: str,
    max_bytes: int,
    deadline_s: float | None = None,
    follow_redirects: bool = False,
    **request: Any,
) -> httpx.Response:
    """Send one request and read at most ``max_bytes`` of its answer.

    ``request`` takes ``build_request``'s keywords (``json``, ``content``, ``headers``,
    ``timeout``). Transport errors are httpx's own, as with ``client.post``; a body too large is
    ``ResponseTooLargeError``, one that cannot be decoded or finish in time is ``NetworkError``.
    """
    import httpx

    built = client.build_request(method, url, **request)
    try:
        async with asyncio.timeout(deadline_s):
            response = await client.send(built, stream=True, follow_redirects=follow_redirects)
            try:
                body = await _read(response, source=source, max_bytes=max_bytes)
            finally:
                await response.aclose()
    except TimeoutError:
        raise NetworkError(f"{source} did not finish answering within {deadline_s:g} s.") from None
    except httpx.DecodingError as exc:
        raise NetworkError(
            f"{source} sent a body that cannot be decoded.", detail=str(exc)
        ) from None
    headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in _WIRE_HEADERS]
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=body,
        request=built,
        extensions=response.extensions,
    )


async def _read(response: httpx.Response, *, source: str, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise ResponseTooLargeError(source, max_bytes)  # refused before a byte of the body
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise ResponseTooLargeError(source, max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def _size(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MiB"
    return f"{limit / 1024:g} KiB" if limit >= 1024 else f"{limit} bytes"

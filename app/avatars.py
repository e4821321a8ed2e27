"""Organisation avatars: the Snapshot space's avatar, fetched by the core and cached on disk.

A view never loads a remote image: it reads the file this module wrote (``AvatarCache.cached``)
or draws a generated avatar. What reaches the cache is checked first:

- the URL: ``https://`` (``ipfs://CID`` goes through an HTTPS gateway), or ``http://`` to a
  loopback host only (a local hub); ``data:``, ``file:``, ``javascript:`` and the rest are refused;
- the size: at most ``MAX_BYTES``, counted while streaming (a larger body is cut off and dropped);
- the bytes: PNG, JPEG, GIF or WebP by their magic numbers. SVG is refused (it can carry script
  and external references); so is anything else.

The file is written atomically (temporary file, then rename), named by a hash of the space id,
so a space id never becomes a path. Lookups fail soft: no avatar is not an error.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Final
from urllib.parse import urlsplit

if TYPE_CHECKING:  # httpx loads with the first fetch: the cached icons show at start-up
    import httpx

from app import bounded_http, jsonsafe
from app.errors import AppError

log = logging.getLogger(__name__)

MAX_BYTES: Final = 512 * 1024
MAX_JSON_BYTES: Final = 64 * 1024
FRESH_FOR_S: Final = 7 * 86_400
IPFS_GATEWAY: Final = "https://snapshot.4everland.link/ipfs/"
_QUERY: Final = "query Avatar($id: String!) { space(id: $id) { avatar } }"
_LOOPBACK: Final = {"127.0.0.1", "localhost", "::1"}
_MAGIC: Final = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)


def image_kind(data: bytes) -> str | None:
    """ "png", "jpeg", "gif" or "webp" from the first bytes, or None for anything else."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def safe_image_url(url: str) -> str | None:
    """The URL to download an avatar from, or None when it must not be fetched."""
    url = url.strip()
    if url.startswith("ipfs://"):
        cid = url.removeprefix("ipfs://").removeprefix("ipfs/").split("?")[0]
        return IPFS_GATEWAY + cid if cid.isalnum() else None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if not parts.hostname or parts.username or parts.password:
        return None
    if parts.scheme == "https":
        return url
    if parts.scheme == "http" and parts.hostname in _LOOPBACK:
        return url
    return None


class AvatarCache:
    def __init__(self, folder: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.folder = folder
        self.clock = clock

    def path_for(self, space: str) -> Path:
        digest = hashlib.sha256(space.strip().lower().encode("utf-8")).hexdigest()[:32]
        return self.folder / f"{digest}.img"

    def cached(self, space: str) -> Path | None:
        """The cached avatar file for ``space``, if one was stored."""
        path = self.path_for(space)
        return path if space and path.is_file() else None

    def is_fresh(self, space: str) -> bool:
        path = self.cached(space)
        return path is not None and self.clock() - path.stat().st_mtime < FRESH_FOR_S

    async def refresh(self, client: httpx.AsyncClient, hub: str, space: str) -> Path | None:
        """Look the space's avatar up on ``hub``, download, check and cache it.

        Returns the cached file (the previous one if this lookup found nothing usable).
        """
        if not space:
            return None
        if self.is_fresh(space):
            return self.cached(space)
        import httpx

        try:
            url = await space_avatar_url(client, hub, space)
            data = await download(client, safe_image_url(url) if url else None)
        except (httpx.HTTPError, ValueError) as exc:
            log.info("no avatar for %s: %s", space, exc)
            return self.cached(space)
        if data is None:
            return self.cached(space)
        self.store(space, data)
        return self.cached(space)

    def store(self, space: str, data: bytes) -> Path:
        if len(data) > MAX_BYTES or image_kind(data) is None:
            raise ValueError("not an image we accept (PNG, JPEG, GIF or WebP up to 512 KB)")
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.path_for(space)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".avatar-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, target)
        except OSError:
            Path(tmp).unlink(missing_ok=True)
            raise
        return target


async def space_avatar_url(client: httpx.AsyncClient, hub: str, space: str) -> str | None:
    """The ``avatar`` of a space on a Snapshot hub, or None (no avatar, or the hub has none)."""
    body = {"query": _QUERY, "variables": {"id": space}}
    try:
        response = await bounded_http.send(
            client,
            "POST",
            f"{hub.rstrip('/')}/graphql",
            source="The Snapshot hub",
            max_bytes=MAX_JSON_BYTES,
            deadline_s=30.0,
            json=body,
            timeout=10.0,
        )
        if response.status_code != 200:
            return None
        payload = jsonsafe.loads(response.content, source="the Snapshot hub")
    except AppError:  # too large, too deep or not JSON: no avatar
        return None
    found = (payload.get("data") or {}).get("space") if isinstance(payload, dict) else None
    avatar = found.get("avatar") if isinstance(found, dict) else None
    return avatar if isinstance(avatar, str) and avatar else None


async def download(client: httpx.AsyncClient, url: str | None) -> bytes | None:
    """At most MAX_BYTES of an image at ``url``; None when refused, too big or not an image."""
    if url is None:
        return None
    chunks, size = [], 0
    async with client.stream("GET", url, timeout=10.0, follow_redirects=False) as response:
        if response.status_code != 200:
            return None
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > MAX_BYTES:
                return None
            chunks.append(chunk)
    data = b"".join(chunks)
    return data if image_kind(data) else None

"""Org avatars: URL and content checks, and a fetch from a real local HTTP server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from app.avatars import MAX_BYTES, AvatarCache, image_kind, safe_image_url

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_only_safe_urls_are_fetched() -> None:
    assert safe_image_url("https://example.org/a.png") == "https://example.org/a.png"
    assert safe_image_url("ipfs://bafkreiabc123").endswith("/ipfs/bafkreiabc123")  # type: ignore[union-attr]
    assert safe_image_url("http://127.0.0.1:8000/a.png") is not None
    for bad in ("http://example.org/a.png", "file:///etc/passwd", "data:image/png;base64,AA",
                "javascript:alert(1)", "https://user:pw@example.org/a.png", "ipfs://../x"):  # fmt: skip
        assert safe_image_url(bad) is None, bad


def test_only_raster_images_are_kept() -> None:
    assert image_kind(PNG) == "png"
    assert image_kind(b"\xff\xd8\xff\xe0") == "jpeg"
    assert image_kind(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp"
    assert image_kind(b"<svg xmlns='http://www.w3.org/2000/svg'/>") is None


class _Hub(BaseHTTPRequestHandler):
    avatar = "/avatar.png"
    body = PNG

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        request = json.loads(self.rfile.read(length))
        space = request["variables"]["id"]
        url = f"http://127.0.0.1:{self.server.server_port}{self.avatar}"
        data = {"space": {"avatar": url} if space == "dao.eth" else None}
        self._send(json.dumps({"data": data}).encode(), "application/json")

    def do_GET(self) -> None:
        self._send(self.body, "image/png")

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def hub() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


async def test_the_core_fetches_checks_and_caches_the_space_avatar(
    hub: str, tmp_path: Path
) -> None:
    cache = AvatarCache(tmp_path / "avatars")
    async with httpx.AsyncClient() as client:
        path = await cache.refresh(client, hub, "dao.eth")
        assert path is not None
        assert path.read_bytes() == PNG
        assert path.parent == tmp_path / "avatars"
        assert "dao" not in path.name
        assert cache.is_fresh("dao.eth")
        assert await cache.refresh(client, hub, "other.eth") is None  # no avatar: none cached


async def test_too_big_or_non_image_avatars_are_dropped(hub: str, tmp_path: Path) -> None:
    cache = AvatarCache(tmp_path)
    async with httpx.AsyncClient() as client:
        _Hub.body = b"<svg onload='x'/>"
        try:
            assert await cache.refresh(client, hub, "dao.eth") is None
            _Hub.body = PNG + b"\x00" * MAX_BYTES
            assert await cache.refresh(client, hub, "dao.eth") is None
        finally:
            _Hub.body = PNG
    with pytest.raises(ValueError, match="not an image"):
        cache.store("dao.eth", b"GIF-not")

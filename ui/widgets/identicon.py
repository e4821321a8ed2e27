"""Identicons: an address's blockie as a round pixmap, and an organisation's avatar.

Pixmaps are cached per (seed, size, device pixel ratio): a voters table of thousands of rows
draws each address once. An organisation shows its Snapshot space avatar from the local cache
(``app/avatars.py`` fetched and checked it; a view never loads a remote image), else a generated
one: its initials on a colour derived from its id.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QImageReader, QPainter, QPainterPath, QPixmap

from ui.blockies import address_blockie

MAX_AVATAR_BYTES = 512 * 1024
_MAX_AVATAR_PIXELS = 1024


@lru_cache(maxsize=4096)
def _blockie_image(address: str) -> QImage:
    shape = address_blockie(address)
    image = QImage(shape.size, shape.size, QImage.Format.Format_RGB32)
    for index in range(shape.size * shape.size):
        red, green, blue = shape.fill(index).rgb()
        image.setPixelColor(index % shape.size, index // shape.size, QColor(red, green, blue))
    return image


def _round(source: QImage | QPixmap, size: int, ratio: float, *, smooth: bool) -> QPixmap:
    pixels = max(round(size * ratio), 1)
    pixmap = QPixmap(pixels, pixels)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, smooth)
    clip = QPainterPath()
    clip.addEllipse(QRectF(0, 0, pixels, pixels))
    painter.setClipPath(clip)
    target = QRectF(0, 0, pixels, pixels)
    if isinstance(source, QImage):
        painter.drawImage(target, source)
    else:
        painter.drawPixmap(target, source, QRectF(source.rect()))
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


@lru_cache(maxsize=2048)
def identicon(address: str, size: int = 24, ratio: float = 1.0) -> QPixmap:
    """The address's blockie, round, ``size`` logical pixels wide (crisp cells, no smoothing)."""
    return _round(_blockie_image(address.lower()), size, ratio, smooth=False)


def _seed_colour(seed: str) -> QColor:
    digest = hashlib.sha256(seed.encode()).digest()
    return QColor.fromHsl(digest[0] * 360 // 256, 150 + digest[1] % 60, 95 + digest[2] % 40)


def initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w[:1].isalnum()]
    letters = "".join(w[0] for w in words[:2]) or name[:1] or "?"
    return letters.upper()


@lru_cache(maxsize=256)
def generated_avatar(seed: str, name: str, size: int = 24, ratio: float = 1.0) -> QPixmap:
    """Initials on a colour taken from ``seed`` (an organisation's slug)."""
    pixels = max(round(size * ratio), 1)
    image = QImage(pixels, pixels, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(_seed_colour(seed))
    painter = QPainter(image)
    font = QFont()
    font.setPixelSize(max(int(pixels * 0.42), 6))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor(255, 255, 255))
    painter.drawText(image.rect(), int(Qt.AlignmentFlag.AlignCenter), initials(name))
    painter.end()
    return _round(image, size, ratio, smooth=True)


def read_cached_avatar(path: Path | None) -> QImage | None:
    """A cached avatar image, read with hard limits (file size, pixel size); None if unusable."""
    if path is None:
        return None
    try:
        if not path.is_file() or path.stat().st_size > MAX_AVATAR_BYTES:
            return None
    except OSError:
        return None
    reader = QImageReader(str(path))
    reader.setAllocationLimit(16)  # megabytes: a decompression bomb stops here
    size = reader.size()
    if not size.isValid() or max(size.width(), size.height()) > _MAX_AVATAR_PIXELS:
        return None
    reader.setScaledSize(QSize(min(size.width(), 128), min(size.height(), 128)))
    image = reader.read()
    return None if image.isNull() else image


def org_avatar(
    slug: str, name: str, cached: Path | None, size: int = 24, ratio: float = 1.0
) -> QPixmap:
    """The space's cached avatar, round, or a generated one."""
    image = read_cached_avatar(cached)
    if image is None:
        return generated_avatar(slug, name, size, ratio)
    return _round(image, size, ratio, smooth=True)

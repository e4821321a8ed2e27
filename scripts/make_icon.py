"""Render resources/icons/govdesk.svg to the icons the installers need: PNGs (256 px, and
32/48/128) for Linux, govdesk.ico for Windows and govdesk.icns for macOS (Qt's image plugins).

The SVG is hand-written and the source of truth; the PNGs are committed so builds need no Qt SVG
step. Re-run after editing the SVG:

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make_icon.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
PLATFORM_ICONS = {
    "ICO": ROOT / "packaging/windows/govdesk.ico",
    "ICNS": ROOT / "packaging/macos/govdesk.icns",
}
SIZES = (256, 128, 48, 32)


def render(svg: Path, size: int) -> QImage:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    svg = ICONS / "govdesk.svg"
    for size in SIZES:
        name = "govdesk.png" if size == 256 else f"govdesk-{size}.png"
        target = ICONS / name
        if not render(svg, size).save(str(target)):
            raise SystemExit(f"could not write {target}")
        print(f"wrote {target.relative_to(ROOT)}")
    big = render(svg, 256)
    for fmt, target in PLATFORM_ICONS.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        if not big.save(str(target), fmt):
            raise SystemExit(f"could not write {target} (no Qt {fmt} image plugin?)")
        print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Render UR parts as QR code images (PNG or SVG) with segno, one file per frame."""

from __future__ import annotations

from pathlib import Path

import segno


def write_qr_frames(parts: list[str], out_dir: Path, *, stem: str, kind: str = "png") -> list[Path]:
    """Write ``<stem>-<i>of<n>.<kind>`` for each part; the text is upper-cased so QR can use the
    compact alphanumeric mode (UR is case-insensitive)."""
    if kind not in ("png", "svg"):
        raise ValueError("kind must be 'png' or 'svg'")
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for index, part in enumerate(parts, start=1):
        path = out_dir / f"{stem}-{index}of{len(parts)}.{kind}"
        segno.make(part.upper(), error="m", micro=False).save(str(path), scale=4, border=4)
        written.append(path)
    return written

"""QR frames are written one file per UR part, as real PNG or SVG images."""

from __future__ import annotations

from pathlib import Path

import pytest
import segno

from app.keys.qr import write_qr_frames
from app.keys.ur import encode_parts


def test_write_qr_frames_writes_one_png_per_part(tmp_path: Path) -> None:
    parts = encode_parts("govdesk-sign-request", bytes(range(256)) * 3, fragment_bytes=200)
    paths = write_qr_frames(parts, tmp_path, stem="req")
    assert [p.name for p in paths] == [f"req-{i}of4.png" for i in range(1, 5)]
    for path in paths:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_frames_use_alphanumeric_mode_and_svg(tmp_path: Path) -> None:
    parts = encode_parts("govdesk-sign-request", b"hello world")
    (path,) = write_qr_frames(parts, tmp_path, stem="r", kind="svg")
    assert "<svg" in path.read_text()
    assert segno.make(parts[0].upper(), micro=False).mode == "alphanumeric"
    with pytest.raises(ValueError, match="png"):
        write_qr_frames(parts, tmp_path, stem="r", kind="gif")

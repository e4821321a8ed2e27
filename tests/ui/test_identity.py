"""Identity: blockies against a JavaScript transcription of the public algorithm, identicon
pixmaps, checksummed short addresses, the address chip, and generated / cached org avatars."""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QGuiApplication, QImage
from pytestqt.qtbot import QtBot

from app.devnet.tools import node_binary, project_root
from ui.blockies import Hsl, address_blockie, blockie
from ui.widgets.address import AddressChip, checksummed, display_address
from ui.widgets.identicon import (
    MAX_AVATAR_BYTES,
    generated_avatar,
    identicon,
    initials,
    org_avatar,
    read_cached_avatar,
)

REFERENCE = project_root() / "tests" / "js" / "blockies_reference.js"
# EIP-55's own test vectors (all-caps, all-lower and mixed).
EIP55 = [
    "0x52908400098527886E0F7030069857D2E4169EE7",
    "0xde709f2102306220921060314715629080e2fb77",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
]


def reference(seeds: list[str]) -> list[dict[str, list[float]]]:
    done = subprocess.run([str(node_binary()), str(REFERENCE)], input=json.dumps(seeds),
                          capture_output=True, text=True, check=True, timeout=60)  # fmt: skip
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_blockies_match_the_published_algorithm_run_by_javascript() -> None:
    rng = random.Random(17)
    seeds = [a.lower() for a in EIP55] + ["", "a", "é", "0x" + "ff" * 20]
    seeds += ["0x" + "".join(rng.choice("0123456789abcdef") for _ in range(40)) for _ in range(200)]
    expected = reference(seeds)
    for seed, want in zip(seeds, expected, strict=True):
        got = blockie(seed)
        for name in ("color", "bgcolor", "spotcolor"):
            colour: Hsl = getattr(got, name)
            assert [colour.h, colour.s, colour.l] == want[name], (seed, name)
        assert list(got.cells) == want["cells"], seed


def test_blockies_are_mirrored_and_case_insensitive_for_addresses() -> None:
    shape = address_blockie(EIP55[3])
    assert shape == address_blockie(EIP55[3].lower())
    rows = [shape.cells[r * 8 : r * 8 + 8] for r in range(8)]
    assert all(row == row[::-1] for row in rows)
    assert shape != address_blockie(EIP55[2])


def test_hsl_is_clamped_like_css_and_converted_to_srgb() -> None:
    assert Hsl(0, 100, 50).rgb() == (255, 0, 0)
    assert Hsl(480, 100, 50).rgb() == (0, 255, 0)  # hue wraps: 480° is 120°
    assert Hsl(240, 160, 150).rgb() == (255, 255, 255)  # s and l past 100% clamp
    assert Hsl(0, 0, 50).rgb() == (128, 128, 128)


def test_identicon_pixmap_paints_the_blockie_cells(qapp: object) -> None:
    address = EIP55[1]
    shape = address_blockie(address)
    image = identicon(address, 64).toImage()
    # The centre of cell (row 3, column 3) lies inside the round mask.
    red, green, blue = shape.fill(3 * 8 + 3).rgb()
    assert image.pixelColor(3 * 8 + 4, 3 * 8 + 4) == QColor(red, green, blue)
    assert image.pixelColor(0, 0).alpha() == 0  # a round identicon: corners are clear


def test_checksummed_short_addresses_keep_eip55_case() -> None:
    for address in EIP55:
        assert checksummed(address.lower()) == address
    assert display_address(EIP55[2].lower()) == "0x5aAe…eAed"
    assert checksummed("alice.eth") == "alice.eth"  # not an address: shown as given


def test_address_chip_shows_name_short_form_full_form_and_copies(qtbot: QtBot) -> None:
    chip = AddressChip(EIP55[2].lower(), "Treasury <b>multisig</b>")
    qtbot.addWidget(chip)
    chip.show()
    assert chip.name.text() == "Treasury <b>multisig</b>"
    assert chip.name.textFormat().name == "PlainText"
    assert chip.short.text() == "0x5aAe…eAed"
    chip.short.click()
    assert chip.short.text() == EIP55[2]
    chip.short.click()
    assert chip.short.text() == "0x5aAe…eAed"
    with qtbot.waitSignal(chip.copied):
        chip.copy.click()
    assert QGuiApplication.clipboard().text() == EIP55[2]


def test_generated_avatars_are_stable_and_differ_per_org(qapp: object) -> None:
    assert initials("Braintrust DAO") == "BD"
    assert initials("ens.eth") == "E"
    one = generated_avatar("braintrust", "Braintrust", 32).toImage()
    again = generated_avatar("braintrust", "Braintrust", 32).toImage()
    other = generated_avatar("uniswap", "Uniswap", 32).toImage()
    assert one == again
    assert one.pixelColor(16, 4) != other.pixelColor(16, 4)


def test_cached_avatar_is_read_with_limits(qapp: object, tmp_path: Path) -> None:
    good = tmp_path / "good.png"
    image = QImage(48, 48, QImage.Format.Format_RGB32)
    image.fill(QColor(10, 120, 200))
    assert image.save(str(good))
    assert read_cached_avatar(good) is not None
    assert org_avatar("x", "X", good, 32).toImage().pixelColor(16, 16) == QColor(10, 120, 200)
    huge = tmp_path / "huge.png"
    QImage(4000, 10, QImage.Format.Format_RGB32).save(str(huge))
    assert read_cached_avatar(huge) is None  # too many pixels
    big = tmp_path / "big.png"
    big.write_bytes(b"\x89PNG" + b"0" * MAX_AVATAR_BYTES)
    assert read_cached_avatar(big) is None  # too many bytes
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"<svg onload='alert(1)'/>")
    assert read_cached_avatar(broken) is None
    assert read_cached_avatar(tmp_path / "missing.png") is None
    # Without a usable cached image, the generated avatar stands in.
    assert org_avatar("x", "X", broken, 32).toImage() == generated_avatar("x", "X", 32).toImage()


@pytest.mark.parametrize("size", [16, 24, 40])
def test_identicons_come_in_any_size(qapp: object, size: int) -> None:
    assert identicon(EIP55[0], size).size().width() == size

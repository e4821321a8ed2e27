"""The design system: no colour literal in any view, tokens complete for both schemes, the
appearance override, and the stylesheet built from tokens only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from ui.theme import Appearance, ThemeFollower, current
from ui.theme.palette import build_stylesheet
from ui.theme.tokens import COLOURS, DARK, LIGHT, Colours, Scheme

VIEWS = Path(__file__).resolve().parents[2] / "ui" / "views"
# A hex colour in a string, CSS colour functions, QColor built from numbers or a name, Qt's
# named colours, and CSS colour names after a colour property.
LITERALS = [
    re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3}(?:[0-9a-fA-F]{2})?)?\b"),
    re.compile(r"\b(?:rgba?|hsla?)\s*\("),
    re.compile(r"QColor\s*\(\s*(?:\d|[\"'])"),
    re.compile(r"Qt\.(?:GlobalColor\.)?(?:red|green|blue|black|white|gray|darkRed|yellow)\b"),
    re.compile(r"(?:color|background)\s*:\s*[a-z]+\b"),
]


def _code_lines(path: Path) -> list[tuple[int, str]]:
    lines = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        code = line.split("  #", 1)[0]  # comments may name colours (e.g. "#1" issue numbers)
        if not code.lstrip().startswith("#"):
            lines.append((number, code))
    return lines


def colour_literals(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        for number, code in _code_lines(path):
            if any(pattern.search(code) for pattern in LITERALS):
                found.append(f"{path.name}:{number}: {code.strip()}")
    return found


def test_no_view_holds_a_colour_literal() -> None:
    assert colour_literals(VIEWS) == []


def test_the_scan_finds_each_kind_of_literal(tmp_path: Path) -> None:
    samples = [
        'label.setStyleSheet("color: #c62828;")',
        "painter.setPen(QColor(200, 0, 0))",
        'QColor("red")',
        'style = "background: rgba(0,0,0,0.1)"',
        "pen = Qt.GlobalColor.red",
        'css = "color: red"',
    ]
    for n, sample in enumerate(samples):
        (tmp_path / f"view{n}.py").write_text(f"x = 1\n{sample}\n", encoding="utf-8")
    assert len(colour_literals(tmp_path)) == len(samples)
    (tmp_path / "clean.py").write_text("painter.setPen(QColor(current().danger))  # #1\n")
    assert len(colour_literals(tmp_path)) == len(samples)


@pytest.mark.parametrize("colours", [LIGHT, DARK])
def test_every_colour_role_is_a_hex_colour(colours: Colours) -> None:
    for name, value in colours.as_dict().items():
        assert re.fullmatch(r"#[0-9a-f]{6}", value), name


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("scheme", list(Scheme))
def test_text_roles_are_readable_on_their_backgrounds(scheme: Scheme) -> None:
    c = COLOURS[scheme]
    assert contrast(c.text, c.raised) >= 7  # body text: WCAG AAA
    assert contrast(c.muted, c.raised) >= 4.5  # secondary text: AA
    for role in ("danger", "warning", "success", "accent"):
        assert contrast(getattr(c, role), getattr(c, f"{role}_soft")) >= 4.5, role
    assert contrast(c.on_accent, c.accent) >= 4.5


def test_stylesheet_uses_only_token_colours() -> None:
    for scheme in Scheme:
        sheet = build_stylesheet(scheme)
        used = set(re.findall(r"#[0-9a-f]{6}", sheet))
        assert used <= set(COLOURS[scheme].as_dict().values())
        assert 'QLabel[role="error"]' in sheet


def test_the_appearance_override_wins_over_the_os_and_is_remembered(
    qapp: QApplication, tmp_path: Path
) -> None:
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    style, palette = qapp.style().name(), QPalette(qapp.palette())
    follower = ThemeFollower(qapp)
    try:
        follower.set_appearance(Appearance.DARK)
        assert current() == DARK
        assert qapp.palette().color(QPalette.ColorRole.Base).name() == DARK.raised
        qapp.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)  # the OS says light
        assert current() == DARK  # the person's choice stays
        assert ThemeFollower(qapp).appearance is Appearance.DARK  # read back from QSettings
        follower.set_appearance(Appearance.SYSTEM)
        qapp.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
        assert current() == LIGHT
    finally:
        for item in qapp.findChildren(ThemeFollower):
            qapp.styleHints().colorSchemeChanged.disconnect(item.apply)
        follower.deleteLater()
        qapp.setStyle(style)
        qapp.setPalette(palette)
        qapp.setStyleSheet("")


def test_every_icon_meaning_has_a_glyph_and_paints(qapp: QApplication) -> None:
    from ui.theme.icons import NAMES, glyph, icon

    assert all(glyph(meaning) for meaning in NAMES)
    image = icon("refresh").pixmap(32, 32).toImage()
    painted = [image.pixelColor(x, y) for x in range(32) for y in range(32)]
    assert sum(c.alpha() > 0 for c in painted) > 50
    with pytest.raises(KeyError):
        icon("no-such-icon")


def test_icons_load_no_qtawesome_module(qapp: QApplication) -> None:
    import subprocess
    import sys

    code = ("import sys; from PySide6.QtWidgets import QApplication; app = QApplication([]);"
            "from ui.theme.icons import icon; icon('copy').pixmap(16, 16);"
            "print('qtawesome' in sys.modules, 'qtpy' in sys.modules)")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""})  # fmt: skip
    assert out.stdout.split() == ["False", "False"]

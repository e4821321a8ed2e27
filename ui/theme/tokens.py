"""Design tokens: the one place where govdesk's colours, type sizes, spacing and radii are written.

Everything else (the palette, the stylesheet, painted widgets) is built from these values, and no
view holds a colour literal (tests/ui/test_design_tokens.py scans ui/views for them). Colours are
*roles*, not hues: a view asks for ``danger`` or ``raised``, and light and dark each answer.

Pure Python on purpose: importing this module loads no Qt, so the tokens can be tested and
documented (docs/design.md) without a display.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import Enum


class Scheme(Enum):
    LIGHT = "light"
    DARK = "dark"


@dataclass(frozen=True)
class Colours:
    """The colour roles. ``*_soft`` are tinted backgrounds for callouts and chips."""

    surface: str  # window background
    raised: str  # cards, inputs, tables: one step above the surface
    sunken: str  # tracks of bars, code blocks
    border: str
    text: str
    muted: str  # secondary text: dates, counts, hints
    accent: str  # links, the current step, primary buttons, live votes
    on_accent: str  # text on an accent fill
    success: str
    warning: str
    danger: str
    accent_soft: str
    success_soft: str
    warning_soft: str
    danger_soft: str
    ideate: str  # the four pipeline phases, for the card stripe and the stepper
    offchain: str
    onchain: str
    execute: str

    def as_dict(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


LIGHT = Colours(
    surface="#f4f5f7",
    raised="#ffffff",
    sunken="#e7e9ee",
    border="#d5d9e0",
    text="#1b1f27",
    muted="#5d6675",
    accent="#3b5bdb",
    on_accent="#ffffff",
    success="#237032",
    warning="#a04f00",
    danger="#c92a2a",
    accent_soft="#e7ecff",
    success_soft="#e6f4ea",
    warning_soft="#fff1e0",
    danger_soft="#fdeaea",
    ideate="#7048e8",
    offchain="#d9480f",
    onchain="#1c7ed6",
    execute="#2b8a3e",
)

DARK = Colours(
    surface="#17191d",
    raised="#22252b",
    sunken="#2d3139",
    border="#3a3f48",
    text="#e8eaee",
    muted="#9aa3b2",
    accent="#7b93ff",
    on_accent="#0e1220",
    success="#51cf66",
    warning="#ffa94d",
    danger="#ff6b6b",
    accent_soft="#26304f",
    success_soft="#1d3324",
    warning_soft="#3a2a17",
    danger_soft="#3d1f22",
    ideate="#b197fc",
    offchain="#ff8a4c",
    onchain="#4dabf7",
    execute="#51cf66",
)

COLOURS = {Scheme.LIGHT: LIGHT, Scheme.DARK: DARK}


class Tone(Enum):
    """What a chip, callout or bar means; each tone maps to a colour role and its soft tint."""

    NEUTRAL = "muted"
    ACCENT = "accent"
    SUCCESS = "success"
    WARNING = "warning"
    DANGER = "danger"


def tone_colours(colours: Colours, tone: Tone) -> tuple[str, str]:
    """(foreground, soft background) for a tone."""
    if tone is Tone.NEUTRAL:
        return colours.muted, colours.sunken
    return getattr(colours, tone.value), getattr(colours, f"{tone.value}_soft")


@dataclass(frozen=True)
class TypeScale:
    """Point-size steps relative to the platform's UI font (which the person may have enlarged)."""

    caption: int = -2  # chip text, axis labels
    small: int = -1  # secondary lines on cards
    body: int = 0
    title: int = 2  # card titles, section headings
    heading: int = 5  # dialog and detail titles
    display: int = 9  # the one big number (a percentage) where there is one


@dataclass(frozen=True)
class Spacing:
    xs: int = 4
    sm: int = 8
    md: int = 12
    lg: int = 16
    xl: int = 24
    xxl: int = 32


@dataclass(frozen=True)
class Radii:
    sm: int = 4  # bars, inputs
    md: int = 8  # cards, callouts
    lg: int = 12  # dialogs' panels
    pill: int = 999  # chips


TYPE = TypeScale()
SPACE = Spacing()
RADIUS = Radii()

# Board cards: one column of cards per board column up to this width, then as many as fit.
CARD_MIN_WIDTH = 260
CARD_MAX_WIDTH = 420

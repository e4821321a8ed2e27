"""The QPalette and the application stylesheet, both built from the tokens (ui/theme/tokens.py).

The palette does most of the work (Fusion draws every standard widget from it); the stylesheet is
kept to property selectors (``[role="error"]``, ``[callout="warning"]``, ``[chip="accent"]``), so
it styles only the widgets that ask for it and costs little at start-up.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QStyleFactory

from ui.theme.tokens import COLOURS, RADIUS, SPACE, Colours, Scheme, Tone, tone_colours

_Role = QPalette.ColorRole
_Group = QPalette.ColorGroup


def _roles(c: Colours) -> dict[QPalette.ColorRole, str]:
    return {
        _Role.Window: c.surface,
        _Role.WindowText: c.text,
        _Role.Base: c.raised,
        _Role.AlternateBase: c.surface,
        _Role.ToolTipBase: c.raised,
        _Role.ToolTipText: c.text,
        _Role.PlaceholderText: c.muted,
        _Role.Text: c.text,
        _Role.Button: c.raised,
        _Role.ButtonText: c.text,
        _Role.BrightText: c.danger,
        _Role.Light: c.raised,
        _Role.Midlight: c.sunken,
        _Role.Mid: c.border,
        _Role.Dark: c.border,
        _Role.Shadow: c.sunken,
        _Role.Highlight: c.accent,
        _Role.HighlightedText: c.on_accent,
        _Role.Link: c.accent,
        _Role.LinkVisited: c.ideate,
        _Role.Accent: c.accent,
    }


def build_palette(scheme: Scheme) -> QPalette:
    colours = COLOURS[scheme]
    palette = QPalette(QStyleFactory.create("Fusion").standardPalette())
    for role, value in _roles(colours).items():
        palette.setColor(role, QColor(value))
    for role in (_Role.Text, _Role.WindowText, _Role.ButtonText):
        palette.setColor(_Group.Disabled, role, QColor(colours.muted))
    palette.setColor(_Group.Disabled, _Role.Base, QColor(colours.surface))
    palette.setColor(_Group.Disabled, _Role.Button, QColor(colours.surface))
    return palette


def build_stylesheet(scheme: Scheme) -> str:
    c = COLOURS[scheme]
    parts = [
        f'QLabel[role="error"] {{ color: {c.danger}; }}',
        f'QLabel[role="muted"] {{ color: {c.muted}; }}',
        f'QLabel[role="success"] {{ color: {c.success}; }}',
        f'QLabel[role="accent"] {{ color: {c.accent}; }}',
        f'QLabel[role="warning"] {{ color: {c.warning}; }}',
        f"QToolTip {{ color: {c.text}; background: {c.raised}; border: 1px solid {c.border};"
        f" padding: {SPACE.xs}px; }}",
        f'QFrame[card="true"] {{ background: {c.raised}; border: 1px solid {c.border};'
        f" border-radius: {RADIUS.md}px; }}",
        'QFrame[card="true"] QLabel { background: transparent; border: none; }',
        f'QFrame[facts="true"] {{ background: {c.raised}; border: 1px solid {c.border};'
        f" border-radius: {RADIUS.md}px; }}",
        'QFrame[facts="true"] QLabel { background: transparent; border: none; }',
        f'QPushButton[flat-link="true"] {{ border: none; color: {c.accent}; padding: 0 2px; }}',
        f'QPushButton[primary="true"] {{ background: {c.accent}; color: {c.on_accent};'
        f" border: none; border-radius: {RADIUS.sm}px; padding: {SPACE.xs + 2}px {SPACE.lg}px; }}",
        f'QPushButton[primary="true"]:disabled {{ background: {c.sunken}; color: {c.muted}; }}',
    ]
    for tone in Tone:
        fg, bg = tone_colours(c, tone)
        parts.append(
            f'QFrame[callout="{tone.value}"] {{ background: {bg}; border: 1px solid {fg};'
            f" border-radius: {RADIUS.md}px; }}"
        )
        parts.append(
            f'QFrame[callout="{tone.value}"] QLabel {{ color: {c.text}; background: transparent;'
            " border: none; }"
        )
        parts.append(
            f'QLabel[banner="{tone.value}"] {{ color: {c.text}; background: {bg};'
            f" border: 1px solid {fg}; border-radius: {RADIUS.sm}px; padding: {SPACE.sm}px; }}"
        )
        parts.append(
            f'QLabel[chip="{tone.value}"] {{ color: {fg}; background: {bg};'
            f" border-radius: {RADIUS.sm + 4}px; padding: 1px {SPACE.sm}px; }}"
        )
    return "\n".join(parts)

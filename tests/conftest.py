"""Shared test fixtures: nothing global, everything injected."""

from __future__ import annotations

import os

# Qt must never need a display in tests; screenshots use Xvfb explicitly (scripts/screenshots).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

"""Fixtures for the tally tests: one snapshot.js reference process per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.app.tally.reference import ReferenceTally


@pytest.fixture(scope="session")
def snapshot_js() -> Iterator[ReferenceTally]:
    reference = ReferenceTally()
    yield reference
    reference.close()

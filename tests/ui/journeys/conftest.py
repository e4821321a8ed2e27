"""Fixtures the devnet journeys share: one alpha devnet per module, reverted after each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.devnet.network import Devnet


@pytest.fixture(scope="module")
def alpha() -> Iterator[Devnet]:
    with Devnet(stacks=("alpha",)) as devnet:
        yield devnet


@pytest.fixture
def seeded(alpha: Devnet) -> Iterator[Devnet]:
    snapshot = alpha.control.snapshot()
    try:
        yield alpha
    finally:
        alpha.control.revert(snapshot)

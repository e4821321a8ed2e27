"""Integration fixtures: one real anvil devnet with every governance stack, shared by the session.

- ``devnet``: started once per session (all stacks deployed), stopped at the end even when tests
  fail or the run is interrupted.
- ``isolated_devnet``: the same devnet, with its chain state snapshotted before the test and
  reverted after it, so proposals, votes, mined blocks and moved time don't leak between tests.
- ``w3``: a sync web3 connected to the devnet (plain calls; the app core uses AsyncWeb3).

A test that changes chain state (sends transactions, mines, moves time) must use
``isolated_devnet``: other tests rely on the deployed balances and delegations. The stacks'
addresses are in ``devnet.stack(name)``, their settings in ``app.devnet.deploy.STACK_PARAMS``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from web3 import Web3

from app.devnet.deploy import STACK_NAMES
from app.devnet.network import Devnet


@pytest.fixture(scope="session")
def devnet() -> Iterator[Devnet]:
    with Devnet(stacks=STACK_NAMES) as net:
        yield net


@pytest.fixture
def isolated_devnet(devnet: Devnet) -> Iterator[Devnet]:
    snapshot = devnet.control.snapshot()
    try:
        yield devnet
    finally:
        devnet.control.revert(snapshot)


@pytest.fixture(scope="session")
def w3(devnet: Devnet) -> Web3:
    return Web3(Web3.HTTPProvider(devnet.rpc_url, request_kwargs={"timeout": 30}))

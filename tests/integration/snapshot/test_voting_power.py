"""Voting power from the devnet chain for every deployed stack's token, at a past snapshot block
(final) and at the latest block (pending), as the local hub computes it."""

from __future__ import annotations

import pytest

from app.devnet.hub import ChainVotingPower, token_space
from app.devnet.network import Devnet

pytestmark = pytest.mark.integration

SUPPLY = {"oz": 1_000_000, "oz-timestamp": 1_000_000, "bravo": 1_000_000, "alpha": 250_000_000}
METHOD = {
    "oz": "getPastVotes",
    "oz-timestamp": "getPastVotes",
    "bravo": "getPriorVotes",
    "alpha": "getPriorVotes",
}


@pytest.mark.parametrize("stack", sorted(SUPPLY))
def test_voting_power_per_stack(devnet: Devnet, stack: str) -> None:
    deployed = devnet.stack(stack)
    space = token_space(
        "s.eth",
        deployed["token"],
        chain_id=devnet.chain_id,
        method=METHOD[stack],
        clock=deployed["clock"],
    )
    power = ChainVotingPower(devnet.rpc_url)
    snapshot = devnet.control.block_number()
    devnet.control.increase_time(2)  # mines a later block, two seconds on
    holder, idle = devnet.accounts[1].address, devnet.accounts[9].address
    past = power.voting_power(holder, space.strategies, snapshot)
    assert (past.vp, past.vp_by_strategy, past.vp_state) == (
        SUPPLY[stack] * 0.25,
        (SUPPLY[stack] * 0.25,),
        "final",
    )
    latest = power.voting_power(holder, space.strategies, None)
    assert (latest.vp, latest.vp_state) == (SUPPLY[stack] * 0.25, "pending")
    assert power.voting_power(idle, space.strategies, snapshot).vp == 0.0  # never delegated
    balance = token_space("b.eth", deployed["token"], chain_id=devnet.chain_id, method="balanceOf")
    assert power.voting_power(idle, balance.strategies, snapshot).vp == SUPPLY[stack] * 0.002

"""A local Snapshot-compatible hub for the devnet: sequencer ingest (``POST /``) with the
sequencer's checks and error strings, GraphQL reads (``POST /graphql``), voting power read from
the devnet chain, and scores from govdesk's tally engine.

Start it from Python with ``start_hub(rpc_url, token, ...)`` or ``LocalHub(spaces, power)``, or
from a shell with ``python -m app.devnet.hub --rpc URL --token ADDR``.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.devnet.hub.config import (
    CONSENSUS_CHECK,
    TEMPERATURE_CHECK,
    SpaceConfig,
    delegation_space,
    load_spaces,
    space_from_dict,
    token_space,
)
from app.devnet.hub.server import LocalHub
from app.devnet.hub.voting_power import ChainVotingPower, FixedVotingPower, VotingPower

DEFAULT_SPACE = "govdesk.eth"

__all__ = [
    "CONSENSUS_CHECK",
    "DEFAULT_SPACE",
    "TEMPERATURE_CHECK",
    "ChainVotingPower",
    "FixedVotingPower",
    "LocalHub",
    "SpaceConfig",
    "VotingPower",
    "delegation_space",
    "load_spaces",
    "space_from_dict",
    "start_hub",
    "token_space",
]


def start_hub(
    rpc_url: str,
    token: str,
    *,
    chain_id: int,
    method: str = "getPastVotes",
    space_id: str = DEFAULT_SPACE,
    extra_spaces: Sequence[SpaceConfig] = (),
    port: int = 0,
    db_path: str = ":memory:",
) -> LocalHub:
    """A started hub with one space whose voting power is ``token``'s votes on the devnet."""
    space = token_space(space_id, token, chain_id=chain_id, method=method, name="govdesk devnet")
    hub = LocalHub([space, *extra_spaces], ChainVotingPower(rpc_url), port=port, db_path=db_path)
    return hub.start()

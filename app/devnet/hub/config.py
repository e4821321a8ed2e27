"""Space configuration for the local hub: a small JSON-compatible description per space.

Example::

    {"id": "btrst.eth", "name": "Braintrust", "network": "31337", "symbol": "BTRST",
     "strategies": [{"name": "erc20-votes", "network": "31337",
                     "params": {"address": "0x...", "method": "getPriorVotes", "decimals": 18}}],
     "voting_types": ["single-choice", "basic"], "admins": ["0x..."],
     "title_prefixes": ["[Temperature Check]", "[Consensus Check]"]}
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.errors import ConfigError
from app.snapshot.choices import VOTING_TYPES

TEMPERATURE_CHECK = "[Temperature Check]"
CONSENSUS_CHECK = "[Consensus Check]"


@dataclass(frozen=True)
class SpaceConfig:
    """One space the local hub serves."""

    id: str
    name: str
    network: str
    strategies: tuple[dict[str, Any], ...] = field(hash=False)
    symbol: str = "VOTE"
    voting_types: tuple[str, ...] = VOTING_TYPES
    admins: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    only_members: bool = False
    title_prefixes: tuple[str, ...] = ()
    voting_delay: int = 0
    voting_period: int = 0

    def can_propose(self, address: str) -> bool:
        return not self.only_members or address in self.admins or address in self.members

    def to_graphql(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "network": self.network,
            "symbol": self.symbol,
            "strategies": [_strategy_out(s, self.network) for s in self.strategies],
            "admins": list(self.admins),
            "members": list(self.members),
            "moderators": [],
            "filters": {"minScore": 0, "onlyMembers": self.only_members},
            "voting": {
                "delay": self.voting_delay or None,
                "period": self.voting_period or None,
                "type": self.voting_types[0] if len(self.voting_types) == 1 else None,
            },
            "votingTypes": list(self.voting_types),
        }


def _strategy_out(strategy: Mapping[str, Any], network: str) -> dict[str, Any]:
    return {
        "name": strategy["name"],
        "network": strategy.get("network", network),
        "params": strategy.get("params", {}),
    }


def _tuple(value: Any, name: str) -> tuple[Any, ...]:
    if value is None:
        return ()
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise ConfigError(f"Space setting {name!r} must be a list.")
    return tuple(value)


def space_from_dict(raw: Mapping[str, Any]) -> SpaceConfig:
    try:
        space = SpaceConfig(
            id=str(raw["id"]),
            name=str(raw.get("name", raw["id"])),
            network=str(raw.get("network", "31337")),
            strategies=tuple(dict(s) for s in _tuple(raw.get("strategies"), "strategies")),
            symbol=str(raw.get("symbol", "VOTE")),
            voting_types=_tuple(raw.get("voting_types"), "voting_types") or VOTING_TYPES,
            admins=_tuple(raw.get("admins"), "admins"),
            members=_tuple(raw.get("members"), "members"),
            only_members=bool(raw.get("only_members", False)),
            title_prefixes=_tuple(raw.get("title_prefixes"), "title_prefixes"),
            voting_delay=int(raw.get("voting_delay", 0)),
            voting_period=int(raw.get("voting_period", 0)),
        )
    except KeyError as exc:
        raise ConfigError(f"A space in the hub configuration has no {exc.args[0]!r}.") from exc
    unknown = set(space.voting_types) - set(VOTING_TYPES)
    if unknown:
        raise ConfigError(f"Space {space.id}: unknown voting types {sorted(unknown)}.")
    return space


def load_spaces(path: Path) -> list[SpaceConfig]:
    """Spaces from a JSON file holding a list of space objects."""
    try:
        raw = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"Cannot read the hub space configuration {path}.", detail=str(exc)
        ) from exc
    if not isinstance(raw, list):
        raise ConfigError(f"{path} must hold a JSON list of spaces.")
    return [space_from_dict(item) for item in raw]


def token_space(
    space_id: str,
    token: str,
    *,
    chain_id: int,
    method: str = "getPastVotes",
    clock: str = "blocknumber",
    **extra: Any,
) -> SpaceConfig:
    """A space whose voting power is the votes (or balance) of one token on the devnet chain.

    ``clock`` is the token's ERC-6372 clock: "blocknumber", or "timestamp" (the devnet's
    ``oz-timestamp`` stack), in which case past votes are read at the snapshot block's time.
    """
    strategy = {
        "name": "erc20-votes",
        "network": str(chain_id),
        "params": {"address": token, "method": method, "decimals": 18, "clock": clock},
    }
    return space_from_dict(
        {"id": space_id, "network": str(chain_id), "strategies": [strategy], **extra}
    )

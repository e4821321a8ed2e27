"""Space configuration for the local hub: the real space settings the sequencer enforces.

Example (keys as in a Snapshot space's settings, flattened)::

    {"id": "btrst.eth", "name": "Braintrust", "network": "31337", "symbol": "BTRST",
     "strategies": [{"name": "erc20-votes", "network": "31337",
                     "params": {"address": "0x...", "method": "getPriorVotes", "decimals": 18}}],
     "admins": ["0x..."], "moderators": [], "members": [],
     "voting": {"delay": 3600, "period": 259200, "type": "single-choice", "privacy": "",
                "quorum": 0, "quorumType": "default", "hideAbstain": false, "blind": false},
     "filters": {"minScore": 0, "onlyMembers": false},
     "validation": {"name": "basic", "params": {}},
     "voteValidation": {"name": "any", "params": {}},
     "tier": "default"}

The older flat keys (``voting_delay``, ``voting_period``, ``voting_types`` with one entry,
``only_members``) are still read.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from app.domain.voting import ALL_TYPES
from app.errors import ConfigError

TEMPERATURE_CHECK = "[Temperature Check]"
CONSENSUS_CHECK = "[Consensus Check]"


@dataclass(frozen=True)
class SpaceLimits:
    """Per-tier limits (snapshot-sequencer ``helpers/limits.ts``; values from its test fixtures)."""

    proposals_per_day: int
    proposals_per_month: int
    body_limit: int
    choices_limit: int
    active_per_author: int = 20


TIERS: Final = {
    "default": SpaceLimits(10, 150, 10_000, 20),
    "verified": SpaceLimits(20, 100, 10_000, 20),
    "turbo": SpaceLimits(40, 200, 40_000, 1_000),
    "flagged": SpaceLimits(5, 7, 10_000, 20),
    # Not a Snapshot tier: the devnet's own spaces, where a session creates many proposals.
    "devnet": SpaceLimits(100_000, 1_000_000, 40_000, 1_000, active_per_author=100_000),
}


@dataclass(frozen=True)
class SpaceConfig:
    """One space the local hub serves."""

    id: str
    name: str
    network: str
    strategies: tuple[dict[str, Any], ...] = field(hash=False)
    symbol: str = "VOTE"
    admins: tuple[str, ...] = ()
    moderators: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    only_members: bool = False
    min_score: float = 0.0
    validation: dict[str, Any] = field(default_factory=lambda: {"name": "basic", "params": {}})
    vote_validation: dict[str, Any] = field(default_factory=lambda: {"name": "any", "params": {}})
    voting_delay: int = 0
    voting_period: int = 0
    voting_type: str = ""  # "": any type
    privacy: str = ""  # "", "any" or "shutter"
    quorum: float = 0.0
    quorum_type: str = "default"
    hide_abstain: bool = False
    blind: bool = False
    tier: str = "default"
    hibernated: bool = False

    @property
    def limits(self) -> SpaceLimits:
        return TIERS[self.tier]

    def is_author(self, address: str) -> bool:
        """Members, admins and moderators (compared case-insensitively, as the sequencer does)."""
        wanted = address.lower()
        return any(a.lower() == wanted for a in (*self.members, *self.admins, *self.moderators))

    def is_moderator(self, address: str) -> bool:
        wanted = address.lower()
        return any(a.lower() == wanted for a in (*self.admins, *self.moderators))

    def to_graphql(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "network": self.network,
            "symbol": self.symbol,
            "strategies": [_strategy_out(s, self.network) for s in self.strategies],
            "admins": list(self.admins),
            "members": list(self.members),
            "moderators": list(self.moderators),
            "filters": {"minScore": self.min_score, "onlyMembers": self.only_members},
            "validation": _validation_out(self.validation),
            "voteValidation": _validation_out(self.vote_validation),
            "voting": {
                "delay": self.voting_delay or None,
                "period": self.voting_period or None,
                "type": self.voting_type or None,
                "privacy": self.privacy or None,
                "quorum": self.quorum or None,
                "quorumType": self.quorum_type,
                "hideAbstain": self.hide_abstain,
                "blind": self.blind,
                "aliased": False,
            },
            "verified": self.tier == "verified",
            "turbo": self.tier == "turbo",
            "flagged": self.tier == "flagged",
            "hibernated": self.hibernated,
        }


def _validation_out(validation: Mapping[str, Any]) -> dict[str, Any]:
    return {"name": str(validation.get("name") or "any"), "params": validation.get("params") or {}}


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


def _voting_type(raw: Mapping[str, Any], voting: Mapping[str, Any]) -> str:
    if voting.get("type"):
        return str(voting["type"])
    legacy = _tuple(raw.get("voting_types"), "voting_types")
    return str(legacy[0]) if len(legacy) == 1 else ""


def space_from_dict(raw: Mapping[str, Any]) -> SpaceConfig:
    try:
        voting = dict(raw.get("voting") or {})
        filters = dict(raw.get("filters") or {})
        space = SpaceConfig(
            id=str(raw["id"]),
            name=str(raw.get("name", raw["id"])),
            network=str(raw.get("network", "31337")),
            strategies=tuple(dict(s) for s in _tuple(raw.get("strategies"), "strategies")),
            symbol=str(raw.get("symbol", "VOTE")),
            admins=_tuple(raw.get("admins"), "admins"),
            moderators=_tuple(raw.get("moderators"), "moderators"),
            members=_tuple(raw.get("members"), "members"),
            only_members=bool(filters.get("onlyMembers", raw.get("only_members", False))),
            min_score=float(filters.get("minScore") or 0),
            validation=dict(raw.get("validation") or {"name": "basic", "params": {}}),
            vote_validation=dict(raw.get("voteValidation") or {"name": "any", "params": {}}),
            voting_delay=int(voting.get("delay") or raw.get("voting_delay", 0) or 0),
            voting_period=int(voting.get("period") or raw.get("voting_period", 0) or 0),
            voting_type=_voting_type(raw, voting),
            privacy=str(voting.get("privacy") or ""),
            quorum=float(voting.get("quorum") or 0),
            quorum_type=str(voting.get("quorumType") or "default"),
            hide_abstain=bool(voting.get("hideAbstain", False)),
            blind=bool(voting.get("blind", False)),
            tier=str(raw.get("tier", "default")),
            hibernated=bool(raw.get("hibernated", False)),
        )
    except KeyError as exc:
        raise ConfigError(f"A space in the hub configuration has no {exc.args[0]!r}.") from exc
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"A space in the hub configuration is malformed: {exc}.") from exc
    if space.voting_type and space.voting_type not in ALL_TYPES:
        raise ConfigError(f"Space {space.id}: unknown voting type {space.voting_type!r}.")
    if space.tier not in TIERS:
        raise ConfigError(f"Space {space.id}: unknown tier {space.tier!r} (use {sorted(TIERS)}).")
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


def delegation_space(space_id: str, token: str, *, chain_id: int, **extra: Any) -> SpaceConfig:
    """A space counting Snapshot delegations, as delegation spaces on snapshot.org are set up:
    each holder's own token balance, plus (``delegation``) the balances of whoever delegates to
    them on this space or on every space in the Delegate Registry."""
    balance = {
        "name": "erc20-votes",
        "network": str(chain_id),
        "params": {"address": token, "method": "balanceOf", "decimals": 18},
    }
    delegated = {
        "name": "delegation",
        "network": str(chain_id),
        "params": {"symbol": "VOTE (delegated)", "strategies": [balance]},
    }
    return space_from_dict(
        {"id": space_id, "network": str(chain_id), "strategies": [balance, delegated], **extra}
    )

"""Voting power for the local hub, read from the devnet chain at a proposal's snapshot block.

Strategy ``erc20-votes`` (our devnet's stand-in for score-api's erc20 strategies) reads
``params.method`` of ``params.address``: ``balanceOf``, ``getPastVotes`` (OpenZeppelin Votes;
with ``params.clock = "timestamp"`` for ERC-6372 timestamp tokens) or ``getPriorVotes``
(Compound/GovernorAlpha), divided by ``10**decimals``. A snapshot that is not yet in the past
is read at the latest block (score-api's "pending" state), using the current-votes getter,
because the past-votes getters refuse the current timepoint.

Strategy ``delegation`` (score-api's, params ``{"symbol", "strategies": [...]}``) gives a delegate
the sub-strategy scores of whoever delegates to it on the space in the devnet's Delegate Registry
(``app.devnet.hub.delegation``). Its result depends on the space and on which addresses are
scored together, hence ``space`` and ``scored``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from web3 import Web3

from app.devnet.hub.delegation import DELEGATION, delegators_by_delegate, registry_state
from app.errors import ConfigError, NetworkError

_CURRENT_GETTER = {"getPastVotes": "getVotes", "getPriorVotes": "getCurrentVotes"}
_METHODS = ("balanceOf", "getPastVotes", "getPriorVotes")


@dataclass(frozen=True)
class VotingPower:
    vp: float
    vp_by_strategy: tuple[float, ...]
    vp_state: str  # "final" when the snapshot block is mined, else "pending"


class VotingPowerSource(Protocol):
    def voting_power(
        self,
        address: str,
        strategies: Sequence[Mapping[str, Any]],
        snapshot: int | None,
        *,
        space: str = "",
        scored: Collection[str] = (),
    ) -> VotingPower:
        """``address``'s power on ``space``, scored together with ``scored`` (the other voters,
        when the sequencer rescores a proposal; score-api's ``addresses``)."""
        ...

    def latest_block(self) -> int: ...


def _abi(name: str, *, with_timepoint: bool) -> list[dict[str, Any]]:
    inputs = [{"name": "account", "type": "address"}]
    if with_timepoint:
        inputs.append({"name": "timepoint", "type": "uint256"})
    return [
        {
            "name": name,
            "type": "function",
            "stateMutability": "view",
            "inputs": inputs,
            "outputs": [{"name": "", "type": "uint256"}],
        }
    ]


def _fold(values: Sequence[float]) -> float:
    total = 0.0
    for value in values:  # left fold, as score-api does
        total += value
    return total


@dataclass(frozen=True)
class _At:
    """Where a score is read: the space, the snapshot block and the chain's latest block."""

    space: str
    block: int
    latest: int


class ChainVotingPower:
    """Reads token votes or balances from an RPC endpoint (the devnet's anvil)."""

    def __init__(self, rpc_url: str) -> None:
        self._w3 = Web3(Web3.HTTPProvider(rpc_url, request_kwargs={"timeout": 10}))

    def latest_block(self) -> int:
        try:
            return int(self._w3.eth.block_number)
        except Exception as exc:  # any RPC failure is reported the same way
            raise NetworkError("The devnet chain does not answer.", detail=str(exc)) from exc

    def _timepoint(self, params: Mapping[str, Any], block: int) -> int:
        """The block number, or its timestamp for tokens on a timestamp clock (ERC-6372)."""
        if params.get("clock") == "timestamp":
            return int(self._w3.eth.get_block(block)["timestamp"])
        return block

    def _call(self, token: str, name: str, args: list[Any], block: int | str) -> int:
        abi = _abi(name, with_timepoint=len(args) == 2)
        contract = self._w3.eth.contract(address=Web3.to_checksum_address(token), abi=abi)
        return int(contract.get_function_by_name(name)(*args).call(block_identifier=block))

    def _read(self, strategy: Mapping[str, Any], address: str, block: int, latest: int) -> float:
        params = strategy.get("params") or {}
        method = str(params.get("method", "balanceOf"))
        if method not in _METHODS:
            raise ConfigError(f"Unknown voting-power method {method!r} (use one of {_METHODS}).")
        token, scale = str(params["address"]), 10 ** int(params.get("decimals", 18))
        if method == "balanceOf":
            raw = self._call(token, method, [address], "latest" if block >= latest else block)
            return float(raw / scale)
        timepoint, now = self._timepoint(params, block), self._timepoint(params, latest)
        if timepoint >= now:
            return float(self._call(token, _CURRENT_GETTER[method], [address], "latest") / scale)
        return float(self._call(token, method, [address, timepoint], "latest") / scale)

    def _delegated(
        self, strategy: Mapping[str, Any], address: str, at: _At, scored: Collection[str]
    ) -> float:
        subs = (strategy.get("params") or {}).get("strategies") or []
        if not subs:
            raise ConfigError("The delegation strategy needs its own params.strategies.")
        if not at.space:
            raise ConfigError("The delegation strategy is scored for a space; none was given.")
        state = registry_state(self._w3, min(at.block, at.latest))
        found = delegators_by_delegate(state, at.space, [address, *scored])
        total = 0.0
        for lower in found.get(address.lower(), []):  # score-api's fold order
            delegator = Web3.to_checksum_address(lower)
            total += _fold([self._read(s, delegator, at.block, at.latest) for s in subs])
        return total

    def _score(
        self, strategy: Mapping[str, Any], address: str, at: _At, scored: Collection[str]
    ) -> float:
        if strategy.get("name") == DELEGATION:
            return self._delegated(strategy, address, at, scored)
        return self._read(strategy, address, at.block, at.latest)

    def voting_power(
        self,
        address: str,
        strategies: Sequence[Mapping[str, Any]],
        snapshot: int | None,
        *,
        space: str = "",
        scored: Collection[str] = (),
    ) -> VotingPower:
        latest = self.latest_block()
        block = latest if snapshot is None else snapshot
        at = _At(space, block, latest)
        try:
            scores = tuple(self._score(s, address, at, scored) for s in strategies)
        except (ConfigError, NetworkError):
            raise
        except Exception as exc:  # contract reverts and RPC errors alike
            raise NetworkError("Voting power could not be read.", detail=str(exc)) from exc
        return VotingPower(_fold(scores), scores, "final" if block < latest else "pending")


class FixedVotingPower:
    """Voting power from a table; for unit tests of the hub's rules without a chain."""

    def __init__(self, table: Mapping[str, float], block: int = 1) -> None:
        self._table = dict(table)
        self.block = block

    def latest_block(self) -> int:
        return self.block

    def voting_power(
        self,
        address: str,
        strategies: Sequence[Mapping[str, Any]],
        snapshot: int | None,
        *,
        space: str = "",
        scored: Collection[str] = (),
    ) -> VotingPower:
        vp = float(self._table.get(address, 0.0))
        return VotingPower(vp, (vp,), "final")

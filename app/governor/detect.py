"""Find out what a governor is from the chain: family, clock, counting, quorum, timelock, token.

Nothing is hard-coded per deployment. One multicall probes the governor with calls that only some
families answer; a second reads the timelock and token. Order of the family rules: a
``COUNTING_MODE()`` means OpenZeppelin (v5 when its ballot typehash carries voter and nonce);
otherwise ``BALLOT_TYPEHASH()`` tells Alpha (``bool support``) from Bravo (``uint8 support``).
The family's adapter (``app.governor.families``) is chosen here, once.

The voting token is found by interface, not by getter name (``app.governor.token_lookup``): the
organisation's own token when it is known, else the known getters (``token()``, ``comp()``,
``BTRST()``), else any zero-argument getter of the governor whose answer is a contract that
answers ``getPriorVotes``/``getPastVotes``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eth_utils.address import to_checksum_address

from app.chain.abi_codec import Function, checksum_address
from app.chain.multicall import Call, CallResult, Multicall
from app.chain.rpc import RpcClient
from app.governor import contract_interface as abi
from app.governor.errors import NotAGovernorError
from app.governor.model import (
    ClockMode,
    Eip712Domain,
    GovernorFamily,
    GovernorInfo,
    TimelockKind,
    TokenInfo,
)
from app.governor.token_lookup import TOKEN_GETTERS, find_token

ZERO = "0x0000000000000000000000000000000000000000"
Spec = Sequence[tuple[str, Function, tuple[Any, ...]]]
_GOVERNOR_PROBES: Spec = (
    ("name", abi.NAME, ()),
    ("clock_mode", abi.CLOCK_MODE, ()),
    ("clock", abi.CLOCK, ()),
    ("counting_mode", abi.COUNTING_MODE, ()),
    ("ballot", abi.BALLOT_TYPEHASH, ()),
    ("domain", abi.EIP712_DOMAIN, ()),
    ("delay", abi.VOTING_DELAY, ()),
    ("period", abi.VOTING_PERIOD, ()),
    ("threshold", abi.PROPOSAL_THRESHOLD, ()),
    ("quorum_votes", abi.QUORUM_VOTES, ()),
    ("timelock", abi.TIMELOCK, ()),
    *((f"getter:{f.signature}", f, ()) for f in TOKEN_GETTERS),
    ("count", abi.PROPOSAL_COUNT, ()),
    ("needs_queuing", abi.PROPOSAL_NEEDS_QUEUING, (0,)),
)
_TIMELOCK_PROBES: Spec = (
    ("min_delay", abi.GET_MIN_DELAY, ()),
    ("comp_delay", abi.DELAY, ()),
    ("grace", abi.GRACE_PERIOD, ()),
)
_TOKEN_PROBES: Spec = (
    ("token_name", abi.NAME, ()),
    ("symbol", abi.SYMBOL, ()),
    ("decimals", abi.DECIMALS, ()),
    ("token_domain", abi.EIP712_DOMAIN, ()),
    ("delegation_typehash", abi.DELEGATION_TYPEHASH, ()),
    ("current_votes", abi.GET_CURRENT_VOTES, (ZERO,)),
)


class _Probe:
    """Decoded answers to probe calls; a failed or undecodable call reads as None."""

    def __init__(self) -> None:
        self._values: dict[str, Any] = {}

    def add(self, spec: Spec, results: Sequence[CallResult]) -> None:
        for (key, function, _), result in zip(spec, results, strict=True):
            self._values[key] = _decode(function, result)

    def __getitem__(self, key: str) -> Any:
        return self._values.get(key)


def _decode(function: Function, result: CallResult) -> Any:
    if not result.success or not result.data:
        return None
    try:
        values = function.decode(result.data)
    except Exception:  # noqa: BLE001 - a probe answered with another shape: not this function
        return None
    return values[0] if len(values) == 1 else values


async def _probe(multicall: Multicall, rounds: Sequence[tuple[str, Spec]]) -> _Probe:
    """Run every (target, spec) round in one multicall batch."""
    calls = [Call(t, f.encode(*args)) for t, spec in rounds for _, f, args in spec]
    results = await multicall.run(calls)
    probe = _Probe()
    offset = 0
    for _, spec in rounds:
        probe.add(spec, results[offset : offset + len(spec)])
        offset += len(spec)
    return probe


def family_from_probe(probe: _Probe) -> GovernorFamily:
    ballot = probe["ballot"]
    if probe["counting_mode"] is not None:
        if ballot == abi.BALLOT_V5 or (ballot is None and probe["needs_queuing"] is not None):
            return GovernorFamily.OZ_V5
        return GovernorFamily.OZ_V4
    if ballot == abi.BALLOT_BOOL:
        return GovernorFamily.ALPHA
    if ballot == abi.BALLOT_UINT8:
        return GovernorFamily.BRAVO
    raise NotAGovernorError(
        "This address does not look like a Governor (OpenZeppelin, Bravo or Alpha)."
    )


async def detect_governor(
    rpc: RpcClient, multicall: Multicall, address: str, *, token: str | None = None
) -> GovernorInfo:
    """Read everything the client needs to know about the governor at ``address``.

    ``token`` is the voting token when the organisation knows it; otherwise it is found.
    """
    address = checksum_address(address, "governor address")
    code = await rpc.request("eth_getCode", [address, "latest"])
    if code in (None, "0x", "0x0"):
        raise NotAGovernorError(f"There is no contract at {address} on chain {rpc.chain_id}.")
    probe = await _probe(multicall, [(address, _GOVERNOR_PROBES)])
    family = family_from_probe(probe)
    adapter = family.adapter
    timelock = probe["timelock"]
    known = [probe[f"getter:{f.signature}"] for f in TOKEN_GETTERS]
    token_address = await find_token(
        multicall, address, str(code), token=token, named=known, not_token=timelock
    )
    rounds: list[tuple[str, Spec]] = [(token_address, _TOKEN_PROBES)]
    if timelock:
        rounds.append((timelock, _TIMELOCK_PROBES))
    quorum_calls = adapter.quorum_probe(address, probe["clock"])
    if quorum_calls:
        rounds.append((address, quorum_calls))
    details = await _probe(multicall, rounds)
    return GovernorInfo(
        address=address,
        chain_id=rpc.chain_id,
        family=family,
        name=str(probe["name"] or ""),
        clock_mode=_clock_mode(probe["clock_mode"]),
        counting_mode=adapter.counting_mode(probe),
        voting_delay=int(probe["delay"] or 0),
        voting_period=int(probe["period"] or 0),
        proposal_threshold=int(probe["threshold"] or 0),
        quorum=adapter.quorum(probe, details),
        timelock=_checksum(timelock) if timelock else None,
        timelock_kind=_timelock_kind(details),
        timelock_delay=int(details["min_delay"] or details["comp_delay"] or 0),
        grace_period=None if details["grace"] is None else int(details["grace"]),
        domain=_domain(probe["domain"], probe["name"], rpc.chain_id, address),
        token=_token_info(details, token_address, rpc.chain_id),
    )


def _clock_mode(mode: str | None) -> ClockMode:
    return ClockMode.TIMESTAMP if mode and "mode=timestamp" in mode else ClockMode.BLOCKNUMBER


def _timelock_kind(details: _Probe) -> TimelockKind:
    if details["min_delay"] is not None:
        return TimelockKind.CONTROLLER
    if details["comp_delay"] is not None:
        return TimelockKind.COMPOUND
    return TimelockKind.NONE


def _domain(raw: Any, name: Any, chain_id: int, address: str) -> Eip712Domain:
    if raw is not None:
        _, d_name, d_version, d_chain, d_contract, _, _ = raw
        return Eip712Domain(str(d_name), str(d_version), int(d_chain), _checksum(d_contract))
    return Eip712Domain(str(name or ""), None, chain_id, address)


def _token_info(details: _Probe, token: str, chain_id: int) -> TokenInfo:
    comp_style = details["current_votes"] is not None
    domain = details["token_domain"]
    has_by_sig = domain is not None or details["delegation_typehash"] is not None
    return TokenInfo(
        address=_checksum(token),
        name=str(details["token_name"] or ""),
        symbol=str(details["symbol"] or ""),
        decimals=int(details["decimals"] if details["decimals"] is not None else 18),
        comp_style=comp_style,
        has_delegate_by_sig=has_by_sig,
        domain=(
            _domain(domain, details["token_name"], chain_id, _checksum(token))
            if has_by_sig
            else None
        ),
    )


def _checksum(address: str) -> str:
    return str(to_checksum_address(address))

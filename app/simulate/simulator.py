"""Run a proposal's actions on a ``ForkedChain`` and turn what happened into a ``Simulation``.

Synchronous (it drives the blocking EVM); ``app.simulate.runner`` calls it in a worker thread.
Order: mark the state, run every action as the executor (stopping at the first revert, as the
real ``execute`` would), read the state after, rewind to the state before and read it again,
then compare the two.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from eth_utils.address import to_checksum_address

from app.chain.abi_codec import fn
from app.chain.revert import ErrorRegistry
from app.errors import AppError
from app.governor.actions import default_decoder
from app.simulate import contracts, events
from app.simulate.engine import ForkedChain, RawCall, RawLog
from app.simulate.labels import Labels, TokenMeta
from app.simulate.model import (
    BalanceChange,
    CallEffect,
    CallStatus,
    ProposalCall,
    Simulation,
    SlotChange,
    ValueChange,
)
from app.simulate.risks import risk_notes
from app.simulate.units import format_amount

ZERO = "0x" + "0" * 40
_BALANCE_OF = fn("balanceOf(address)", "uint256")
_SYMBOL = fn("symbol()", "string")
_DECIMALS = fn("decimals()", "uint8")
Step = Callable[[int, int, str], None]  # (done, total, what is happening), from the worker


class SimulationCancelledError(AppError):
    """The person cancelled the simulation."""


@dataclass(frozen=True)
class Setting:
    """Who is who for one simulation."""

    chain_id: int
    executor: str
    executor_label: str = "Timelock"
    names: tuple[tuple[str, str], ...] = ()  # (address, label): governor, token, …
    token: str | None = None  # the governance token: its treasury balance is always shown
    watch: tuple[str, ...] = ()  # more holders whose balances to show (e.g. a treasury)
    treasury_share: float = 0.10  # outflows above this share of the balance get a risk note


@dataclass
class _Run:
    """What the actions did, collected while they run."""

    raws: list[RawCall] = field(default_factory=list)
    writes_by_call: list[set[tuple[str, int]]] = field(default_factory=list)
    decoded: list[list[tuple[RawLog, events.DecodedEvent]]] = field(default_factory=list)


def simulate_on(
    chain: ForkedChain,
    calls: Sequence[ProposalCall],
    setting: Setting,
    errors: ErrorRegistry,
    *,
    step: Step,
    cancelled: Callable[[], bool],
) -> Simulation:
    started = time.perf_counter()
    labels = Labels()
    labels.name(setting.executor, setting.executor_label)
    for address, label in setting.names:
        labels.name(address, label)
    chain.mark()
    run = _run_actions(chain, calls, step, cancelled)
    completed = len(run.raws) == len(calls) and all(r.success for r in run.raws)
    step(len(calls), len(calls), "Reading what changed")
    touched = _touched(calls, run)
    known = _recognise(chain, touched, labels)
    tokens = _tokens(run, setting)
    holders = _holders(calls, run, setting)
    writes = chain.slot_writes() if completed else ()
    after = _Reads.take(chain, known, tokens, holders, writes) if completed else None
    chain.rewind()
    for token in tokens:
        labels.tokens[token] = _token_meta(chain, token)
        if not labels.known(token):
            labels.name(token, labels.tokens[token].symbol)
    before = _Reads.take(chain, known, tokens, holders, writes) if completed else None
    effects = _call_effects(calls, run, errors, labels)
    simulation = Simulation(
        chain_id=setting.chain_id,
        block=chain.block.number,
        executor=setting.executor,
        calls=effects,
        notes=_notes(effects, run, completed),
    )
    if before is not None and after is not None:
        simulation = _with_changes(simulation, before, after, known, labels, setting)
        simulation = _replace(
            simulation,
            risks=risk_notes(simulation, run.decoded, run.writes_by_call, labels, setting),
        )
    return _replace(simulation, elapsed_s=time.perf_counter() - started)


def _replace(simulation: Simulation, **changes: Any) -> Simulation:
    from dataclasses import replace

    return replace(simulation, **changes)


def _run_actions(
    chain: ForkedChain, calls: Sequence[ProposalCall], step: Step, cancelled: Callable[[], bool]
) -> _Run:
    run = _Run()
    seen: set[tuple[str, int]] = set()
    for index, call in enumerate(calls):
        if cancelled():
            raise SimulationCancelledError("Simulation cancelled.")
        step(index, len(calls), f"Running action {index + 1} of {len(calls)}")
        raw = chain.execute(call.target, call.value, call.calldata())
        run.raws.append(raw)
        run.decoded.append([(log, events.decode_log(log)) for log in raw.logs])
        now = {(w.address, w.slot) for w in chain.slot_writes()}
        run.writes_by_call.append(now - seen)
        seen |= now
        if not raw.success:
            break
    return run


def _touched(calls: Sequence[ProposalCall], run: _Run) -> list[str]:
    found: list[str] = [to_checksum_address(c.target) for c in calls]
    found += [log.address for logs in run.decoded for log, _ in logs]
    found += [address for writes in run.writes_by_call for address, _ in writes]
    return list(dict.fromkeys(found))


def _recognise(
    chain: ForkedChain, addresses: Iterable[str], labels: Labels
) -> dict[str, contracts.KnownContract]:
    known = {}
    for address in addresses:
        found = contracts.identify(chain.code(address))
        if found is not None:
            known[address] = found
            labels.name(address, found.name)
    return known


def _tokens(run: _Run, setting: Setting) -> list[str]:
    found = [setting.token] if setting.token else []
    for logs in run.decoded:
        found += [
            e.address for _, e in logs if events.is_erc20_transfer(e) or events.is_nft_transfer(e)
        ]
    return list(dict.fromkeys(to_checksum_address(t) for t in found))


def _holders(calls: Sequence[ProposalCall], run: _Run, setting: Setting) -> list[str]:
    found = [setting.executor, *setting.watch]
    found += [c.target for c in calls if c.value]
    for raw, logs in zip(run.raws, run.decoded, strict=True):
        found += [p for move in raw.eth_moves for p in (move.sender, move.recipient)]
        for _, event in logs:
            if event.spec is not None and event.spec.name == "Transfer":
                found += [event.args["from"], event.args["to"]]
    unique = dict.fromkeys(to_checksum_address(h) for h in found)
    return [h for h in unique if h != ZERO]


@dataclass(frozen=True)
class _Reads:
    eth: dict[str, int]
    tokens: dict[tuple[str, str], int]
    views: dict[tuple[str, str], tuple[Any, ...] | None]
    slots: dict[tuple[str, int], int]

    @classmethod
    def take(
        cls,
        chain: ForkedChain,
        known: dict[str, contracts.KnownContract],
        tokens: Sequence[str],
        holders: Sequence[str],
        writes: Sequence[Any],
    ) -> _Reads:
        eth = {h: chain.balance(h) for h in holders}
        balances = {}
        for token in tokens:
            for holder in holders:
                data = chain.view(token, _BALANCE_OF.encode(holder))
                balances[(token, holder)] = (
                    _BALANCE_OF.decode_one(data) if data and len(data) >= 32 else 0
                )
        views = {
            (address, view.name): contracts.decode_view(view, chain.view(address, view.selector))
            for address, contract in known.items()
            for view in contract.views
        }
        slots = {(w.address, w.slot): chain.storage(w.address, w.slot) for w in writes}
        return cls(eth, balances, views, slots)


def _token_meta(chain: ForkedChain, token: str) -> TokenMeta:
    symbol, decimals = "tokens", 0
    data = chain.view(token, _SYMBOL.selector)
    if data:
        try:
            symbol = str(_SYMBOL.decode_one(data)) or symbol
        except Exception:  # noqa: BLE001 - old tokens return bytes32 symbols
            symbol = data[:32].rstrip(b"\0").decode("utf-8", "replace") or symbol
    data = chain.view(token, _DECIMALS.selector)
    if data and len(data) >= 32:
        decimals = int(_DECIMALS.decode_one(data))
    return TokenMeta(symbol, decimals)


def _call_effects(
    calls: Sequence[ProposalCall], run: _Run, errors: ErrorRegistry, labels: Labels
) -> tuple[CallEffect, ...]:
    decoder, effects = default_decoder(), []
    for index, call in enumerate(calls):
        action = decoder.decode(call.target, call.value, call.signature, call.data)
        summary = action.summary.replace(action.target, labels.of(action.target), 1)
        if index >= len(run.raws):
            effects.append(CallEffect(index, call.target, summary, CallStatus.NOT_RUN))
            continue
        raw = run.raws[index]
        shown = tuple(events.effect(event, log, labels) for log, event in run.decoded[index])
        moves = tuple(
            f"{format_amount(m.wei, 18)} ETH from {labels.of(m.sender)} to {labels.of(m.recipient)}"
            for m in raw.eth_moves
        )
        status = CallStatus.SUCCEEDED if raw.success else CallStatus.REVERTED
        reason = "" if raw.success else errors.describe(raw.output)
        effects.append(CallEffect(index, call.target, summary, status, reason, raw.gas_used,
                                  shown, moves, raw.attached_wei))  # fmt: skip
    return tuple(effects)


def _notes(effects: Sequence[CallEffect], run: _Run, completed: bool) -> tuple[str, ...]:
    notes = []
    if not completed:
        notes.append("Nothing would take effect: the whole execution reverts with that action.")
    for effect in effects:
        if effect.attached_wei:
            notes.append(
                f"Action {effect.index + 1} sends {format_amount(effect.attached_wei, 18)} ETH "
                "more than the executor holds: execute() must bring it "
                "(the simulation attached it)."
            )
    return tuple(notes)


def _with_changes(
    simulation: Simulation,
    before: _Reads,
    after: _Reads,
    known: dict[str, contracts.KnownContract],
    labels: Labels,
    setting: Setting,
) -> Simulation:
    balances = [
        BalanceChange(h, labels.of(h), "ETH", "ETH", 18, before.eth[h], after.eth[h])
        for h in before.eth
        if before.eth[h] != after.eth[h]
    ]
    for (token, holder), old in before.tokens.items():
        new = after.tokens[(token, holder)]
        if old != new:
            meta = labels.tokens[token]
            balances.append(BalanceChange(holder, labels.of(holder), token, meta.symbol,
                                          meta.decimals, old, new))  # fmt: skip
    values = _value_changes(before, after, known, labels)
    tokens = set(labels.tokens)
    slots = tuple(
        SlotChange(address, labels.of(address), slot, old, after.slots[(address, slot)])
        for (address, slot), old in before.slots.items()
        if old != after.slots[(address, slot)] and address not in known and address not in tokens
    )
    return _replace(simulation, balances=tuple(balances), values=values, slots=slots)


def _value_changes(
    before: _Reads, after: _Reads, known: dict[str, contracts.KnownContract], labels: Labels
) -> tuple[ValueChange, ...]:
    found = []
    for address, contract in known.items():
        for view in contract.views:
            old, new = before.views[(address, view.name)], after.views[(address, view.name)]
            if old is None or new is None or old == new:
                continue
            found.append(ValueChange(
                address, contract.name, contracts.words(view.name), f"{view.name}()",
                contracts.render(contract.name, view, old, labels),
                contracts.render(contract.name, view, new, labels),
                contracts.list_change(old, new) or "",
            ))  # fmt: skip
    return tuple(found)

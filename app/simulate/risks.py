"""Risk notes from what a simulation showed, in the same records and categories as the
detail view's static warnings (``app.pipeline.detail_checks.action_warnings``).

Static warnings say what a call *may* do ("transfer on token …: moves or allows spending of
tokens"); these say what it *does*: the share of the treasury that leaves, the admin, owner, role
or delay that changes, the implementation slot that is written, the unknown spender approved.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.pipeline.detail_checks import ActionWarning, Risk
from app.simulate import events
from app.simulate.engine import RawLog
from app.simulate.labels import Labels
from app.simulate.model import BalanceChange, Simulation
from app.simulate.units import format_amount

if TYPE_CHECKING:
    from app.simulate.simulator import Setting

# EIP-1967: keccak256("eip1967.proxy.implementation") - 1, and the beacon and admin slots.
IMPLEMENTATION_SLOT = 0x360894A13BA1A3210667C828492DB98DCA3E2076CC3735A920A3CA505D382BBC
BEACON_SLOT = 0xA3F0AD74E5423AEBFD80D3EF4346578335A9A72AEAEE59FF6CB3582B35133D50
ADMIN_SLOT = 0xB53127684A568B3173AE13B9F8A6016E243E63B6E8EE1178D6A717850B5D6103
_PROXY_SLOTS = {IMPLEMENTATION_SLOT: "implementation", BEACON_SLOT: "beacon", ADMIN_SLOT: "admin"}
_CONTROL_VALUES = frozenset(
    {"owner", "admin", "pending admin", "guardian", "timelock", "delay", "min delay"}
)

Decoded = Sequence[Sequence[tuple[RawLog, events.DecodedEvent]]]


def risk_notes(
    simulation: Simulation,
    decoded: Decoded,
    writes_by_call: Sequence[set[tuple[str, int]]],
    labels: Labels,
    setting: Setting,
) -> tuple[ActionWarning, ...]:
    notes = [
        *_treasury_outflows(simulation.balances, decoded, setting),
        *_event_notes(decoded, labels),
        *_upgrades(writes_by_call, simulation, labels),
        *_control_values(simulation, decoded),
    ]
    unique = {(n.index, n.risk, n.message): n for n in notes}
    return tuple(sorted(unique.values(), key=lambda n: n.index))


def _treasury_outflows(
    balances: Sequence[BalanceChange], decoded: Decoded, setting: Setting
) -> list[ActionWarning]:
    treasuries = {setting.executor, *setting.watch}
    found = []
    for change in balances:
        if change.holder not in treasuries or change.delta >= 0 or change.before <= 0:
            continue
        share = -change.delta / change.before
        if share < setting.treasury_share:
            continue
        risk = Risk.VALUE if change.asset == "ETH" else Risk.TOKENS
        amount = format_amount(-change.delta, change.decimals)
        held = format_amount(change.before, change.decimals)
        found.append(ActionWarning(
            _first_transfer_from(decoded, change), risk,
            f"Moves {share:.0%} of the {change.symbol} held by {change.holder_label} "
            f"({amount} of {held} {change.symbol}) out of it.",
        ))  # fmt: skip
    return found


def _first_transfer_from(decoded: Decoded, change: BalanceChange) -> int:
    for index, logs in enumerate(decoded):
        for _, event in logs:
            if (
                events.is_erc20_transfer(event)
                and event.address == change.asset
                and (event.args["from"].lower() == change.holder.lower())
            ):
                return index
    return 0


def _event_notes(decoded: Decoded, labels: Labels) -> list[ActionWarning]:
    found = []
    for index, logs in enumerate(decoded):
        for log, event in logs:
            name = event.spec.name if event.spec else ""
            text = events.describe(event, log, labels)
            if name in {"NewDelay", "MinDelayChange"}:
                waits = "changes how long a passed proposal waits before it can be executed"
                found.append(ActionWarning(index, Risk.PERMISSIONS, f"{text}: {waits}."))
            elif name in events.PERMISSION_EVENTS:
                found.append(
                    ActionWarning(index, Risk.PERMISSIONS, f"{text}: changes who controls it.")
                )
            elif name in events.UPGRADE_EVENTS:
                found.append(
                    ActionWarning(index, Risk.UPGRADE, f"{text}: replaces the contract's code.")
                )
            elif _is_approval(name, event) and _unknown_spender(event, labels):
                found.append(ActionWarning(
                    index, Risk.TOKENS, f"{text}, an address govdesk does not know."
                ))  # fmt: skip
    return found


def _is_approval(name: str, event: events.DecodedEvent) -> bool:
    return name == "Approval" or (name == "ApprovalForAll" and bool(event.args.get("approved")))


def _unknown_spender(event: events.DecodedEvent, labels: Labels) -> bool:
    args = event.args
    spender = args.get("spender") or args.get("approved") or args.get("operator")
    amount = args.get("value", 1)
    return isinstance(spender, str) and bool(amount) and not labels.known(spender)


def _upgrades(
    writes_by_call: Sequence[set[tuple[str, int]]], simulation: Simulation, labels: Labels
) -> list[ActionWarning]:
    found = []
    for index, writes in enumerate(writes_by_call):
        for address, slot in sorted(writes):
            kind = _PROXY_SLOTS.get(slot)
            if kind is None:
                continue
            found.append(ActionWarning(
                index, Risk.UPGRADE,
                f"Writes the EIP-1967 {kind} slot of {labels.of(address)}: replaces the "
                "contract's code (a proxy upgrade).",
            ))  # fmt: skip
    return found


def _control_values(simulation: Simulation, decoded: Decoded) -> list[ActionWarning]:
    """Admin, owner and delay changes seen through view functions (when no event said so)."""
    announced = {
        log.address
        for logs in decoded
        for log, event in logs
        if event.spec is not None and event.spec.name in events.PERMISSION_EVENTS
    }
    found = []
    for change in simulation.values:
        if change.name in _CONTROL_VALUES and change.address not in announced:
            index = next(
                (c.index for c in simulation.calls if c.target.lower() == change.address.lower()), 0
            )
            found.append(
                ActionWarning(index, Risk.PERMISSIONS, f"{change.text}: changes who controls it.")
            )
    return found

"""A simulation as text lines (CLI, detail view) and as one JSON document (``--json``)."""

from __future__ import annotations

from typing import Any

from app.simulate.model import BalanceChange, CallEffect, Simulation, SlotChange, ValueChange

SLOTS_TITLE = "Storage slots changed on contracts govdesk cannot decode"


def report_lines(simulation: Simulation) -> list[str]:
    """Headline, actions with their events, then balances, values, slots, risks and notes."""
    lines = [simulation.headline]
    for call in simulation.calls:
        lines.append(call.text)
        lines += [f"    event: {e.text}" for e in call.events]
        lines += [f"    ETH: {m}" for m in call.eth_sent]
    sections = (
        ("Balance changes", [b.text for b in simulation.balances]),
        ("Changed values", [v.text for v in simulation.values]),
        (SLOTS_TITLE, [s.text for s in simulation.slots]),
        ("Risk notes", [f"⚠ action {r.index + 1}: {r.message}" for r in simulation.risks]),
        ("Notes", list(simulation.notes)),
    )  # fmt: skip
    for title, items in sections:
        if items:
            lines.append(f"{title}:")
            lines += [f"  {item}" for item in items]
    lines.append(
        f"(simulated locally with {simulation.engine} on a fork of block {simulation.block:,}, "
        f"chain {simulation.chain_id}, in {simulation.elapsed_s:.2f} s)"
    )
    return lines


def report_json(simulation: Simulation) -> dict[str, Any]:
    """Everything in ``report_lines`` as data; big integers as strings."""
    failed = simulation.reverted_at
    return {
        "chain_id": simulation.chain_id,
        "block": simulation.block,
        "executor": simulation.executor,
        "engine": simulation.engine,
        "elapsed_s": round(simulation.elapsed_s, 4),
        "succeeded": failed is None,
        "reverted_at": None if failed is None else failed.index + 1,
        "headline": simulation.headline,
        "actions": [_call_json(c) for c in simulation.calls],
        "balances": [_balance_json(b) for b in simulation.balances],
        "values": [_value_json(v) for v in simulation.values],
        "slots": [_slot_json(s) for s in simulation.slots],
        "risks": [
            {"action": r.index + 1, "risk": r.risk.name.lower(), "message": r.message}
            for r in simulation.risks
        ],
        "notes": list(simulation.notes),
    }


def _call_json(c: CallEffect) -> dict[str, Any]:
    return {
        "index": c.index + 1,
        "target": c.target,
        "summary": c.summary,
        "status": c.status.value,
        "reason": c.reason,
        "gas_used": c.gas_used,
        "events": [{"address": e.address, "name": e.name, "text": e.text} for e in c.events],
        "eth": list(c.eth_sent),
        "attached_wei": str(c.attached_wei),
    }


def _balance_json(b: BalanceChange) -> dict[str, Any]:
    return {
        "holder": b.holder,
        "label": b.holder_label,
        "asset": b.asset,
        "symbol": b.symbol,
        "decimals": b.decimals,
        "before": str(b.before),
        "after": str(b.after),
        "delta": str(b.delta),
        "text": b.text,
    }


def _slot_json(s: SlotChange) -> dict[str, Any]:
    return {
        "address": s.address,
        "slot": hex(s.slot),
        "before": hex(s.before),
        "after": hex(s.after),
    }


def _value_json(v: ValueChange) -> dict[str, Any]:
    return {
        "address": v.address,
        "contract": v.contract,
        "name": v.name,
        "function": v.function,
        "before": v.before,
        "after": v.after,
        "text": v.text,
    }

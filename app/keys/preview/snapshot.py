"""The Snapshot half of signing previews: every message govdesk sends to a Snapshot sequencer.

Vote (single choice, approval, ranked, weighted, quadratic, encrypted), Proposal, UpdateProposal,
CancelProposal, Follow, Unfollow and Alias, each with its own fields in words, dates as dates and
the whole proposal body. Used by ``app.keys.preview.typed_data``; pure, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from app import jsonsafe
from app.keys.preview.calls import format_date

if TYPE_CHECKING:
    from app.keys.preview.model import Severity

SNAPSHOT_DOMAIN_VERSION = "0.1.4"
SNAPSHOT_TYPES = frozenset(
    {"Vote", "Proposal", "UpdateProposal", "CancelProposal", "Follow", "Unfollow", "Alias"}
)
NETWORK = "Snapshot (off-chain, no chain id)"

Fields = list[tuple[str, str]]
Warnings = list[tuple["Severity", str]]
Result = tuple[str, str, Fields, Warnings]


def _sev() -> type[Severity]:
    from app.keys.preview.model import Severity

    return Severity


def _choice_name(index: Any, choices: Sequence[str]) -> tuple[str, bool]:
    try:
        number = int(index)
    except (TypeError, ValueError):
        return f"{index!r}", False
    if 1 <= number <= len(choices):
        return f"{choices[number - 1]} (#{number})", True
    return f"#{number}", not choices


def snapshot_choice(message: Mapping[str, Any], choices: Sequence[str]) -> tuple[str, bool]:
    """The chosen option(s) by name; second item False if an option does not exist."""
    choice = message.get("choice")
    if isinstance(choice, str):  # weighted / quadratic: JSON {"1": weight, ...}
        try:
            weights = jsonsafe.loads(choice, source="the choice")
        except jsonsafe.HostileDataError:
            return choice, True  # shutter (encrypted) or free text: shown as is
        if not isinstance(weights, dict):
            return choice, True
        parts = [(*_choice_name(k, choices), w) for k, w in weights.items()]
        return ", ".join(f"{n}: {w}" for n, _, w in parts), all(ok for _, ok, _ in parts)
    if isinstance(choice, list):
        names = [_choice_name(c, choices) for c in choice]
        return " > ".join(n for n, _ in names), all(ok for _, ok in names)
    return _choice_name(choice, choices)


def _domain_warnings(domain: Mapping[str, Any]) -> Warnings:
    sev = _sev()
    warnings: Warnings = []
    if domain.get("version") != SNAPSHOT_DOMAIN_VERSION:
        warnings.append(
            (sev.WARNING, f"Unexpected Snapshot domain version {domain.get('version')!r}.")
        )
    if "chainId" in domain or "verifyingContract" in domain:
        warnings.append(
            (sev.DANGER, "A Snapshot message domain has no chain id or contract; this one does.")
        )
    return warnings


def _vote(message: Mapping[str, Any], context: Mapping[str, Any]) -> Result:
    choices = [str(c) for c in context.get("choices", [])]
    chosen, known = snapshot_choice(message, choices)
    warnings: Warnings = []
    if not known:
        warnings.append((_sev().DANGER, "The vote names an option the proposal does not have."))
    proposal = str(message.get("proposal", ""))
    title = context.get("proposal_title")
    fields: Fields = [
        ("space", str(message.get("space", ""))),
        ("proposal", f"{title} ({proposal})" if title else proposal),
        ("choice", chosen),
        ("reason", str(message.get("reason", ""))),
        ("voter", str(message.get("from", ""))),
        ("app", str(message.get("app", ""))),
        ("timestamp", format_date(int(message.get("timestamp", 0) or 0))),
        ("network", NETWORK),
    ]
    return "snapshot-vote", f"Snapshot vote in {message.get('space', '?')}", fields, warnings


def _content(message: Mapping[str, Any]) -> Fields:
    choices = message.get("choices") or []
    labels = message.get("labels") or []
    fields: Fields = [
        ("title", str(message.get("title", ""))),
        ("voting type", str(message.get("type", ""))),
        ("choices", ", ".join(f"{n}. {c}" for n, c in enumerate(choices, start=1))),
    ]
    if message.get("discussion"):
        fields.append(("discussion", str(message["discussion"])))
    if labels:
        fields.append(("labels", ", ".join(str(x) for x in labels)))
    fields.append(("body", str(message.get("body", ""))))
    return fields


def _proposal(primary: str, message: Mapping[str, Any]) -> Result:
    space = str(message.get("space", ""))
    fields: Fields = [("space", space)]
    if primary == "UpdateProposal":
        fields.append(("proposal", str(message.get("proposal", ""))))
    fields += _content(message)
    if primary == "Proposal":
        fields += [
            ("voting starts", format_date(int(message.get("start", 0)))),
            ("voting ends", format_date(int(message.get("end", 0)))),
            ("snapshot block", str(message.get("snapshot", ""))),
        ]
    fields += [
        ("author", str(message.get("from", ""))),
        ("timestamp", format_date(int(message.get("timestamp", 0) or 0))),
        ("network", NETWORK),
    ]
    if primary == "Proposal":
        return "snapshot-proposal", f"Publish a Snapshot proposal in {space}", fields, []
    return "snapshot-update-proposal", f"Edit a Snapshot proposal in {space}", fields, []


def _small(primary: str, message: Mapping[str, Any]) -> Result:
    space = str(message.get("space", ""))
    when = ("timestamp", format_date(int(message.get("timestamp", 0) or 0)))
    who = ("account", str(message.get("from", "")))
    if primary == "CancelProposal":
        fields = [("space", space), ("proposal", str(message.get("proposal", ""))), who, when]
        return "snapshot-cancel-proposal", f"Delete a Snapshot proposal in {space}", fields, []
    if primary in {"Follow", "Unfollow"}:
        verb = "Follow" if primary == "Follow" else "Stop following"
        fields = [("space", space), ("network", str(message.get("network", ""))), who, when]
        return f"snapshot-{primary.lower()}", f"{verb} the Snapshot space {space}", fields, []
    alias = str(message.get("alias", ""))
    fields = [who, ("alias", alias), when]
    warnings: Warnings = [
        (
            _sev().WARNING,
            f"{alias} will be able to sign Snapshot messages (votes, proposals) for this account.",
        )
    ]
    return "snapshot-alias", "Let another key act for you on Snapshot", fields, warnings


def snapshot_fields(
    primary: str,
    domain: Mapping[str, Any],
    message: Mapping[str, Any],
    context: Mapping[str, Any],
) -> Result:
    """Kind, title, fields and warnings for one of Snapshot's message types."""
    if primary == "Vote":
        kind, title, fields, warnings = _vote(message, context)
    elif primary in {"Proposal", "UpdateProposal"}:
        kind, title, fields, warnings = _proposal(primary, message)
    else:
        kind, title, fields, warnings = _small(primary, message)
    return kind, title, fields, _domain_warnings(domain) + warnings

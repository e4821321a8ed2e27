"""``govdesk snapshot``: vote, propose, edit, cancel, follow and unfollow on Snapshot.

Reads go to the GraphQL hub (``--hub``); signed messages go to its sequencer (``--sequencer``;
Snapshot's own hubs have theirs resolved by ``app.domain.endpoints``). Every message goes
through ``SnapshotService``: the space's rules are applied (delay, period, type, privacy) and
checked for the account before signing, then the envelope is written to the outbox in the data
directory and sent; ``--dry-run`` prints the signed envelope instead. Envelopes left pending by a
crash, a lost network or a transient refusal are sent again first (``snapshot outbox``).
``snapshot settings --api-key KEY`` stores a hub API key (sent as ``x-api-key``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.keys_context import add_data_dir_option, open_context, read_password
from app.domain.voting import VotingType
from app.errors import InputError

if TYPE_CHECKING:
    from app.keys.signer_protocol import Signer
    from app.orgs import Organisation
    from app.snapshot.envelope import SignedEnvelope
    from app.snapshot.send import SnapshotService

DEFAULT_HUB = "https://hub.snapshot.org"


def sequencer_url(hub: str, explicit: str = "") -> str:
    """Where signed messages go for ``hub`` (kept for callers; see ``app.domain.endpoints``)."""
    from app.domain.endpoints import sequencer_for

    return sequencer_for(hub, explicit)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--space", required=True, help="space id, e.g. btrst.eth")
    parser.add_argument("--hub", default=DEFAULT_HUB, help=f"hub URL (default {DEFAULT_HUB})")
    parser.add_argument(
        "--sequencer",
        default="",
        help="sequencer URL signed messages go to (default: the hub's; seq.snapshot.org for "
        "hub.snapshot.org)",
    )
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--account", help="an account in govdesk's vault (address)")
    who.add_argument("--keystore", type=Path, help="a v3 keystore JSON file")
    parser.add_argument("--dry-run", action="store_true", help="print the signed envelope only")
    add_data_dir_option(parser)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("snapshot", help="off-chain voting on Snapshot")
    actions = parser.add_subparsers(title="actions", dest="snapshot_action", metavar="ACTION")
    _add_vote(actions)
    _add_propose(actions)
    _add_update_and_cancel(actions)
    _add_local_actions(actions)
    parser.set_defaults(handler=lambda _args: (parser.print_help(), 0)[1])


def _add_vote(actions: Any) -> None:
    """`snapshot vote`."""
    vote = actions.add_parser("vote", help="sign and send a vote")
    _common(vote)
    vote.add_argument("--proposal", required=True, help="proposal id (0x…)")
    vote.add_argument("--choice", required=True, help='JSON: 1, [1,3] or {"1":2,"2":1}')
    vote.add_argument("--type", dest="voting_type", help="voting type (skips asking the hub)")
    vote.add_argument("--choices", type=int, help="number of choices, with --type (optional)")
    vote.add_argument("--reason", default="")
    vote.set_defaults(handler=lambda a: _run(_vote(a)))


def _add_propose(actions: Any) -> None:
    """`snapshot propose`."""
    propose = actions.add_parser("propose", help="sign and send a new proposal")
    _common(propose)
    propose.add_argument("--title", required=True)
    propose.add_argument("--body", default="")
    propose.add_argument(
        "--option",
        action="append",
        required=True,
        dest="options",
        help="a choice's text (repeat, in order)",
    )
    propose.add_argument("--type", dest="voting_type", default=VotingType.SINGLE_CHOICE.value)
    propose.add_argument(
        "--duration",
        type=int,
        default=3 * 86400,
        help="seconds (default 3 days; a space with a fixed voting period sets it)",
    )
    propose.add_argument("--snapshot", type=int, required=True, help="snapshot block number")
    propose.add_argument("--discussion", default="")
    propose.add_argument("--label", action="append", default=[], dest="labels")
    propose.set_defaults(handler=lambda a: _run(_propose(a)))


def _add_update_and_cancel(actions: Any) -> None:
    """`snapshot update` and `snapshot cancel`: a proposal already sent."""
    update = actions.add_parser("update", help="edit your proposal before voting starts")
    _common(update)
    update.add_argument("--proposal", required=True, help="proposal id (0x…)")
    update.add_argument("--title")
    update.add_argument("--body")
    update.add_argument("--option", action="append", dest="options", help="replace the choices")
    update.add_argument("--type", dest="voting_type")
    update.add_argument("--discussion")
    update.set_defaults(handler=lambda a: _run(_update(a)))
    cancel = actions.add_parser(
        "cancel", help="cancel a proposal (its author, or an admin or moderator)"
    )
    _common(cancel)
    cancel.add_argument("--proposal", required=True, help="proposal id (0x…)")
    cancel.set_defaults(handler=lambda a: _run(_cancel(a)))


def _add_local_actions(actions: Any) -> None:
    """`rules`, `settings`, `follow` / `unfollow` and `outbox`."""
    rules = actions.add_parser("rules", help="what a space allows, and whether you may propose")
    rules.add_argument("--space", required=True)
    rules.add_argument("--hub", default=DEFAULT_HUB)
    rules.add_argument("--account", help="address to check")
    add_data_dir_option(rules)
    rules.set_defaults(handler=lambda a: _run(_rules(a)))
    settings = actions.add_parser("settings", help="store or clear the hub API key")
    key = settings.add_mutually_exclusive_group(required=True)
    key.add_argument("--api-key", help="Snapshot API key, sent to the hub as x-api-key")
    key.add_argument("--clear-api-key", action="store_true")
    add_data_dir_option(settings)
    settings.set_defaults(handler=lambda a: _settings(a))
    for name in ("follow", "unfollow"):
        sub = actions.add_parser(name, help=f"{name} a space")
        _common(sub)
        sub.add_argument("--network", default="s")
        sub.set_defaults(handler=lambda a, follow=name == "follow": _run(_follow(a, follow)))
    outbox = actions.add_parser("outbox", help="list signed messages; send pending ones again")
    outbox.add_argument("--resend", action="store_true")
    add_data_dir_option(outbox)
    outbox.set_defaults(handler=lambda a: _run(_outbox(a)))


def _run(coro: Awaitable[int]) -> int:
    async def main() -> int:
        return await coro

    return asyncio.run(main())


def parse_choice(text: str) -> Any:
    from app import jsonsafe

    try:
        return jsonsafe.loads(
            text, source="--choice", max_bytes=10_000, max_depth=2, unique_keys=True
        )
    except jsonsafe.HostileDataError:
        shown = text if len(text) <= 60 else text[:57] + "..."
        raise InputError(
            f'--choice must be JSON, e.g. 1, [1,3] or {{"1":2}}; got {shown!r}.'
        ) from None


async def load_signer(args: argparse.Namespace) -> Signer:
    if args.keystore is not None:
        return await _keystore_signer(args.keystore)
    return await _vault_signer(args)


async def _keystore_signer(path: Path) -> Signer:
    from app.keys.keystore import decrypt_keystore, parse_keystore_json
    from app.keys.signer_protocol import LocalKeySigner

    try:
        text = await asyncio.to_thread(path.read_text, "utf-8")
    except OSError as exc:
        raise InputError(f"Cannot read the keystore file {path}.", detail=str(exc)) from exc
    keystore = parse_keystore_json(text)
    password = read_password(f"Password for {path.name}: ")
    return LocalKeySigner(await asyncio.to_thread(decrypt_keystore, keystore, password))


async def _vault_signer(args: argparse.Namespace) -> Signer:
    from app.cli.keys_context import build_manager
    from app.keys.errors import WatchOnlyError
    from app.keys.metadata import AccountKind
    from app.keys.unlock import StoredFailures, UnlockSession
    from app.keys.vault_signers import VaultSigner

    manager = build_manager(open_context(args))
    info = await manager.get(args.account)
    if info.kind is not AccountKind.LOCAL:
        raise WatchOnlyError(f"{info.address} is watch-only on this device: it cannot sign.")
    session = UnlockSession(manager.vault, ledger=StoredFailures(manager.store_connection))
    await session.unlock(info.address, read_password(f"Password for {info.address}: "))
    return VaultSigner(session, info.address, chain_id=None)


def _org(args: argparse.Namespace) -> Organisation:
    """A one-off organisation for the command line's --space, --hub and --sequencer."""
    from app.orgs import Network, Organisation

    return Organisation(
        slug="cli",
        name="command line",
        network=Network(1, "unknown"),
        snapshot_space=args.space,
        snapshot_hub=args.hub,
        snapshot_sequencer=getattr(args, "sequencer", ""),
    )


def _service(args: argparse.Namespace) -> SnapshotService:
    from app.snapshot.send import SnapshotService
    from app.store.database import connect

    if getattr(args, "dry_run", False):  # a dry run stores nothing (not even hub reads)
        return SnapshotService(connect(":memory:"))
    return SnapshotService(open_context(args).conn)


async def _hub_proposal(service: SnapshotService, org: Organisation, proposal_id: str) -> Any:
    proposal = await service.proposal(org, proposal_id)
    if proposal is None:
        raise InputError(f"The hub {org.snapshot_hub} has no proposal {proposal_id}.")
    if proposal.space != org.snapshot_space:
        raise InputError(f"Proposal {proposal_id} belongs to space {proposal.space}.")
    return proposal


async def _vote(args: argparse.Namespace) -> int:
    from app.snapshot.messages import VoteRequest, build_vote

    choice = parse_choice(args.choice)
    org, service = _org(args), _service(args)
    if args.voting_type:  # offline: the proposal is not read, nothing is checked against it
        request = VoteRequest(args.space, args.proposal, args.voting_type, choice, args.choices,
                              reason=args.reason)  # fmt: skip
        signer = await load_signer(args)
        envelope = await service.sign(
            org,
            signer,
            lambda ts: build_vote(signer.address, request, timestamp=ts),
            check_clock=not args.dry_run,
        )
    else:
        proposal = await _hub_proposal(service, org, args.proposal)
        signer = await load_signer(args)
        envelope = await service.sign_vote(org, proposal, signer, choice, reason=args.reason,
                                           check_clock=not args.dry_run)  # fmt: skip
    return await _finish(args, service, org, envelope)


async def _propose(args: argparse.Namespace) -> int:
    from app.errors import NetworkError
    from app.snapshot.send import ProposalContent, ProposalRules

    org, service = _org(args), _service(args)
    content = ProposalContent(args.title, args.body, tuple(args.options), args.voting_type,
                              args.discussion, tuple(args.labels))  # fmt: skip
    try:
        rules = await service.proposal_rules(org, None)
    except NetworkError:
        if not args.dry_run:
            raise
        print("warning: the space's rules could not be read; signing without them",
              file=sys.stderr)  # fmt: skip
        rules = ProposalRules(None, (args.voting_type,), 0, 0, "", None)
    signer = await load_signer(args)
    if rules.space is not None:
        rules = await service.proposal_rules(org, signer.address)
    envelope = await service.sign_proposal(
        org, signer, content, duration_s=args.duration, snapshot=args.snapshot, rules=rules,
        check_clock=not args.dry_run,
    )  # fmt: skip
    return await _finish(args, service, org, envelope)


async def _update(args: argparse.Namespace) -> int:
    from app.snapshot.send import ProposalContent

    org, service = _org(args), _service(args)
    proposal = await _hub_proposal(service, org, args.proposal)
    content = ProposalContent(
        args.title if args.title is not None else proposal.title,
        args.body if args.body is not None else proposal.body,
        tuple(args.options) if args.options else proposal.choices,
        args.voting_type or proposal.type,
        args.discussion if args.discussion is not None else "",
    )
    signer = await load_signer(args)
    envelope = await service.sign_update(org, proposal, signer, content,
                                         check_clock=not args.dry_run)  # fmt: skip
    return await _finish(args, service, org, envelope)


async def _cancel(args: argparse.Namespace) -> int:
    org, service = _org(args), _service(args)
    proposal = await _hub_proposal(service, org, args.proposal)
    signer = await load_signer(args)
    envelope = await service.sign_cancel(org, proposal, signer, check_clock=not args.dry_run)
    return await _finish(args, service, org, envelope)


async def _follow(args: argparse.Namespace, follow: bool) -> int:
    from app.snapshot.messages import build_follow

    org, service = _org(args), _service(args)
    signer = await load_signer(args)
    envelope = await service.sign(
        org,
        signer,
        lambda ts: build_follow(
            signer.address, args.space, network=args.network, follow=follow, timestamp=ts
        ),
        check_clock=not args.dry_run,
    )
    return await _finish(args, service, org, envelope)


async def _rules(args: argparse.Namespace) -> int:
    args.sequencer = ""
    org, service = _org(args), _service(args)
    rules = await service.proposal_rules(org, args.account)
    print(f"voting types: {', '.join(rules.allowed_types)}")
    print(f"voting delay: {rules.delay_s} s; voting period: {rules.period_s or 'author chooses'}")
    if rules.privacy:
        print(f"privacy: {rules.privacy}")
    if args.account:
        print(f"{args.account}: {rules.refusal or 'may propose'}")
    return 0


def _settings(args: argparse.Namespace) -> int:
    from app.snapshot.settings import set_api_key

    set_api_key(open_context(args).conn, None if args.clear_api_key else args.api_key)
    print("Snapshot API key cleared." if args.clear_api_key else "Snapshot API key stored.")
    return 0


async def _finish(
    args: argparse.Namespace, service: SnapshotService, org: Organisation, envelope: SignedEnvelope
) -> int:
    if args.dry_run:
        # stdout carries exactly the envelope the sequencer takes; the message id goes to stderr.
        print(json.dumps(envelope.body(), indent=2))
        print(f"message id: {envelope.id}", file=sys.stderr)
        return 0
    await service.resend_pending()
    receipt = await service.send(org, envelope)
    note = " (already recorded)" if receipt.duplicate else ""
    print(f"accepted{note}: {envelope.kind} {receipt.id}")
    return 0


async def _outbox(args: argparse.Namespace) -> int:
    from app.snapshot.refusals import explain

    service = _service(args)
    if args.resend:
        await service.resend_pending()
    for entry in service.outbox.entries():
        extra = entry.last_error or (entry.receipt.id if entry.receipt else "")
        print(f"{entry.status.value:8} {entry.envelope.kind:14} {entry.envelope.id} {extra}")
        if entry.status.value == "rejected" and entry.last_error:
            print(f"         {explain(entry.last_error).explanation}")
    for row in service.outbox.quarantined():
        print(f"damaged  row {row.key}: set aside, not sent ({row.problem})")
    return 0

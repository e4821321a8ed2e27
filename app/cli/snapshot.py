"""``govdesk snapshot``: vote, propose, follow and unfollow on a Snapshot hub (or the local hub).

Every message is checked, signed, written to the outbox in the data directory and then sent;
``--dry-run`` prints the signed envelope instead of sending it. Envelopes left pending by a crash
or a lost network are sent again first (``snapshot outbox`` lists them).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.keys_context import add_data_dir_option, open_context, read_password
from app.errors import InputError

if TYPE_CHECKING:
    from app.keys.signer import Signer
    from app.snapshot.envelope import SignedEnvelope
    from app.snapshot.typed_data import TypedMessage

DEFAULT_HUB = "https://hub.snapshot.org"
_SEQUENCERS = {
    "https://hub.snapshot.org": "https://seq.snapshot.org/",
    "https://testnet.hub.snapshot.org": "https://testnet.seq.snapshot.org/",
}


def sequencer_url(hub: str) -> str:
    """Snapshot's own hubs have a separate sequencer; the local hub takes ``POST /`` itself."""
    base = hub.rstrip("/")
    return _SEQUENCERS.get(base, base + "/")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--space", required=True, help="space id, e.g. btrst.eth")
    parser.add_argument("--hub", default=DEFAULT_HUB, help=f"hub URL (default {DEFAULT_HUB})")
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--account", help="an account in govdesk's vault (address)")
    who.add_argument("--keystore", type=Path, help="a v3 keystore JSON file")
    parser.add_argument("--dry-run", action="store_true", help="print the signed envelope only")
    add_data_dir_option(parser)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("snapshot", help="off-chain voting on Snapshot")
    actions = parser.add_subparsers(title="actions", dest="snapshot_action", metavar="ACTION")
    vote = actions.add_parser("vote", help="sign and send a vote")
    _common(vote)
    vote.add_argument("--proposal", required=True, help="proposal id (0x…)")
    vote.add_argument("--choice", required=True, help='JSON: 1, [1,3] or {"1":2,"2":1}')
    vote.add_argument("--type", dest="voting_type", help="voting type (skips asking the hub)")
    vote.add_argument("--choices", type=int, help="number of choices, with --type (optional)")
    vote.add_argument("--reason", default="")
    vote.set_defaults(handler=lambda a: _run(_vote(a)))
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
    propose.add_argument("--type", dest="voting_type", default="single-choice")
    propose.add_argument("--start", type=int, help="unix time (default: now)")
    propose.add_argument("--duration", type=int, default=3 * 86400, help="seconds (default 3 days)")
    propose.add_argument("--snapshot", type=int, required=True, help="snapshot block number")
    propose.add_argument("--discussion", default="")
    propose.add_argument("--label", action="append", default=[], dest="labels")
    propose.set_defaults(handler=lambda a: _run(_propose(a)))
    for name in ("follow", "unfollow"):
        sub = actions.add_parser(name, help=f"{name} a space")
        _common(sub)
        sub.add_argument("--network", default="s")
        sub.set_defaults(handler=lambda a, follow=name == "follow": _run(_follow(a, follow)))
    outbox = actions.add_parser("outbox", help="list signed messages; send pending ones again")
    outbox.add_argument("--resend", action="store_true")
    add_data_dir_option(outbox)
    outbox.set_defaults(handler=lambda a: _run(_outbox(a)))
    parser.set_defaults(handler=lambda _args: (parser.print_help(), 0)[1])


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
    from app.keys.signer import LocalKeySigner

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
    from app.keys.signers import VaultSigner
    from app.keys.unlock import StoredFailures, UnlockSession

    manager = build_manager(open_context(args))
    info = await manager.get(args.account)
    if info.kind is not AccountKind.LOCAL:
        raise WatchOnlyError(f"{info.address} is watch-only on this device: it cannot sign.")
    session = UnlockSession(manager.vault, ledger=StoredFailures(manager.store_connection))
    await session.unlock(info.address, read_password(f"Password for {info.address}: "))
    return VaultSigner(session, info.address, chain_id=None)


async def _vote_type(args: argparse.Namespace) -> tuple[str, int | None]:
    if args.voting_type:
        return args.voting_type, args.choices
    from app.snapshot.hub_client import HubClient

    async with HubClient(args.hub) as hub:
        proposal = await hub.proposal(args.proposal)
    if proposal is None:
        raise InputError(f"The hub {args.hub} has no proposal {args.proposal}.")
    if proposal.space != args.space:
        raise InputError(f"Proposal {args.proposal} belongs to space {proposal.space}.")
    return proposal.type, len(proposal.choices)


async def _vote(args: argparse.Namespace) -> int:
    from app.snapshot.messages import VoteRequest, build_vote

    choice = parse_choice(args.choice)
    voting_type, count = await _vote_type(args)
    request = VoteRequest(args.space, args.proposal, voting_type, choice, count, reason=args.reason)
    signer = await load_signer(args)
    return await _sign_and_send(args, signer, lambda: build_vote(signer.address, request))


async def _propose(args: argparse.Namespace) -> int:
    from app.snapshot.messages import ProposalDraft, build_proposal

    start = args.start if args.start is not None else int(time.time())
    draft = ProposalDraft(
        space=args.space,
        voting_type=args.voting_type,
        title=args.title,
        body=args.body,
        choices=tuple(args.options),
        start=start,
        end=start + args.duration,
        snapshot=args.snapshot,
        discussion=args.discussion,
        labels=tuple(args.labels),
    )
    signer = await load_signer(args)
    return await _sign_and_send(args, signer, lambda: build_proposal(signer.address, draft))


async def _follow(args: argparse.Namespace, follow: bool) -> int:
    from app.snapshot.messages import build_follow

    signer = await load_signer(args)
    return await _sign_and_send(
        args,
        signer,
        lambda: build_follow(signer.address, args.space, network=args.network, follow=follow),
    )


async def _sign_and_send(
    args: argparse.Namespace, signer: Signer, build: Callable[[], TypedMessage]
) -> int:
    from app.snapshot.envelope import sign_message
    from app.snapshot.sequencer import SequencerClient, check_clock_skew

    if not args.dry_run:
        async with SequencerClient(sequencer_url(args.hub), timeout=10) as client:
            check_clock_skew(await client.clock_skew())
    envelope = await sign_message(signer, build())
    if args.dry_run:
        # stdout carries exactly the envelope the sequencer takes; the message id goes to stderr.
        print(json.dumps(envelope.body(), indent=2))
        print(f"message id: {envelope.id}", file=sys.stderr)
        return 0
    receipt = await _deliver(args, envelope)
    note = " (already recorded)" if receipt.duplicate else ""
    print(f"accepted{note}: {envelope.kind} {receipt.id}")
    return 0


async def _deliver(args: argparse.Namespace, envelope: SignedEnvelope) -> Any:
    from app.snapshot.outbox import Outbox, SequencerPool, deliver, deliver_pending

    outbox = Outbox(open_context(args).conn)
    async with SequencerPool() as pool:
        await deliver_pending(outbox, pool.client)
        return await deliver(outbox, pool.client(sequencer_url(args.hub)), envelope)


async def _outbox(args: argparse.Namespace) -> int:
    from app.snapshot.outbox import Outbox, resend_pending

    outbox = Outbox(open_context(args).conn)
    if args.resend:
        await resend_pending(outbox)
    for entry in outbox.entries():
        extra = entry.last_error or (entry.receipt.id if entry.receipt else "")
        print(f"{entry.status.value:8} {entry.envelope.kind:14} {entry.envelope.id} {extra}")
    for row in outbox.quarantined():
        print(f"damaged  row {row.key}: set aside, not sent ({row.problem})")
    return 0

"""`govdesk safe ...`: vote as a Safe (multisig), off-chain on Snapshot and on-chain.

A Safe action is a *request* its owners approve one by one; each approval is stored at once, so a
partly-signed vote waits ("waiting for 1 more signer") across restarts. Owners on this device
approve with ``approve``; an owner elsewhere gets the request with ``export``, signs it on their
own machine with ``sign-file`` (no store needed there), and the answer comes back by ``import``.
When enough owners approved, ``send`` hands a Snapshot vote to the outbox and sequencer, and
``execute`` sends a Safe transaction from any account.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.keys_context import add_data_dir_option, open_context
from app.errors import InputError

if TYPE_CHECKING:
    import sqlite3

    from app.chain.rpc import RpcClient
    from app.keys.signer_protocol import Signer
    from app.safe.client import SafeInfo
    from app.safe.requests import SafeRequest, SafeRequests


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "safe", help="vote as a Safe (multisig): collect owner approvals"
    )
    actions = parser.add_subparsers(title="actions", dest="safe_action", metavar="ACTION")
    chain = argparse.ArgumentParser(add_help=False)
    chain.add_argument("--rpc", action="append", required=True, help="RPC URL (repeat: fallbacks)")
    chain.add_argument("--chain-id", type=int, required=True, help="the Safe's chain id")
    store = argparse.ArgumentParser(add_help=False)
    add_data_dir_option(store)
    who = argparse.ArgumentParser(add_help=False)
    group = who.add_mutually_exclusive_group(required=True)
    group.add_argument("--account", help="an owner's account in govdesk's vault (address)")
    group.add_argument("--keystore", type=Path, help="an owner's v3 keystore JSON file")
    group.add_argument("--dev-key", help="hex private key (devnet accounts only)")

    show = actions.add_parser("show", parents=[chain, store], help="owners and threshold")
    show.add_argument("safe")
    follow = actions.add_parser("add", parents=[chain, store], help="follow a Safe on this device")
    follow.add_argument("safe")
    follow.add_argument("--label", default="")
    actions.add_parser("list", parents=[store], help="the Safes this device follows")
    vote = actions.add_parser("vote", parents=[chain, store], help="open a Snapshot vote")
    vote.add_argument("safe")
    vote.add_argument("--space", required=True)
    vote.add_argument("--proposal", required=True, help="proposal id (0x…)")
    vote.add_argument("--type", dest="voting_type", required=True, help="the proposal's type")
    vote.add_argument("--choices", type=int, help="number of choices (checks the ballot)")
    vote.add_argument("--choice", required=True, help='JSON: 1, [1,3] or {"1":2,"2":1}')
    vote.add_argument("--reason", default="")
    vote.add_argument("--sequencer", required=True, help="the sequencer URL the vote goes to")
    call = actions.add_parser("call", parents=[chain, store], help="open a Safe transaction")
    call.add_argument("safe")
    call.add_argument("--to", required=True, help="contract to call (e.g. the governor)")
    call.add_argument("--data", required=True, help="calldata, 0x hex")
    call.add_argument("--summary", required=True, help='what it does, e.g. "votes For on 12"')
    listing = actions.add_parser("requests", parents=[store], help="requests and their progress")
    listing.add_argument("--safe")
    approve = actions.add_parser("approve", parents=[store, who], help="approve as an owner here")
    approve.add_argument("request")
    export = actions.add_parser("export", parents=[store], help="a request file for an owner")
    export.add_argument("request")
    export.add_argument("--out", type=Path, required=True)
    sign_file = actions.add_parser("sign-file", parents=[who], help="approve a request file")
    sign_file.add_argument("file", type=Path)
    sign_file.add_argument("--out", type=Path, required=True)
    imported = actions.add_parser("import", parents=[store], help="add an owner's approval file")
    imported.add_argument("file", type=Path)
    send = actions.add_parser("send", parents=[store], help="send a fully approved Snapshot vote")
    send.add_argument("request")
    execute = actions.add_parser("execute", parents=[chain, store, who], help="execute a Safe tx")
    execute.add_argument("request")
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    action = getattr(args, "safe_action", None)
    if action is None:
        raise InputError("Say what to do: govdesk safe show|vote|call|requests|approve|...")
    handler = {
        "show": _show, "add": _add, "list": _list, "vote": _vote, "call": _call,
        "requests": _requests, "approve": _approve, "export": _export, "sign-file": _sign_file,
        "import": _import, "send": _send, "execute": _execute,
    }[action]  # fmt: skip
    return asyncio.run(handler(args))


def _requests_store(args: argparse.Namespace) -> SafeRequests:
    from app.safe.requests import SafeRequests

    return SafeRequests(open_context(args).conn)


def _rpc(args: argparse.Namespace) -> RpcClient:
    from app.chain.rpc import RpcClient

    return RpcClient(args.rpc, chain_id=args.chain_id)


async def _signer(args: argparse.Namespace, chain_id: int | None) -> Signer:
    if args.dev_key:
        from app.keys.signer_protocol import LocalKeySigner

        return LocalKeySigner(args.dev_key, chain_id=chain_id)
    from app.cli.snapshot import load_signer

    return await load_signer(args)


def _print_request(request: SafeRequest) -> None:
    print(f"{request.id}  {request.summary}: {request.progress}")


def _print_owners(info: SafeInfo, conn: sqlite3.Connection) -> None:
    from app.keys.metadata import AccountsRepo
    from app.safe.book import owners_here

    for owner in owners_here(info, AccountsRepo(conn).list()):
        print(f"  owner {owner.describe}")


async def _show(args: argparse.Namespace) -> int:
    from app.safe.client import read_safe

    async with _rpc(args) as rpc:
        info = await read_safe(rpc, args.safe)
    print(f"{info.summary} on chain {info.chain_id}, Safe {info.version}, next nonce {info.nonce}")
    _print_owners(info, open_context(args).conn)
    return 0


async def _add(args: argparse.Namespace) -> int:
    from app.safe.book import SafeBook
    from app.safe.client import read_safe

    async with _rpc(args) as rpc:
        info = await read_safe(rpc, args.safe)
    conn = open_context(args).conn
    followed = SafeBook(conn).follow(info, args.label)
    print(f"Following {followed.label}: {info.summary} on chain {info.chain_id}")
    _print_owners(info, conn)
    return 0


async def _list(args: argparse.Namespace) -> int:
    from app.safe.book import SafeBook

    safes = SafeBook(open_context(args).conn).list()
    if not safes:
        print("No Safe is followed here yet. Add one with: govdesk safe add ADDRESS --rpc URL ...")
    for safe in safes:
        print(f"{safe.label}: {safe.info.summary} on chain {safe.info.chain_id}")
    return 0


async def _vote(args: argparse.Namespace) -> int:
    from app.cli.snapshot import parse_choice
    from app.safe.voting import open_snapshot_vote
    from app.snapshot.messages import VoteRequest

    vote = VoteRequest(
        space=args.space, proposal=args.proposal, voting_type=args.voting_type,
        choice=parse_choice(args.choice), choices_count=args.choices, reason=args.reason,
    )  # fmt: skip
    async with _rpc(args) as rpc:
        request = await open_snapshot_vote(
            _requests_store(args), rpc, args.safe, vote, args.sequencer
        )
    _print_request(request)
    return 0


async def _call(args: argparse.Namespace) -> int:
    from app.safe.voting import open_transaction

    try:
        data = bytes.fromhex(args.data.removeprefix("0x"))
    except ValueError:
        raise InputError("--data must be 0x-prefixed hex calldata.") from None
    async with _rpc(args) as rpc:
        request = await open_transaction(_requests_store(args), rpc, args.safe, args.to, data,
                                         args.summary)  # fmt: skip
    _print_request(request)
    return 0


async def _requests(args: argparse.Namespace) -> int:
    for request in _requests_store(args).list(args.safe):
        _print_request(request)
    return 0


async def _approve(args: argparse.Namespace) -> int:
    from app.safe.voting import approve

    requests = _requests_store(args)
    request = requests.get(args.request)
    _print_request(await approve(requests, request.id, await _signer(args, request.chain_id)))
    return 0


async def _export(args: argparse.Namespace) -> int:
    from app.safe.files import request_document

    request = _requests_store(args).get(args.request)
    args.out.write_text(request_document(request), "utf-8")
    print(f"Wrote the approval request for {request.summary} to {args.out.resolve()}")
    return 0


def _read(path: Path, expected: str) -> dict[str, Any]:
    from app.safe.files import parse_document

    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeError) as exc:
        raise InputError(f"Cannot read {path}.", detail=str(exc)) from exc
    return parse_document(text, expected, str(path))


async def _sign_file(args: argparse.Namespace) -> int:
    from app.safe.files import REQUEST_FORMAT, approval_document

    document = _read(args.file, REQUEST_FORMAT)
    signer = await _signer(args, int(document["chain_id"]))
    if signer.address.lower() not in {str(o).lower() for o in document.get("owners", [])}:
        raise InputError(f"{signer.address} is not an owner of {document.get('safe')}.")
    print(f"Approving: {document.get('summary')}", file=sys.stderr)
    signature = bytes.fromhex((await signer.sign_typed_data(document["typed_data"]))[2:])
    args.out.write_text(approval_document(document, signer.address, signature), "utf-8")
    print(f"Wrote {signer.address}'s approval to {args.out.resolve()}")
    return 0


async def _import(args: argparse.Namespace) -> int:
    from app.safe.files import APPROVAL_FORMAT, approval_of

    request_id, signature = approval_of(_read(args.file, APPROVAL_FORMAT), str(args.file))
    _print_request(_requests_store(args).add_signature(request_id, signature))
    return 0


async def _send(args: argparse.Namespace) -> int:
    from app.safe.voting import hand_to_outbox
    from app.snapshot.outbox import Outbox, resend_pending

    conn = open_context(args).conn
    entry = hand_to_outbox(_requests_store(args), Outbox(conn), args.request)
    for sent in await resend_pending(Outbox(conn)):
        if sent.envelope.id == entry.envelope.id:
            print(f"{sent.status.value}: Safe vote {sent.envelope.id}")
            return 0 if sent.status.value != "rejected" else 2
    return 0


async def _execute(args: argparse.Namespace) -> int:
    from app.chain.transactions import TxSender
    from app.safe.voting import execute

    async with _rpc(args) as rpc:
        sender = TxSender(rpc, await _signer(args, args.chain_id))
        receipt = await execute(_requests_store(args), sender, args.request)
    print(f"executed in block {receipt.block_number}: {receipt.tx_hash}")
    return 0

"""`govdesk governor ...`: read and act on an on-chain Governor (OZ, Bravo, Alpha).

Reads: ``proposals`` and ``show`` (``--json`` for one JSON document). Writes: ``vote``,
``propose``, ``delegate``, ``queue``, ``execute``, ``cancel``; they sign with ``--dev-key`` or
``--keystore`` (password from GOVDESK_PASSWORD or a prompt) and need ``--chain-id``, which is
checked against the endpoint before anything is signed. ``--token`` names the voting token when
the governor's getter is not one govdesk finds (it tries ``token()``, ``comp()``, ``BTRST()`` and
every address getter). Amounts print in token units with the symbol ("100,000 BTRST"); the JSON
keeps raw integers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import jsonsafe
from app.cli import simulate
from app.errors import ConfigError, InputError

if TYPE_CHECKING:
    from app.governor.client import GovernorClient
    from app.governor.model import Proposal, TokenInfo
    from app.governor.writer import ProposedCall
    from app.keys.signer_protocol import LocalKeySigner

READS = ("proposals", "show")
WRITES = ("vote", "propose", "delegate", "queue", "execute", "cancel")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "governor",
        help="read and act on an on-chain Governor (OZ, Bravo, Alpha)",
        description="Proposals, votes and timelock execution on an on-chain Governor.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--rpc", action="append", required=True, help="RPC URL (repeat: fallbacks)")
    common.add_argument("--governor", required=True, help="governor contract address")
    common.add_argument("--chain-id", type=int, help="expected chain id (required to sign)")
    common.add_argument("--multicall", help="Multicall3 address (default: the canonical one)")
    common.add_argument("--from-block", type=int, default=0, help="first block to scan")
    common.add_argument(
        "--token", help="voting token address (default: found from the governor by interface)"
    )
    keys = argparse.ArgumentParser(add_help=False)
    keys.add_argument("--dev-key", help="hex private key (devnet accounts only)")
    keys.add_argument("--keystore", type=Path, help="keystore JSON; password from GOVDESK_PASSWORD")
    actions = parser.add_subparsers(title="actions", dest="governor_action", metavar="ACTION")
    listing = actions.add_parser("proposals", parents=[common], help="list every proposal")
    show = actions.add_parser("show", parents=[common], help="one proposal with its actions")
    show.add_argument("proposal_id", type=int)
    for reader in (listing, show):
        reader.add_argument("--account", help="also show this account's vote and power")
        reader.add_argument("--json", action="store_true", help="print one JSON document")
    vote = actions.add_parser("vote", parents=[common, keys], help="cast a vote")
    vote.add_argument("proposal_id", type=int)
    vote.add_argument("support", choices=("for", "against", "abstain"))
    vote.add_argument("--reason", default="")
    _add_relay_option(vote)
    propose = actions.add_parser("propose", parents=[common, keys], help="create a proposal")
    propose.add_argument(
        "--action",
        action="append",
        required=True,
        help="TARGET:SIGNATURE:ARG,ARG (e.g. 0xabc…:setMarketplaceFee(uint8):5) or a JSON object "
        '{"target", "signature", "args", "value"}',
    )
    propose.add_argument("--description", required=True, help="Markdown; first line is the title")
    propose.add_argument("--no-proposer-suffix", action="store_true", help="OZ: omit #proposer=")
    delegate = actions.add_parser("delegate", parents=[common, keys], help="delegate votes")
    delegate.add_argument("delegatee")
    _add_relay_option(delegate)
    for name in ("queue", "execute", "cancel"):
        action = actions.add_parser(name, parents=[common, keys], help=f"{name} a proposal")
        action.add_argument("proposal_id", type=int)
    simulate.register(actions, common)  # `governor simulate ID` lives in app.cli.simulate
    parser.set_defaults(handler=_handle)


def _add_relay_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--relay-dev-key",
        help="sign an EIP-712 message with the signing key and have this devnet key send it",
    )


def _handle(args: argparse.Namespace) -> int:
    action = getattr(args, "governor_action", None)
    if action is None:
        raise ConfigError("Choose an action: " + ", ".join(READS + WRITES) + ".")
    return asyncio.run(_run(args, action))


async def _run(args: argparse.Namespace, action: str) -> int:
    from app.chain.rpc import RpcClient, probe_chain_id
    from app.governor.client import GovernorClient

    if action == "propose":  # bad actions are refused before any endpoint is asked
        for text in args.action:
            _parse_action(text)
    chain_id = args.chain_id
    if action in WRITES and chain_id is None:
        raise ConfigError("Give --chain-id to sign: govdesk never signs for an unchecked chain.")
    if chain_id is None:
        chain_id = await probe_chain_id(args.rpc)
    async with RpcClient(args.rpc, chain_id=chain_id) as rpc:
        gov = await GovernorClient.open(
            rpc,
            args.governor,
            multicall_address=args.multicall,
            from_block=args.from_block,
            token=args.token,
        )
        if action in READS:
            return await _read(gov, args, action)
        return await _write(gov, args, action)


async def _read(gov: GovernorClient, args: argparse.Namespace, action: str) -> int:
    if action == "proposals":
        proposals = await gov.proposals(account=args.account)
    else:
        proposals = [await gov.proposal(args.proposal_id, account=args.account)]
    if args.json:
        document = {
            "governor": _info_json(gov),
            "proposals": [_proposal_json(p) for p in proposals],
        }
        print(json.dumps(document, indent=2))
        return 0
    print(_header(gov))
    token = gov.info.token
    for proposal in proposals:
        print(_proposal_line(proposal, token, abstain=gov.info.adapter.counts_abstain))
        receipt = proposal.status.receipt
        if args.account and receipt is not None:
            voted = "has voted" if receipt.has_voted else "has not voted"
            power = token.amount(proposal.status.power or 0)
            print(f"    {args.account} {voted}; power at snapshot: {power}")
        if action == "show":
            for item in proposal.actions:
                print(f"    - {item.summary}")
    return 0


def _when(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")


def _header(gov: GovernorClient) -> str:
    info, token = gov.info, gov.info.token
    return (
        f"{info.name} ({info.family.value}) at {info.address}\n"
        f"  token {token.symbol or '?'} at {token.address}; quorum {token.amount(info.quorum)}, "
        f"proposal threshold {token.amount(info.proposal_threshold)}"
    )


def _proposal_line(proposal: Proposal, token: TokenInfo, *, abstain: bool) -> str:
    s, pid = proposal.status, str(proposal.created.proposal_id)
    short = pid if len(pid) <= 12 else pid[:6] + "…" + pid[-4:]
    votes = f"for {token.amount(s.votes.for_)} / against {token.amount(s.votes.against)}"
    if abstain:
        votes += f" / abstain {token.amount(s.votes.abstain)}"
    return (
        f"{short:>13}  {s.state.label:<9}  {votes}  ends ~{_when(s.deadline_estimate)}  "
        f"{proposal.created.title}"
    )


def _info_json(gov: GovernorClient) -> dict[str, Any]:
    info = asdict(gov.info)
    for key in ("family", "clock_mode", "timelock_kind"):
        info[key] = getattr(gov.info, key).value
    result: dict[str, Any] = _stringify_big(info)
    return result


def _proposal_json(proposal: Proposal) -> dict[str, Any]:
    created = asdict(proposal.created)
    created["calldatas"] = ["0x" + c.hex() for c in proposal.created.calldatas]
    s = proposal.status
    status = asdict(s)
    status["state"] = proposal.status.state.label
    status["votes"] = {"for": s.votes.for_, "against": s.votes.against, "abstain": s.votes.abstain}
    if proposal.status.receipt and proposal.status.receipt.support is not None:
        status["receipt"]["support"] = proposal.status.receipt.support.name.lower()
    actions = [
        {"target": a.target, "value": a.value, "function": a.function, "summary": a.summary}
        for a in proposal.actions
    ]
    result: dict[str, Any] = _stringify_big(
        {"created": created, "status": status, "actions": actions}
    )
    return result


def _stringify_big(value: Any) -> Any:
    """Integers beyond 2**53 become strings so JSON readers in any language keep them exact."""
    if isinstance(value, dict):
        return {k: _stringify_big(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_stringify_big(v) for v in value]
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**53:
        return str(value)
    return value


async def _write(gov: GovernorClient, args: argparse.Namespace, action: str) -> int:
    from app.governor.model import Support

    signer = _signer(args, gov.info.chain_id)
    relayer = _relayer(args, gov.info.chain_id)
    if action == "vote" and relayer is not None:
        if args.reason:
            raise ConfigError("A vote by signature carries no reason; drop --reason.")
        support = Support[args.support.upper()]
        ballot = await gov.sign_ballot(signer, args.proposal_id, support)
        receipt = await gov.relay_ballot(relayer, ballot)
    elif action == "vote":
        receipt = await gov.cast_vote(
            signer, args.proposal_id, Support[args.support.upper()], args.reason
        )
    elif action == "propose":
        calls = [_parse_action(text) for text in args.action]
        created = await gov.propose(
            signer, calls, args.description, proposer_suffix=not args.no_proposer_suffix
        )
        print(f"proposal {created.proposal_id} created in {created.transaction_hash}")
        return 0
    elif action == "delegate" and relayer is not None:
        signed = await gov.sign_delegation(signer, args.delegatee)
        receipt = await gov.relay_delegation(relayer, signed)
    elif action == "delegate":
        receipt = await gov.delegate(signer, args.delegatee)
    else:
        receipt = await getattr(gov, action)(signer, args.proposal_id)
    print(f"{action}: mined in block {receipt.block_number} ({receipt.tx_hash})")
    return 0


def _relayer(args: argparse.Namespace, chain_id: int) -> LocalKeySigner | None:
    from app.keys.signer_protocol import LocalKeySigner

    key = getattr(args, "relay_dev_key", None)
    return LocalKeySigner(key, chain_id=chain_id) if key else None


def _signer(args: argparse.Namespace, chain_id: int) -> LocalKeySigner:
    from app.keys.signer_protocol import LocalKeySigner

    if args.dev_key:
        return LocalKeySigner(args.dev_key, chain_id=chain_id)
    if args.keystore:
        from app.cli.keys_context import read_password
        from app.keys.keystore import decrypt_keystore, parse_keystore_json

        keystore = parse_keystore_json(args.keystore.read_text(encoding="utf-8"))
        key = decrypt_keystore(keystore, read_password("Keystore password: "))
        return LocalKeySigner(key, chain_id=chain_id)
    raise ConfigError("Give --dev-key or --keystore to sign.")


def _parse_action(text: str) -> ProposedCall:
    from app.chain.abi_codec import parse_signature
    from app.governor.writer import ProposedCall

    if text.lstrip().startswith("{"):
        try:
            data = jsonsafe.loads(text, source="the action")
            return ProposedCall(
                data["target"], data.get("signature", ""), tuple(data.get("args", ())),
                int(data.get("value", 0)),
            )  # fmt: skip
        except (ValueError, KeyError, TypeError, jsonsafe.HostileDataError) as exc:
            raise InputError(
                f"The action {text[:200]!r} is not valid JSON of the expected shape."
            ) from exc
    target, _, rest = text.partition(":")
    head, found, raw_args = rest.partition("):")
    signature = head + ")" if found else rest
    try:
        _, types = parse_signature(signature) if signature else ("", ())
    except ValueError as exc:
        raise InputError(f"{signature!r} is not a function signature.") from exc
    values = [v for v in raw_args.split(",") if v] if raw_args else []
    if len(values) != len(types):
        raise InputError(f"{signature} takes {len(types)} arguments, {len(values)} given.")
    return ProposedCall(
        target, signature, tuple(_convert(t, v) for t, v in zip(types, values, strict=True))
    )


def _convert(typ: str, value: str) -> Any:
    try:
        if typ.startswith(("uint", "int")):
            return int(value, 0)
        if typ.startswith("bytes"):
            return bytes.fromhex(value.removeprefix("0x"))
    except ValueError as exc:
        raise InputError(f"{value!r} is not a valid {typ} argument.") from exc
    if typ == "bool":
        return value.lower() in ("1", "true", "yes")
    return value

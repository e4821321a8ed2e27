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
    from app.governor.model import GovernorInfo, Proposal, TokenInfo
    from app.governor.writer import ProposedCall
    from app.keys.signer_protocol import LocalKeySigner
    from app.orgs import Organisation
    from app.usecases.onchain import GovernorProposals, Onchain
    from app.usecases.signing import SignerSource

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
    from app.chain.rpc import probe_chain_id
    from app.ports import Factories
    from app.usecases.onchain import Onchain

    if action == "propose":  # bad actions are refused before any endpoint is asked
        for text in args.action:
            _parse_action(text)
    chain_id = args.chain_id
    if action in WRITES and chain_id is None:
        raise ConfigError("Give --chain-id to sign: govdesk never signs for an unchecked chain.")
    if chain_id is None:
        chain_id = await probe_chain_id(args.rpc)
    # The same use cases as the desktop app, for an organisation made of the arguments.
    onchain = Onchain(Factories(scan_from_block=args.from_block))
    org = organisation_from_args(args, chain_id)
    if action in READS:
        return await _read(onchain, org, args, action)
    return await _write(onchain, org, args, action)


def organisation_from_args(args: argparse.Namespace, chain_id: int) -> Organisation:
    """An organisation made of ``--rpc``, ``--governor``, ``--multicall`` and ``--token``."""
    from app.orgs import Network, Organisation

    network = Network(chain_id, "command line", tuple(args.rpc), multicall=args.multicall or "")
    return Organisation("cli", "The governor", network, governor=args.governor,
                        token=args.token or "")  # fmt: skip


async def _read(onchain: Onchain, org: Organisation, args: argparse.Namespace, action: str) -> int:
    found: GovernorProposals
    if action == "proposals":
        found = await onchain.proposals(org, args.account)
    else:
        found = await onchain.proposal(org, args.proposal_id, args.account)
    info, proposals = found.info, found.proposals
    if args.json:
        document = {
            "governor": _info_json(info),
            "proposals": [_proposal_json(p) for p in proposals],
        }
        print(json.dumps(document, indent=2))
        return 0
    print(_header(info))
    for proposal in proposals:
        print(_proposal_line(proposal, info.token, abstain=info.adapter.counts_abstain))
        receipt = proposal.status.receipt
        if args.account and receipt is not None:
            voted = "has voted" if receipt.has_voted else "has not voted"
            power = info.token.amount(proposal.status.power or 0)
            print(f"    {args.account} {voted}; power at snapshot: {power}")
        if action == "show":
            for item in proposal.actions:
                print(f"    - {item.summary}")
    return 0


def _when(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")


def _header(info: GovernorInfo) -> str:
    token = info.token
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


def _info_json(info: GovernorInfo) -> dict[str, Any]:
    fields = asdict(info)
    for key in ("family", "clock_mode", "timelock_kind"):
        fields[key] = getattr(info, key).value
    result: dict[str, Any] = _stringify_big(fields)
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


async def _write(onchain: Onchain, org: Organisation, args: argparse.Namespace, action: str) -> int:
    from app.governor.model import Support

    sign = _source(_signer(args, org.network.chain_id))
    relayer = _relayer(args, org.network.chain_id)
    relay = _source(relayer) if relayer is not None else None
    if action == "vote":
        support = Support[args.support.upper()]
        if relay is None:
            receipt = await onchain.vote(org, sign, args.proposal_id, support, args.reason)
        elif args.reason:
            raise ConfigError("A vote by signature carries no reason; drop --reason.")
        else:
            receipt = await onchain.vote_by_signature(org, sign, relay, args.proposal_id, support)
    elif action == "propose":
        calls = [_parse_action(text) for text in args.action]
        created = await onchain.propose(org, sign, calls, args.description,
                                        proposer_suffix=not args.no_proposer_suffix)  # fmt: skip
        print(f"proposal {created.proposal_id} created in {created.transaction_hash}")
        return 0
    elif action == "delegate" and relay is not None:
        receipt = await onchain.delegate_by_signature(org, sign, relay, args.delegatee)
    elif action == "delegate":
        receipt = await onchain.delegate(org, sign, args.delegatee)
    else:
        receipt = await onchain.step_receipt(org, sign, action, args.proposal_id)
    print(f"{action}: mined in block {receipt.block_number} ({receipt.tx_hash})")
    return 0


def _source(signer: LocalKeySigner) -> SignerSource:
    """The signer for every request of this run (the CLI shows no signing dialog)."""

    def source(_org: Organisation, _hints: object) -> LocalKeySigner:
        return signer

    return source


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

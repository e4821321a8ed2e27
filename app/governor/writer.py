"""Pure builders for governor transactions and EIP-712 messages.

Nothing here signs or sends: builders return ``TxRequest`` (an unsigned call) or a typed-data
dict for ``Signer.sign_typed_data``. What differs per family (calldata shapes, ballot types:
OZ v5 ``Ballot`` carries the voter and a nonce, OZ v4 and Bravo use
``Ballot(uint256 proposalId,uint8 support)``, Alpha ``Ballot(uint256 proposalId,bool support)``)
is the governor's adapter's business (``app.governor.families``). Compound domains have no
``version``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils.crypto import keccak

from app.chain.abi_codec import Function, checksum_address, parse_signature
from app.chain.transactions import TxRequest
from app.errors import InputError
from app.governor import contract_interface as abi
from app.governor.families import oz_proposal_args, split_signature
from app.governor.model import (
    Eip712Domain,
    GovernorInfo,
    ProposalCreated,
    Support,
)

__all__ = [
    "PROPOSER_MARKER",
    "ProposedCall",
    "build_ballot_typed_data",
    "build_cancel",
    "build_cast_vote",
    "build_cast_vote_by_sig",
    "build_delegate",
    "build_delegate_by_sig",
    "build_delegation_typed_data",
    "build_execute",
    "build_propose",
    "build_queue",
    "check_support",
    "description_hash",
    "oz_proposal_args",
    "recover_ballot_signer",
    "split_signature",
    "with_proposer_suffix",
]

PROPOSER_MARKER = "#proposer="


@dataclass(frozen=True)
class ProposedCall:
    """One action a person proposes: call ``signature`` with ``args`` on ``target``."""

    target: str
    signature: str  # e.g. "setMarketplaceFee(uint8)"; "" for a plain ETH transfer
    args: tuple[Any, ...] = ()
    value: int = 0

    def encoded_args(self) -> bytes:
        if not self.signature:
            return b""
        name, types = parse_signature(self.signature)
        return Function(f"{name}({','.join(types)})").encode(*self.args)[4:]

    def calldata(self) -> bytes:
        if not self.signature:
            return b""
        name, types = parse_signature(self.signature)
        return Function(f"{name}({','.join(types)})").encode(*self.args)

    def canonical_signature(self) -> str:
        if not self.signature:
            return ""
        name, types = parse_signature(self.signature)
        return f"{name}({','.join(types)})"


def with_proposer_suffix(description: str, proposer: str) -> str:
    """Append ``#proposer=0x…`` (front-running guard, OZ 4.9.1+) unless already present."""
    if PROPOSER_MARKER in description[-52:]:
        return description
    return f"{description}{PROPOSER_MARKER}{checksum_address(proposer, 'proposer')}"


def build_propose(
    info: GovernorInfo,
    calls: Sequence[ProposedCall],
    description: str,
    *,
    proposer: str | None = None,
) -> TxRequest:
    """OZ form (full calldata; proposer suffix when ``proposer`` is given) or Compound form."""
    if not calls:
        raise InputError("A proposal needs at least one action.")
    data = info.adapter.propose_data(calls, description, proposer)
    return TxRequest(info.address, data, label="propose")


def description_hash(proposal: ProposalCreated) -> bytes:
    return keccak(text=proposal.description)


def build_queue(info: GovernorInfo, proposal: ProposalCreated) -> TxRequest:
    return TxRequest(info.address, info.adapter.queue_data(proposal), label="queue")


def build_execute(info: GovernorInfo, proposal: ProposalCreated) -> TxRequest:
    data = info.adapter.execute_data(proposal)
    return TxRequest(info.address, data, value=sum(proposal.values), label="execute")


def build_cancel(info: GovernorInfo, proposal: ProposalCreated) -> TxRequest:
    return TxRequest(info.address, info.adapter.cancel_data(proposal), label="cancel")


def check_support(info: GovernorInfo, support: Support) -> None:
    info.adapter.check_support(support)


def build_cast_vote(
    info: GovernorInfo, proposal_id: int, support: Support, reason: str = ""
) -> TxRequest:
    data = info.adapter.cast_vote_data(proposal_id, support, reason)
    return TxRequest(info.address, data, label="vote")


def _typed(
    domain: Eip712Domain, primary: str, fields: list[dict[str, str]], message: dict[str, Any]
) -> dict[str, Any]:
    domain_fields, domain_values = domain.as_typed_data()
    return {
        "types": {"EIP712Domain": domain_fields, primary: fields},
        "primaryType": primary,
        "domain": domain_values,
        "message": message,
    }


def build_ballot_typed_data(
    info: GovernorInfo, proposal_id: int, support: Support, voter: str, nonce: int
) -> dict[str, Any]:
    """The EIP-712 ballot this governor's ``castVoteBySig`` checks."""
    fields, message = info.adapter.ballot(proposal_id, support, voter, nonce)
    return _typed(info.domain, "Ballot", fields, message)


def recover_ballot_signer(
    info: GovernorInfo, proposal_id: int, support: Support, signature: str
) -> str | None:
    """Who signed this ballot (EIP-55), or None if no address can be recovered.

    Only meaningful where the ballot names no voter (OZ v4, Bravo, Alpha): those governors count
    the vote for whoever recovers, so a mismatched signature is a zero-weight vote for a stranger,
    not a revert.
    """
    typed = build_ballot_typed_data(info, proposal_id, support, info.address, 0)
    try:
        v, r, s = split_signature(signature)
        signable = encode_typed_data(full_message=typed)
        return str(Account.recover_message(signable, signature=r + s + bytes([v])))
    except Exception:  # noqa: BLE001 - any malformed signature means "nobody recovers"
        return None


def build_cast_vote_by_sig(
    info: GovernorInfo, proposal_id: int, support: Support, voter: str, signature: str
) -> TxRequest:
    """The relay transaction anyone may send for a signed ballot."""
    data = info.adapter.cast_vote_by_sig_data(proposal_id, support, voter, signature)
    return TxRequest(info.address, data, label="relay signed vote")


def build_delegate(info: GovernorInfo, delegatee: str) -> TxRequest:
    data = abi.DELEGATE.encode(checksum_address(delegatee, "delegatee"))
    return TxRequest(info.token.address, data, label="delegate")


def build_delegation_typed_data(
    info: GovernorInfo, delegatee: str, nonce: int, expiry: int
) -> dict[str, Any]:
    if info.token.domain is None or not info.token.has_delegate_by_sig:
        raise InputError(f"The token {info.token.symbol} does not accept delegation by signature.")
    fields = [
        {"name": "delegatee", "type": "address"},
        {"name": "nonce", "type": "uint256"},
        {"name": "expiry", "type": "uint256"},
    ]
    message = {
        "delegatee": checksum_address(delegatee, "delegatee"),
        "nonce": nonce,
        "expiry": expiry,
    }
    return _typed(info.token.domain, "Delegation", fields, message)


def build_delegate_by_sig(
    info: GovernorInfo, delegatee: str, nonce: int, expiry: int, signature: str
) -> TxRequest:
    args = (checksum_address(delegatee, "delegatee"), nonce, expiry, *split_signature(signature))
    return TxRequest(
        info.token.address, abi.DELEGATE_BY_SIG.encode(*args), label="relay delegation"
    )

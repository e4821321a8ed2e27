"""Voting as a Safe: open the request, collect owner approvals, hand the result on.

Off-chain, the Safe's Snapshot vote is an ordinary Vote message ``from`` the Safe whose ``sig`` is
the owners' packed signatures over the Safe message of the vote's digest: Snapshot verifies it with
EIP-1271 ``isValidSignature`` on the space's network. On-chain, the vote is a Safe transaction
calling the governor, executed by any owner once enough have approved it.
"""

from __future__ import annotations

from eth_utils.address import to_checksum_address

from app.chain.rpc import RpcClient
from app.chain.transactions import TxReceipt, TxSender
from app.errors import InputError
from app.keys.signer_protocol import Signer
from app.safe.client import SafeInfo, exec_transaction_request, read_safe
from app.safe.hashes import SafeTx
from app.safe.requests import RequestKind, RequestStatus, SafeRequest, SafeRequests, safe_tx_of
from app.snapshot.envelope import SignedEnvelope
from app.snapshot.messages import VoteRequest, build_vote
from app.snapshot.outbox import Outbox, OutboxEntry
from app.snapshot.typed_data import check_types_whitelisted


async def open_snapshot_vote(
    requests: SafeRequests, rpc: RpcClient, safe: str, vote: VoteRequest, sequencer_url: str,
    *, timestamp: int | None = None, what: str = "",
) -> SafeRequest:  # fmt: skip
    """Read the Safe, build its vote and store the request its owners will approve; ``what``
    says what the vote does in words ("votes Yes on …"), else the choice and proposal id."""
    info = await read_safe(rpc, safe)
    message = build_vote(info.address, vote, timestamp=timestamp)
    what = what or f"votes {vote.choice} on {vote.proposal[:10]}… in {vote.space}"
    summary = f"{info.summary} {what}"
    return requests.open_snapshot(
        info, message.envelope_data(), message.digest(), sequencer_url, summary
    )


async def open_transaction(
    requests: SafeRequests, rpc: RpcClient, safe: str, to: str, data: bytes, summary: str
) -> SafeRequest:
    """A Safe transaction (e.g. castVote on the governor) at the Safe's next nonce."""
    info = await read_safe(rpc, safe)
    taken = {
        int(r.payload["nonce"])
        for r in requests.list(info.address)
        if r.kind is RequestKind.TRANSACTION and r.status is not RequestStatus.DONE
    }
    nonce = max(taken | {info.nonce - 1}) + 1  # queue after requests still being signed
    tx = SafeTx(to=to_checksum_address(to), data=data, nonce=nonce)
    return requests.open_transaction(info, tx, f"{info.summary} {summary}")


async def approve(requests: SafeRequests, request_id: str, signer: Signer) -> SafeRequest:
    """Have one owner's signer approve the request (its own device: local, air-gapped, file)."""
    request = requests.get(request_id)
    if signer.address.lower() not in {o.lower() for o in request.owners}:
        raise InputError(f"{signer.address} is not an owner of {request.safe}.")
    if request.signed_by(signer.address):
        return request
    signature = await signer.sign_typed_data(request.approval_typed_data())
    return requests.add_signature(request_id, bytes.fromhex(signature.removeprefix("0x")))


def snapshot_envelope(request: SafeRequest) -> SignedEnvelope:
    """The envelope the sequencer takes: ``address`` the Safe, ``sig`` the packed approvals."""
    if request.kind is not RequestKind.SNAPSHOT:
        raise InputError("This Safe request is a transaction, not a Snapshot message.")
    data = request.payload["data"]
    return SignedEnvelope(
        id=request.payload["digest"],
        kind=check_types_whitelisted(data["types"]),
        address=request.safe,
        sig="0x" + request.packed_signatures().hex(),
        data=data,
    )


def hand_to_outbox(requests: SafeRequests, outbox: Outbox, request_id: str) -> OutboxEntry:
    """Store the Safe's finished envelope in the outbox (idempotent), then close the request."""
    request = requests.get(request_id)
    envelope = snapshot_envelope(request)
    entry = outbox.add(envelope, request.payload["url"])
    requests.mark_done(request_id)
    return entry


async def execute(requests: SafeRequests, sender: TxSender, request_id: str) -> TxReceipt:
    """Send ``execTransaction`` from any owner (or anyone) once the request is ready."""
    request = requests.get(request_id)
    tx = safe_tx_of(request)
    info = SafeInfo(request.safe, request.chain_id, request.owners, request.threshold, tx.nonce, "")
    call = exec_transaction_request(info, tx, request.packed_signatures(), request.summary)
    receipt = await sender.send_and_wait(call)
    requests.mark_done(request_id)
    return receipt

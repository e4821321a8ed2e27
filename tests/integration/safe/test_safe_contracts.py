"""A 2-of-3 Safe on the devnet, built from the real ``@safe-global/safe-contracts`` 1.4.1.

Our hashes must equal the contracts' own, our packed signatures must pass the Safe's EIP-1271
check (what Snapshot's sequencer asks), and a Safe transaction must cast an on-chain vote.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from eth_abi.abi import encode
from eth_account import Account
from web3 import Web3
from web3.contract import Contract
from web3.logs import DISCARD

from app.chain.rpc import RpcClient
from app.devnet.dev_accounts import DevAccount
from app.devnet.network import Devnet
from app.devnet.safes import SafeDeployer, SafeInfra, safe_artifact
from app.errors import InputError
from app.safe.client import SafeInfo, exec_transaction_request, is_valid_signature, read_safe
from app.safe.hashes import (
    SafeTx,
    eip1271_message,
    safe_message_hash,
    safe_message_typed_data,
    safe_tx_hash,
    safe_tx_typed_data,
)
from app.safe.signatures import OwnerSignature, owner_signature, pack_signatures
from app.snapshot.messages import VoteRequest, build_vote
from tests.integration.helpers import contract, first_event, send

pytestmark = pytest.mark.integration


@dataclass(frozen=True)
class SafeSetup:
    infra: SafeInfra
    address: str
    owners: tuple[DevAccount, ...]  # three owners, threshold two


@pytest.fixture
def safe(isolated_devnet: Devnet, w3: Web3) -> SafeSetup:
    deployer = SafeDeployer(w3, isolated_devnet.accounts[0].address)
    infra = deployer.deploy_infra()
    owners = tuple(isolated_devnet.accounts[1:4])
    address = deployer.create_safe(infra, [o.address for o in owners], 2)
    return SafeSetup(infra, address, owners)


def _safe_contract(w3: Web3, address: str) -> Contract:
    return w3.eth.contract(
        address=Web3.to_checksum_address(address), abi=safe_artifact("Safe")["abi"]
    )


def _sign(owner: DevAccount, typed_data: dict[str, object]) -> bytes:
    return bytes(Account.sign_typed_data(owner.dev_key, full_message=typed_data).signature)


async def _read(devnet: Devnet, address: str) -> SafeInfo:
    async with RpcClient([devnet.rpc_url], chain_id=devnet.chain_id) as rpc:
        return await read_safe(rpc, address)


async def test_a_safe_is_read_with_its_owners_and_threshold(
    isolated_devnet: Devnet, safe: SafeSetup
) -> None:
    info = await _read(isolated_devnet, safe.address)
    assert set(info.owners) == {o.address for o in safe.owners}
    assert (info.threshold, info.nonce, info.version) == (2, 0, "1.4.1")
    assert info.summary == f"Safe {safe.address[:6]}…{safe.address[-4:]} (2 of 3)"


async def test_an_address_that_is_no_safe_is_refused_clearly(isolated_devnet: Devnet) -> None:
    with pytest.raises(InputError, match="has no contract"):
        await _read(isolated_devnet, isolated_devnet.accounts[5].address)
    multicall = isolated_devnet.multicall or ""
    with pytest.raises(InputError, match="does not answer as a Safe does"):
        await _read(isolated_devnet, multicall)


def test_our_hashes_are_the_contracts_own(
    isolated_devnet: Devnet, w3: Web3, safe: SafeSetup
) -> None:
    chain_id = isolated_devnet.chain_id
    tx = SafeTx(to=isolated_devnet.accounts[7].address, data=b"\x12\x34", nonce=5, value=9)
    on_chain = _safe_contract(w3, safe.address).functions.getTransactionHash(
        tx.to, tx.value, tx.data, tx.operation, tx.safe_tx_gas, tx.base_gas, tx.gas_price,
        tx.gas_token, tx.refund_receiver, tx.nonce,
    ).call()  # fmt: skip
    assert safe_tx_hash(chain_id, safe.address, tx) == on_chain
    handler = w3.eth.contract(
        address=Web3.to_checksum_address(safe.infra.fallback_handler),
        abi=safe_artifact("CompatibilityFallbackHandler")["abi"],
    )
    message = eip1271_message(bytes(range(32)))
    expected = handler.functions.getMessageHashForSafe(safe.address, message).call()
    assert safe_message_hash(chain_id, safe.address, message) == expected
    # The typed data an owner's wallet signs hashes to the same value.
    signed = Account.sign_typed_data(
        safe.owners[0].dev_key,
        full_message=safe_message_typed_data(chain_id, safe.address, message),
    )
    assert bytes(signed.message_hash) == expected


def _snapshot_vote_hash(safe: SafeSetup) -> bytes:
    vote = build_vote(
        safe.address,
        VoteRequest(space="alpha.govdesk.eth", proposal="0x" + "ab" * 32, voting_type="basic",
                    choice=1, choices_count=3),
        timestamp=1_700_000_000,
    )  # fmt: skip
    return bytes.fromhex(vote.digest().removeprefix("0x"))


async def test_two_owners_sign_a_snapshot_vote_the_safe_accepts(
    isolated_devnet: Devnet, safe: SafeSetup
) -> None:
    chain_id = isolated_devnet.chain_id
    vote_hash = _snapshot_vote_hash(safe)
    typed = safe_message_typed_data(chain_id, safe.address, eip1271_message(vote_hash))
    approval_hash = safe_message_hash(chain_id, safe.address, eip1271_message(vote_hash))
    info = await _read(isolated_devnet, safe.address)
    # Signed in the "wrong" order: packing sorts them by owner address, as the Safe requires.
    sigs = [
        owner_signature(approval_hash, _sign(o, typed), info.owners) for o in safe.owners[2:0:-1]
    ]
    packed = pack_signatures(sigs, info.threshold)
    async with RpcClient([isolated_devnet.rpc_url], chain_id=chain_id) as rpc:
        assert await is_valid_signature(rpc, safe.address, vote_hash, packed)
        # The same signatures do not approve another vote.
        assert not await is_valid_signature(rpc, safe.address, bytes(32), packed)
        # Unsorted signatures are refused by the Safe itself.
        unsorted = b"".join(s.signature for s in sorted(sigs, key=lambda s: -int(s.owner, 16)))
        assert not await is_valid_signature(rpc, safe.address, vote_hash, unsorted)
    with pytest.raises(InputError, match="1 more is missing"):
        pack_signatures(sigs[:1], info.threshold)


def test_a_signature_from_someone_else_is_refused(isolated_devnet: Devnet, safe: SafeSetup) -> None:
    typed = safe_message_typed_data(isolated_devnet.chain_id, safe.address, b"hello")
    digest = safe_message_hash(isolated_devnet.chain_id, safe.address, b"hello")
    outsider = isolated_devnet.accounts[8]
    owners = [o.address for o in safe.owners]
    with pytest.raises(InputError, match="is not an owner of the Safe"):
        owner_signature(digest, _sign(outsider, typed), owners)
    with pytest.raises(InputError, match="65 bytes"):
        owner_signature(digest, b"\x01" * 64, owners)


async def _exec(devnet: Devnet, w3: Web3, safe: SafeSetup, to: str, data: bytes) -> None:
    info = await _read(devnet, safe.address)
    tx = SafeTx(to=to, data=data, nonce=info.nonce)
    typed = safe_tx_typed_data(devnet.chain_id, safe.address, tx)
    digest = safe_tx_hash(devnet.chain_id, safe.address, tx)
    sigs: list[OwnerSignature] = [
        owner_signature(digest, _sign(o, typed), info.owners) for o in safe.owners[:2]
    ]
    request = exec_transaction_request(info, tx, pack_signatures(sigs, info.threshold), "vote")
    # Any owner may send it; here the third, who did not sign.
    sender = safe.owners[2].address
    tx_hash = w3.eth.send_transaction({"from": sender, "to": request.to, "data": request.data})
    receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=10, poll_latency=0.01)
    assert receipt["status"] == 1
    assert (
        _safe_contract(w3, safe.address)
        .events.ExecutionSuccess()
        .process_receipt(receipt, errors=DISCARD)
    )


async def test_a_safe_transaction_casts_the_safes_vote_on_alpha(
    isolated_devnet: Devnet, w3: Web3, safe: SafeSetup
) -> None:
    stack = isolated_devnet.stack("alpha")
    token = contract(w3, "CompToken", stack["token"])
    governor = contract(w3, "GovernorAlpha", stack["governor"])
    dev0 = isolated_devnet.accounts[0].address
    amount = 200_000 * 10**18
    send(w3, token.functions.transfer(Web3.to_checksum_address(safe.address), amount), dev0)
    delegate = token.encode_abi("delegate", args=[Web3.to_checksum_address(safe.address)])
    await _exec(isolated_devnet, w3, safe, stack["token"], bytes.fromhex(delegate[2:]))
    assert token.functions.getCurrentVotes(safe.address).call() == amount

    calldatas = [encode(["string"], ["safe.eth"])]
    receipt = send(
        w3,
        governor.functions.propose(
            [stack["target"]], [0], ["addFoundationMember(string)"], calldatas, "# Safe vote"
        ),
        dev0,
    )
    proposal_id = first_event(receipt, governor, "ProposalCreated")["id"]
    isolated_devnet.control.mine(2)
    vote = governor.encode_abi("castVote", args=[proposal_id, True])
    await _exec(isolated_devnet, w3, safe, stack["governor"], bytes.fromhex(vote[2:]))
    has_voted, support, votes = governor.functions.getReceipt(proposal_id, safe.address).call()
    assert (has_voted, support, votes) == (True, True, amount)

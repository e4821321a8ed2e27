"""A 2-of-3 Safe votes through govdesk: approvals collected durably, then sent or executed."""

from __future__ import annotations

from pathlib import Path

import pytest
from eth_abi.abi import encode
from web3 import Web3

from app.chain.rpc import RpcClient
from app.chain.transactions import TxSender
from app.devnet.hub.contract_signatures import ChainContractSignatures
from app.devnet.network import Devnet
from app.devnet.safes import SafeDeployer
from app.errors import InputError
from app.keys.airgap import (
    SigningRequest,
    SigningResponse,
    dump_request,
    dump_response,
    load_request,
    load_response,
)
from app.keys.keystore import KdfParams, seal_private_key
from app.keys.memory_vault import MemoryVault
from app.keys.signer_protocol import LocalKeySigner
from app.keys.unlock import UnlockSession
from app.keys.vault_signers import AirGappedSigner, VaultSigner, sign_request
from app.safe.requests import RequestStatus, SafeRequests
from app.safe.voting import approve, execute, hand_to_outbox, open_snapshot_vote, open_transaction
from app.snapshot.messages import VoteRequest
from app.snapshot.outbox import Outbox
from app.store.database import connect
from tests.integration.helpers import contract, first_event, send

pytestmark = pytest.mark.integration
SEQUENCER = "http://127.0.0.1:9/"


@pytest.fixture
def safe_address(isolated_devnet: Devnet, w3: Web3) -> str:
    deployer = SafeDeployer(w3, isolated_devnet.accounts[0].address)
    infra = deployer.deploy_infra()
    return deployer.create_safe(infra, [a.address for a in isolated_devnet.accounts[1:4]], 2)


def _signer(devnet: Devnet, index: int) -> LocalKeySigner:
    return LocalKeySigner(devnet.accounts[index].dev_key, chain_id=devnet.chain_id)


async def _air_gapped_owner(devnet: Devnet, index: int) -> AirGappedSigner:
    """An owner whose key lives only on an offline device: requests and answers go as files."""
    owner = devnet.accounts[index]
    vault = MemoryVault()
    await vault.put(owner.address, seal_private_key(bytes.fromhex(owner.dev_key[2:]), "pw",
                                                    kdf=KdfParams(scrypt_n=2**4)))  # fmt: skip
    session = UnlockSession(vault)
    await session.unlock(owner.address, "pw")
    offline = VaultSigner(session, owner.address, chain_id=devnet.chain_id)

    async def exchange(request: SigningRequest) -> SigningResponse:
        carried = load_request(dump_request(request))  # online -> offline, as a file
        return load_response(dump_response(await sign_request(carried, offline)))

    return AirGappedSigner(owner.address, chain_id=devnet.chain_id, exchange=exchange)


async def test_a_partly_signed_snapshot_vote_survives_a_restart_and_is_valid_for_the_safe(
    isolated_devnet: Devnet, safe_address: str, tmp_path: Path
) -> None:
    store = tmp_path / "store.db"
    vote = VoteRequest(space="alpha.govdesk.eth", proposal="0x" + "cd" * 32,
                       voting_type="single-choice", choice=2, choices_count=3)  # fmt: skip
    async with RpcClient([isolated_devnet.rpc_url], chain_id=isolated_devnet.chain_id) as rpc:
        requests = SafeRequests(connect(store))
        opened = await open_snapshot_vote(requests, rpc, safe_address, vote, SEQUENCER)
        assert opened.progress == "waiting for 2 more signers"
        with pytest.raises(InputError, match="is not an owner"):
            await approve(requests, opened.id, _signer(isolated_devnet, 8))
        first = await approve(requests, opened.id, _signer(isolated_devnet, 3))
        assert first.progress == "waiting for 1 more signer"
        assert (await approve(requests, opened.id, _signer(isolated_devnet, 3))).missing == 1

    # The app restarts: the approval is still there, and the second owner finishes it.
    conn = connect(store)
    requests = SafeRequests(conn)
    assert requests.get(opened.id).progress == "waiting for 1 more signer"
    # The second owner keeps the key offline (air-gapped).
    done = await approve(requests, opened.id, await _air_gapped_owner(isolated_devnet, 1))
    assert done.status is RequestStatus.READY

    entry = hand_to_outbox(requests, Outbox(conn), opened.id)
    assert entry.envelope.address == safe_address
    assert entry.envelope.data["message"]["from"] == safe_address
    assert requests.get(opened.id).progress == "sent"
    # What the sequencer (and our local hub) does with it: EIP-1271 on the Safe.
    digest = bytes.fromhex(entry.envelope.id[2:])
    sig = bytes.fromhex(entry.envelope.sig[2:])
    assert ChainContractSignatures(isolated_devnet.rpc_url).is_valid(safe_address, digest, sig)


async def test_a_safe_casts_an_alpha_vote_through_a_collected_safe_transaction(
    isolated_devnet: Devnet, w3: Web3, safe_address: str, tmp_path: Path
) -> None:
    stack = isolated_devnet.stack("alpha")
    token = contract(w3, "CompToken", stack["token"])
    governor = contract(w3, "GovernorAlpha", stack["governor"])
    dev0 = isolated_devnet.accounts[0].address
    send(w3, token.functions.transfer(safe_address, 150_000 * 10**18), dev0)
    requests = SafeRequests(connect(tmp_path / "store.db"))
    async with RpcClient([isolated_devnet.rpc_url], chain_id=isolated_devnet.chain_id) as rpc:
        delegate = bytes.fromhex(token.encode_abi("delegate", args=[safe_address])[2:])
        first = await open_transaction(requests, rpc, safe_address, stack["token"], delegate,
                                       "delegates its votes to itself")  # fmt: skip
        receipt = send(
            w3,
            governor.functions.propose([stack["target"]], [0], ["addFoundationMember(string)"],
                                       [encode(["string"], ["safe.eth"])], "# Safe"),
            dev0,
        )  # fmt: skip
        proposal_id = first_event(receipt, governor, "ProposalCreated")["id"]
        cast = bytes.fromhex(governor.encode_abi("castVote", args=[proposal_id, True])[2:])
        second = await open_transaction(requests, rpc, safe_address, stack["governor"], cast,
                                        f"votes For on proposal {proposal_id}")  # fmt: skip
        # The second transaction queues after the first, which is still being signed.
        assert (first.payload["nonce"], second.payload["nonce"]) == (0, 1)
        assert second.summary.endswith(f"(2 of 3) votes For on proposal {proposal_id}")
        air_gapped = await _air_gapped_owner(isolated_devnet, 2)
        for request in (first, second):
            await approve(requests, request.id, _signer(isolated_devnet, 1))
            await approve(requests, request.id, air_gapped)
        executor = TxSender(rpc, _signer(isolated_devnet, 3))  # an owner who did not sign
        await execute(requests, executor, first.id)
        with pytest.raises(InputError, match="already sent"):
            await approve(requests, first.id, _signer(isolated_devnet, 3))
        isolated_devnet.control.mine(2)
        await execute(requests, executor, second.id)
    has_voted, support, votes = governor.functions.getReceipt(proposal_id, safe_address).call()
    assert (has_voted, support, votes) == (True, True, 150_000 * 10**18)

"""Signer implementations: vault-backed, watch-only (produces a request), air-gapped (verified)."""

from __future__ import annotations

from typing import Any

import pytest
from eth_account import Account
from eth_account.messages import encode_typed_data

from app.errors import SigningError
from app.keys.airgap import RequestKind, SigningRequest, SigningResponse
from app.keys.errors import AccountLockedError, OfflineSignatureRequired, OfflineSigningError
from app.keys.keystore import seal_private_key
from app.keys.memory_vault import MemoryVault
from app.keys.signer_protocol import Signer
from app.keys.unlock import UnlockSession
from app.keys.vault_signers import AirGappedSigner, VaultSigner, WatchOnlySigner, sign_request
from tests.app.keys.conftest import FAST_KDF, HARDHAT_ADDRESS_0, HARDHAT_KEY_0

PASSWORD = "correct horse battery"
CHAIN = 31337


def ballot(chain_id: int = CHAIN) -> dict[str, Any]:
    return {
        "types": {
            "EIP712Domain": [
                {"name": "name", "type": "string"},
                {"name": "version", "type": "string"},
                {"name": "chainId", "type": "uint256"},
                {"name": "verifyingContract", "type": "address"},
            ],
            "Ballot": [
                {"name": "proposalId", "type": "uint256"},
                {"name": "support", "type": "uint8"},
            ],
        },
        "primaryType": "Ballot",
        "domain": {
            "name": "Gov",
            "version": "1",
            "chainId": chain_id,
            "verifyingContract": "0x5FbDB2315678afecb367f032d93F642f64180aa3",
        },
        "message": {"proposalId": 42, "support": 1},
    }


TX = {
    "chainId": CHAIN,
    "nonce": 7,
    "to": "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    "value": 0,
    "gas": 200_000,
    "maxFeePerGas": 2_000_000_000,
    "maxPriorityFeePerGas": 1_000_000_000,
    "data": "0x56781388" + "00" * 63 + "2a" + "00" * 31 + "01",
}


@pytest.fixture
async def session() -> UnlockSession:
    vault = MemoryVault()
    sealed = seal_private_key(bytes.fromhex(HARDHAT_KEY_0[2:]), PASSWORD, kdf=FAST_KDF)
    await vault.put(HARDHAT_ADDRESS_0, sealed)
    unlocked = UnlockSession(vault)
    await unlocked.unlock(HARDHAT_ADDRESS_0, PASSWORD)
    return unlocked


async def test_vault_signer_signs_typed_data_that_recovers_to_the_account(
    session: UnlockSession,
) -> None:
    signer = VaultSigner(session, HARDHAT_ADDRESS_0, chain_id=CHAIN)
    assert isinstance(signer, Signer)
    signature = await signer.sign_typed_data(ballot())
    recovered = Account.recover_message(
        encode_typed_data(full_message=ballot()), signature=signature
    )
    assert recovered == HARDHAT_ADDRESS_0


async def test_vault_signer_signs_transactions(session: UnlockSession) -> None:
    raw = await VaultSigner(session, HARDHAT_ADDRESS_0, chain_id=CHAIN).sign_transaction(TX)
    assert Account.recover_transaction(raw) == HARDHAT_ADDRESS_0


async def test_vault_signer_refuses_other_chains_and_locked_accounts(
    session: UnlockSession,
) -> None:
    signer = VaultSigner(session, HARDHAT_ADDRESS_0, chain_id=1)
    with pytest.raises(SigningError, match="chain 31337"):
        await signer.sign_typed_data(ballot())
    with pytest.raises(SigningError, match="chain 31337"):
        await signer.sign_transaction(TX)
    session.lock_all()
    with pytest.raises(AccountLockedError):
        await VaultSigner(session, HARDHAT_ADDRESS_0, chain_id=CHAIN).sign_typed_data(ballot())


async def test_watch_only_signer_produces_a_signing_request() -> None:
    signer = WatchOnlySigner(HARDHAT_ADDRESS_0, chain_id=CHAIN, context={"note": "x"})
    assert isinstance(signer, Signer)
    with pytest.raises(OfflineSignatureRequired) as info:
        await signer.sign_typed_data(ballot())
    request = info.value.request
    assert isinstance(request, SigningRequest)
    assert request.kind is RequestKind.TYPED_DATA
    assert request.payload == ballot()
    assert request.context == {"note": "x"}
    with pytest.raises(OfflineSignatureRequired) as tx_info:
        await signer.sign_transaction(TX)
    assert isinstance(tx_info.value.request, SigningRequest)
    assert tx_info.value.request.chain_id == CHAIN
    with pytest.raises(SigningError):
        await WatchOnlySigner(HARDHAT_ADDRESS_0, chain_id=1).sign_typed_data(ballot())


async def test_air_gapped_signer_round_trip_through_an_offline_session(
    session: UnlockSession,
) -> None:
    offline = VaultSigner(session, HARDHAT_ADDRESS_0, chain_id=CHAIN)

    async def exchange(request: SigningRequest) -> SigningResponse:
        return await sign_request(request, offline)

    signer = AirGappedSigner(HARDHAT_ADDRESS_0, chain_id=CHAIN, exchange=exchange)
    signature = await signer.sign_typed_data(ballot())
    assert signature == await offline.sign_typed_data(ballot())
    raw = await signer.sign_transaction(TX)
    assert Account.recover_transaction(raw) == HARDHAT_ADDRESS_0


async def test_air_gapped_signer_rejects_a_response_from_another_key(
    session: UnlockSession,
) -> None:
    other = Account.create()

    async def exchange(request: SigningRequest) -> SigningResponse:
        forged = other.sign_message(encode_typed_data(full_message=request.payload))
        return SigningResponse(
            request.request_id,
            request.kind,
            request.address,
            request.chain_id,
            signature="0x" + bytes(forged.signature).hex(),
        )

    signer = AirGappedSigner(HARDHAT_ADDRESS_0, chain_id=CHAIN, exchange=exchange)
    with pytest.raises(OfflineSigningError, match="recovers to"):
        await signer.sign_typed_data(ballot())


async def test_sign_request_refuses_a_different_account(session: UnlockSession) -> None:
    with pytest.raises(OfflineSignatureRequired) as info:
        await WatchOnlySigner(Account.create().address, chain_id=CHAIN).sign_typed_data(ballot())
    offline = VaultSigner(session, HARDHAT_ADDRESS_0, chain_id=CHAIN)
    assert isinstance(info.value.request, SigningRequest)
    with pytest.raises(OfflineSigningError, match="chosen account"):
        await sign_request(info.value.request, offline)

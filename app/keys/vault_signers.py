"""Signer implementations beyond ``LocalKeySigner``: vault-backed, watch-only and air-gapped.

All follow the ``Signer`` protocol (``app.keys.signer_protocol``), so Snapshot and Governor
code do not care where the key is. Hardware signers (Ledger, Trezor) live in
``app.keys.hardware``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from eth_account.messages import encode_typed_data
from eth_utils.address import to_checksum_address

from app.keys.airgap import (
    RequestKind,
    SigningRequest,
    SigningResponse,
    accept_response,
    build_transaction_request,
    build_typed_data_request,
)
from app.keys.errors import OfflineSignatureRequired, OfflineSigningError
from app.keys.signer_protocol import check_domain_chain, check_transaction_chain
from app.keys.transaction_fields import normalize_transaction
from app.keys.unlock import UnlockSession

Exchange = Callable[[SigningRequest], Awaitable[SigningResponse]]


class VaultSigner:
    """Signs with a key unlocked in an ``UnlockSession``; locked -> ``AccountLockedError``."""

    def __init__(self, session: UnlockSession, address: str, *, chain_id: int | None) -> None:
        self._session = session
        self._address = to_checksum_address(address)
        self.chain_id = chain_id

    def __repr__(self) -> str:
        return f"VaultSigner({self._address}, chain_id={self.chain_id})"

    @property
    def address(self) -> str:
        return self._address

    async def sign_typed_data(self, typed_data: dict[str, Any]) -> str:
        # Verify the chain before the key is even touched.
        check_domain_chain(typed_data, self.chain_id)
        signable = encode_typed_data(full_message=typed_data)
        signed = self._session.use(self._address).sign_message(signable)
        return "0x" + bytes(signed.signature).hex()

    async def sign_transaction(self, transaction: dict[str, Any]) -> bytes:
        check_transaction_chain(transaction, self.chain_id)
        tx = normalize_transaction(transaction)
        signed = self._session.use(self._address).sign_transaction(tx)
        return bytes(signed.raw_transaction)


class _RequestSigner:
    """What the watch-only and air-gapped signers share: an address, a chain, and turning what is
    to be signed into a ``SigningRequest`` for the device that holds the key."""

    def __init__(
        self, address: str, *, chain_id: int | None, context: dict[str, Any] | None = None
    ) -> None:
        self._address = to_checksum_address(address)
        self.chain_id = chain_id
        self._context = context or {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._address}, chain_id={self.chain_id})"

    @property
    def address(self) -> str:
        return self._address

    def _typed_data_request(self, typed_data: dict[str, Any]) -> SigningRequest:
        check_domain_chain(typed_data, self.chain_id)
        return build_typed_data_request(typed_data, address=self._address, context=self._context)

    def _transaction_request(self, transaction: dict[str, Any]) -> SigningRequest:
        check_transaction_chain(transaction, self.chain_id)
        return build_transaction_request(transaction, address=self._address, context=self._context)


class WatchOnlySigner(_RequestSigner):
    """Cannot sign: raises ``OfflineSignatureRequired`` carrying the request to sign offline."""

    async def sign_typed_data(self, typed_data: dict[str, Any]) -> str:
        raise OfflineSignatureRequired(
            f"{self._address} is watch-only here: sign the request on your offline device.",
            request=self._typed_data_request(typed_data),
        )

    async def sign_transaction(self, transaction: dict[str, Any]) -> bytes:
        raise OfflineSignatureRequired(
            f"{self._address} is watch-only here: sign the transaction on your offline device.",
            request=self._transaction_request(transaction),
        )


class AirGappedSigner(_RequestSigner):
    """Signs through an offline device: ``exchange`` carries the request there and the response
    back (a UI shows QR frames and scans the answer; tests pass files). Responses are verified."""

    def __init__(
        self,
        address: str,
        *,
        chain_id: int | None,
        exchange: Exchange,
        context: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(address, chain_id=chain_id, context=context)
        self._exchange = exchange

    async def sign_typed_data(self, typed_data: dict[str, Any]) -> str:
        request = self._typed_data_request(typed_data)
        result = accept_response(request, await self._exchange(request))
        if not isinstance(result, str):
            raise OfflineSigningError("The offline device answered with a transaction.")
        return result

    async def sign_transaction(self, transaction: dict[str, Any]) -> bytes:
        request = self._transaction_request(transaction)
        result = accept_response(request, await self._exchange(request))
        if not isinstance(result, bytes):
            raise OfflineSigningError("The offline device answered with a signature.")
        return result


async def sign_request(request: SigningRequest, signer: VaultSigner) -> SigningResponse:
    """The offline side: sign ``request`` with an unlocked vault signer for the same address."""
    if signer.address != request.address:
        raise OfflineSigningError(
            f"The request is for {request.address}, but the chosen account is {signer.address}."
        )
    if request.kind is RequestKind.TYPED_DATA:
        signature = await signer.sign_typed_data(request.payload)
        return SigningResponse(
            request.request_id, request.kind, request.address, request.chain_id, signature=signature
        )
    raw = await signer.sign_transaction(request.payload)
    return SigningResponse(
        request.request_id,
        request.kind,
        request.address,
        request.chain_id,
        raw_transaction="0x" + raw.hex(),
    )

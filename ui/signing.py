"""request_signature: the one way the UI gets something signed.

It builds the readable preview (``app.keys.preview``), shows it in a ``SigningDialog``, unlocks the
account if needed (``UnlockDialog``) and signs through the account's signer. Watch-only accounts go
through the air-gap dialog instead: the request leaves as QR frames or a file, and the response is
verified (``app.keys.airgap``) before its signature or raw transaction is returned.
``DialogSigner`` wraps all this as a ``Signer``, so core code that builds the transaction itself
(``GovernorClient.delegate``) still shows the preview first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from eth_utils.address import to_checksum_address
from PySide6.QtWidgets import QDialog, QWidget

from app.errors import SigningError
from app.keys.accounts import AccountManager
from app.keys.airgap import SigningRequest, SigningResponse
from app.keys.hardware.signer import HardwareBackend
from app.keys.metadata import AccountInfo, AccountKind
from app.keys.preview import SigningPreview, build_preview
from app.keys.unlock import StoredFailures, ThrottlePolicy, UnlockSession
from app.keys.vault_signers import AirGappedSigner, VaultSigner
from app.orgs import Organisation
from app.usecases.signing import PreviewHints, SignerSource

if TYPE_CHECKING:  # app.pipeline.voting pulls in web3; only its type is needed here
    from app.pipeline.voting import RequestSignature


class SigningCancelled(SigningError):  # noqa: N818 - a person's choice, reported like an error
    """The person closed a signing, unlock or air-gap dialog without finishing it."""


@dataclass
class Keys:
    """The account manager and the app's one unlock session (with its throttle policy)."""

    manager: AccountManager
    session: UnlockSession
    throttle: ThrottlePolicy = field(default_factory=ThrottlePolicy)
    hardware: HardwareBackend = field(default_factory=HardwareBackend)

    @classmethod
    def over(cls, manager: AccountManager, *, idle_timeout: float = 300.0) -> Keys:
        throttle = ThrottlePolicy()
        ledger = StoredFailures(manager.store_connection)  # the delay outlives the process
        session = UnlockSession(
            manager.vault, idle_timeout=idle_timeout, throttle=throttle, ledger=ledger
        )
        return cls(manager, session, throttle)

    def unlock_delay(self, address: str) -> float:
        """Seconds the session will wait before the next attempt for ``address``."""
        return self.throttle.delay_after(self.session.failures(address))


@dataclass(frozen=True)
class PreviewContext:
    """What the preview needs to know besides the payload: the network and trusted contracts."""

    chain_id: int | None
    network_name: str
    known_abis: Mapping[str, Sequence[Mapping[str, Any]]] = field(default_factory=dict)
    context: Mapping[str, Any] = field(default_factory=dict)

    def network_text(self) -> str:
        chain = "no chain id" if self.chain_id is None else f"chain {self.chain_id}"
        return f"{self.network_name} ({chain})"

    def preview(self, payload: Mapping[str, Any]) -> SigningPreview:
        return build_preview(
            payload,
            expected_chain_id=self.chain_id,
            network_name=self.network_name,
            known_abis=self.known_abis,
            context=self.context,
        )


async def run_dialog(dialog: QDialog) -> bool:
    """Show ``dialog`` window-modally without a nested event loop; True if it was accepted."""
    done: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def finished(result: int) -> None:
        if not done.done():
            done.set_result(result)

    dialog.finished.connect(finished)
    dialog.open()
    try:
        return await done == QDialog.DialogCode.Accepted.value
    finally:
        dialog.deleteLater()


async def ensure_unlocked(parent: QWidget | None, keys: Keys, info: AccountInfo) -> None:
    """Ask for the password until the account is unlocked; ``SigningCancelled`` on cancel."""
    from ui.views.unlock_dialog import UnlockDialog

    if keys.session.is_unlocked(info.address):
        return
    dialog = UnlockDialog(info, keys, parent)
    if not await run_dialog(dialog):
        raise SigningCancelled("Unlocking was cancelled; nothing was signed.")


def _is_typed_data(payload: Mapping[str, Any]) -> bool:
    return {"types", "primaryType", "domain", "message"} <= payload.keys()


async def _exchange_through_dialog(
    parent: QWidget | None, request: SigningRequest
) -> SigningResponse:
    from ui.views.airgap_dialog import AirGapDialog

    dialog = AirGapDialog(request, parent)
    if not await run_dialog(dialog) or dialog.response is None:
        raise SigningCancelled("The offline signing was cancelled; nothing was signed.")
    return dialog.response


async def request_signature(
    parent: QWidget | None,
    keys: Keys,
    account: str,
    payload: dict[str, Any],
    *,
    preview_context: PreviewContext,
) -> str | bytes:
    """Preview, confirm, unlock (or air-gap) and sign ``payload`` as ``account``.

    Returns the ``0x`` signature for typed data, or the raw signed transaction bytes.
    """
    from ui.views.signing_dialog import SigningDialog

    info = await keys.manager.get(account)
    preview = preview_context.preview(payload)
    if info.kind is AccountKind.HARDWARE:
        from ui.hardware_signing import sign_on_device

        return await sign_on_device(parent, keys, info, payload, preview, preview_context)
    watch_only = info.kind is AccountKind.WATCH
    network = preview_context.network_text()
    dialog = SigningDialog(
        preview, parent, offline=watch_only, network=network, account=info.address
    )
    if not await run_dialog(dialog):
        raise SigningCancelled("Signing was cancelled; nothing was signed.")
    chain_id = preview_context.chain_id
    signer: VaultSigner | AirGappedSigner
    if watch_only:
        signer = AirGappedSigner(
            info.address,
            chain_id=chain_id,
            exchange=lambda request: _exchange_through_dialog(parent, request),
            context=dict(preview_context.context),
        )
    else:
        await ensure_unlocked(parent, keys, info)
        signer = VaultSigner(keys.session, info.address, chain_id=chain_id)
    if _is_typed_data(payload):
        return await signer.sign_typed_data(payload)
    return await signer.sign_transaction(payload)


class DialogSigner:
    """A ``Signer`` whose every signature goes through ``request_signature``."""

    def __init__(
        self, parent: QWidget | None, keys: Keys, account: str, preview_context: PreviewContext
    ) -> None:
        self._parent = parent
        self._keys = keys
        self._address = to_checksum_address(account)
        self._context = preview_context

    def __repr__(self) -> str:
        return f"DialogSigner({self._address})"

    @property
    def address(self) -> str:
        return self._address

    async def sign_typed_data(self, typed_data: dict[str, Any]) -> str:
        result = await request_signature(
            self._parent, self._keys, self._address, typed_data, preview_context=self._context
        )
        if not isinstance(result, str):
            raise SigningError("The signer returned a transaction instead of a signature.")
        return result

    async def sign_transaction(self, transaction: dict[str, Any]) -> bytes:
        result = await request_signature(
            self._parent, self._keys, self._address, transaction, preview_context=self._context
        )
        if not isinstance(result, bytes):
            raise SigningError("The signer returned a signature instead of a transaction.")
        return result


def dialog_signer_source(
    parent: QWidget | None, keys: Keys, account: Callable[[], str | None]
) -> SignerSource:
    """A ``SignerSource`` (app.usecases) that signs as the account current when it is asked,
    through the signing dialog with the use case's preview hints."""

    def make(org: Organisation, hints: PreviewHints) -> DialogSigner:
        address = account()
        if not address:
            raise SigningError("Choose an account (toolbar) before signing.")
        preview = PreviewContext(
            org.network.chain_id, org.network.name, dict(hints.abis), dict(hints.context)
        )
        return DialogSigner(parent, keys, address, preview)

    return make


def signature_requester(
    parent: QWidget | None,
    keys: Keys,
    account: Callable[[], str | None],
    organisation: Callable[[], Organisation | None],
) -> RequestSignature:
    """A ``RequestSignature`` (app.pipeline.voting) for whichever account and organisation are
    current when it is called: it previews on that organisation's network and signs as that
    account through ``request_signature``."""

    async def request(payload: dict[str, Any], context: Mapping[str, Any]) -> str | bytes:
        address, org = account(), organisation()
        if not address:
            raise SigningError("Choose an account (toolbar) before signing.")
        if org is None:
            raise SigningError("Choose an organisation before signing.")
        preview = PreviewContext(org.network.chain_id, org.network.name, context=dict(context))
        return await request_signature(parent, keys, address, payload, preview_context=preview)

    return request

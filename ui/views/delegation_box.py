"""DelegationBox: the selected account's current delegate for the organisation's token, and
buttons to delegate to itself or to another address (signed through the preview dialog)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.chain.rpc import RpcClient
from app.errors import InputError
from app.governor.client import GovernorClient
from app.keys.metadata import AccountInfo
from app.orgs import Organisation
from ui.signing import DialogSigner, Keys, PreviewContext
from ui.tasks import run_task

# Enough ABI for the preview to show "delegate(address)" with its argument decoded.
DELEGATE_ABI = (
    {
        "type": "function",
        "name": "delegate",
        "inputs": [{"name": "delegatee", "type": "address"}],
        "outputs": [],
        "stateMutability": "nonpayable",
    },
)


@asynccontextmanager
async def open_governor(org: Organisation) -> AsyncIterator[GovernorClient]:
    """A connected ``GovernorClient`` for ``org``; the RPC connection closes on exit."""
    if not org.governor:
        raise InputError(f"{org.name} has no on-chain governor configured.")
    rpc = await RpcClient(org.network.rpc_urls, chain_id=org.network.chain_id).connect()
    try:
        yield await GovernorClient.open(
            rpc,
            org.governor,
            multicall_address=org.network.multicall or None,
            token=org.token or None,
        )
    finally:
        await rpc.close()


async def read_delegate(org: Organisation, account: str) -> tuple[str, str]:
    """``(token symbol, current delegate of account)``."""
    async with open_governor(org) as governor:
        return governor.info.token.symbol, await governor.current_delegate(account)


class DelegationBox(QGroupBox):
    def __init__(
        self,
        parent: QWidget,
        keys: Keys,
        current_org: Callable[[], Organisation | None],
        selected: Callable[[], AccountInfo | None],
    ) -> None:
        super().__init__("Delegation", parent)
        self.keys = keys
        self.current_org = current_org
        self.selected = selected
        layout = QVBoxLayout(self)
        self.current = QLabel("", self)
        self.current.setObjectName("delegation-current")
        self.current.setWordWrap(True)
        layout.addWidget(self.current)
        row = QHBoxLayout()
        self.target = QLineEdit(self)
        self.target.setObjectName("delegation-target")
        self.target.setPlaceholderText("Delegate to address (0x…)")
        row.addWidget(self.target)
        self.to_self = QPushButton("Delegate to self", self)
        self.to_self.clicked.connect(lambda: self.delegate(None))
        self.to_address = QPushButton("Delegate to address", self)
        self.to_address.clicked.connect(lambda: self.delegate(self.target.text().strip()))
        row.addWidget(self.to_self)
        row.addWidget(self.to_address)
        layout.addLayout(row)
        self.delegate_shown = ""

    def _context(self) -> tuple[Organisation, AccountInfo] | None:
        org, info = self.current_org(), self.selected()
        if org is None or not org.governor:
            self.current.setText("Choose an organisation with an on-chain governor to delegate.")
            return None
        if info is None:
            self.current.setText("Select an account to see its delegate.")
            return None
        return org, info

    def reload(self) -> None:
        context = self._context()
        if context is None:
            return
        org, info = context
        self.current.setText(f"Reading the delegate of {info.label} in {org.name}…")
        run_task(
            read_delegate(org, info.address),
            owner=self,
            on_done=lambda result: self._show(info, result),
            on_error=self.current.setText,
        )

    def _show(self, info: AccountInfo, result: tuple[str, str]) -> None:
        symbol, delegate = result
        self.delegate_shown = delegate
        if int(delegate, 16) == 0:
            text = f"{info.label} has not delegated its {symbol} votes (they count for no one)."
        elif delegate == info.address:
            text = f"{info.label} delegates its {symbol} votes to itself ({delegate})."
        else:
            text = f"{info.label} delegates its {symbol} votes to {delegate}."
        self.current.setText(text)

    def delegate(self, to: str | None) -> None:
        context = self._context()
        if context is None:
            return
        org, info = context
        self.current.setText("Waiting for your signature…")
        run_task(
            self._send(org, info, to or info.address),
            owner=self,
            on_done=lambda _receipt: self.reload(),
            on_error=self.current.setText,
        )

    async def _send(self, org: Organisation, info: AccountInfo, to: str) -> object:
        async with open_governor(org) as governor:
            abis = {governor.info.token.address: DELEGATE_ABI}
            preview = PreviewContext(org.network.chain_id, org.network.name, known_abis=abis)
            signer = DialogSigner(self.window(), self.keys, info.address, preview)
            return await governor.delegate(signer, to)

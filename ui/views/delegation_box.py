"""DelegationBox: the selected account's current delegate for the organisation's token, and
buttons to delegate to itself or to another address (the ``onchain`` use cases; signed through
the preview dialog, refused before signing when the account cannot pay the fee); who delegates
their votes to the account; and its Snapshot delegation (the Delegate Registry)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.keys.metadata import AccountInfo
from app.orgs import Organisation
from app.snapshot.delegation import SnapshotDelegation
from app.usecases.delegation import DelegatesPage
from app.usecases.delegation import Delegation as DelegationActions
from app.usecases.onchain import Delegation, Onchain
from app.usecases.signing import SignerSource
from ui.tasks import run_task


class DelegationBox(QGroupBox):
    def __init__(
        self,
        parent: QWidget,
        onchain: Onchain,
        sign: Callable[[str], SignerSource],
        current_org: Callable[[], Organisation | None],
        selected: Callable[[], AccountInfo | None],
        snapshot: DelegationActions | None = None,
    ) -> None:
        super().__init__("Delegation", parent)
        self.onchain, self.sign, self.snapshot = onchain, sign, snapshot
        self.current_org = current_org
        self.selected = selected
        layout = QVBoxLayout(self)
        self.current = QLabel("", self)
        self.current.setObjectName("delegation-current")
        self.current.setWordWrap(True)
        layout.addWidget(self.current)
        layout.addLayout(self._build_token_row())
        self.delegate_shown = ""
        self.to_me = QLabel("", self)  # who delegates to this account (the delegates use case)
        self.to_me.setObjectName("delegation-to-me")
        self.to_me.setWordWrap(True)
        self.to_me.setVisible(snapshot is not None)
        layout.addWidget(self.to_me)
        # Snapshot's own delegation (the Delegate Registry), per space, next to the token's.
        self.snapshot_current = QLabel("", self)
        self.snapshot_current.setObjectName("delegation-snapshot")
        self.snapshot_current.setWordWrap(True)
        layout.addWidget(self.snapshot_current)
        layout.addLayout(self._build_snapshot_row())
        for widget in (self.snapshot_current, self.snapshot_to, self.snapshot_clear):
            widget.setVisible(False)

    def _build_token_row(self) -> QHBoxLayout:
        """The target address and the token's "Delegate to self / to address" buttons."""
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
        return row

    def _build_snapshot_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.snapshot_to = QPushButton("Delegate on Snapshot to address", self)
        self.snapshot_to.clicked.connect(
            lambda: self.delegate_on_snapshot(self.target.text().strip() or None)
        )
        self.snapshot_clear = QPushButton("Stop delegating on Snapshot", self)
        self.snapshot_clear.clicked.connect(lambda: self.delegate_on_snapshot(None))
        row.addStretch(1)
        row.addWidget(self.snapshot_to)
        row.addWidget(self.snapshot_clear)
        return row

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
        self._reload_snapshot(org, info)
        self._reload_to_me(org, info)
        run_task(
            self.onchain.delegation(org, info.address),
            owner=self,
            on_done=lambda result: self._show(info, result),
            on_error=self.current.setText,
        )

    def _show(self, info: AccountInfo, result: Delegation) -> None:
        symbol, delegate = result.symbol, result.delegate
        self.delegate_shown = delegate
        if int(delegate, 16) == 0:
            text = f"{info.label} has not delegated its {symbol} votes (they count for no one)."
        elif delegate == info.address:
            text = f"{info.label} delegates its {symbol} votes to itself ({delegate})."
        else:
            text = f"{info.label} delegates its {symbol} votes to {delegate}."
        self.current.setText(text)

    def _reload_to_me(self, org: Organisation, info: AccountInfo) -> None:
        if self.snapshot is None:
            return
        self.to_me.setText(f"Reading who delegates to {info.label}…")
        run_task(
            self.snapshot.page(org, info.address, recent=0, statements=False),
            owner=self,
            on_done=lambda page: self.to_me.setText(to_me_text(info, page)),
            on_error=self.to_me.setText,
        )

    def delegate(self, to: str | None) -> None:
        context = self._context()
        if context is None:
            return
        org, info = context
        self.current.setText("Waiting for your signature…")
        run_task(
            self.onchain.delegate(org, self.sign(info.address), to or info.address),
            owner=self,
            on_done=lambda _receipt: self.reload(),
            on_error=self.current.setText,
        )

    def _reload_snapshot(self, org: Organisation, info: AccountInfo) -> None:
        shown = self.snapshot is not None and bool(org.snapshot_space)
        for widget in (self.snapshot_current, self.snapshot_to, self.snapshot_clear):
            widget.setVisible(shown)
        if self.snapshot is None or not shown:
            return
        self.snapshot_current.setText(f"Reading the Snapshot delegation on {org.snapshot_space}…")
        run_task(
            self.snapshot.snapshot_delegation(org, info.address),
            owner=self,
            on_done=self._show_snapshot,
            on_error=self.snapshot_current.setText,
        )

    def _show_snapshot(self, found: SnapshotDelegation) -> None:
        text = found.describe
        if found.delegate:
            text += " — your delegate votes with your power there unless you vote yourself."
        self.snapshot_current.setText(f"On Snapshot: {text}")

    def delegate_on_snapshot(self, to: str | None) -> None:
        context = self._context()
        if context is None or self.snapshot is None:
            return
        org, info = context
        self.snapshot_current.setText("Waiting for your signature…")
        run_task(
            self.snapshot.set_snapshot_delegate(org, self.sign(info.address), to),
            owner=self,
            on_done=lambda _receipt: self.reload(),
            on_error=self.snapshot_current.setText,
        )


def to_me_text(info: AccountInfo, page: DelegatesPage, shown: int = 5) -> str:
    """ "3 accounts delegate their BTRST votes to Ops key: 0x…, 0x… and 0x…" (or nobody)."""
    others = [a for a in page.to_me if a.lower() != info.address.lower()]
    if not others:
        return f"Nobody else delegates their {page.symbol} votes to {info.label}."
    names = ", ".join(others[:shown])
    more = f" and {len(others) - shown} more" if len(others) > shown else ""
    who = (
        "1 account delegates its" if len(others) == 1 else f"{len(others)} accounts delegate their"
    )
    return f"{who} {page.symbol} votes to {info.label}: {names}{more}."

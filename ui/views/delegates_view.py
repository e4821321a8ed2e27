"""DelegatesView: who holds the votes in an organisation, and delegating to one of them.

Delegates are ranked by current voting power (the ``delegation.page`` use case reads the token's
delegation events incrementally). Each row shows the delegate's name (your own accounts by their
label), votes in token units, how many accounts delegate to it, and how often it voted lately.
"Delegate to selected" delegates the current account's votes through the normal signing preview.
Where a delegate has a Snapshot statement on the organisation's space, its summary is a link
that opens the whole statement.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.keys.preview.calls import format_units
from app.orgs import Organisation
from app.snapshot.records import Statement
from app.usecases import UseCases
from app.usecases.delegation import DelegatesPage, statement_url
from app.usecases.signing import SignerSource
from ui.tasks import run_task
from ui.views.statement_dialog import StatementDialog
from ui.widgets.plain_text import elide

COLUMNS = ("#", "Delegate", "Votes", "Delegators", "Voted lately", "Statement")
STATEMENT_COLUMN = 5
RECENT = 10


def _item(text: str, *, align_right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)  # plain text: names and numbers from the chain, never markup
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def participation_text(voted: int, considered: int) -> str:
    if not considered:
        return "no proposals yet"
    return f"{voted} of the last {considered}"


class DelegatesView(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        actions: UseCases,
        org: Organisation,
        sign: SignerSource,
        account: Callable[[], str | None],
        names: Callable[[], Mapping[str, str]],
    ) -> None:
        super().__init__(parent)
        self.usecases, self.org, self.sign = actions, org, sign
        self.account, self.names = account, names
        self.page: DelegatesPage | None = None
        # Safes followed on this network are named by their label too.
        self._safe_labels = {
            s.info.address: s.label for s in actions.safes.followed(org.network.chain_id)
        }
        self._note = ""  # what the last action did, kept over the refresh it causes
        self.setWindowTitle(f"Delegates — {org.name}")
        self.resize(760, 520)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Who holds the votes: delegates ranked by their voting power now. Delegating moves "
            "your votes, not your tokens, and counts for proposals made afterwards.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = self._build_table()
        layout.addWidget(self.table, 1)
        self.to_me = QLabel("", self)
        self.to_me.setObjectName("delegates-to-me")
        self.to_me.setWordWrap(True)
        layout.addWidget(self.to_me)
        layout.addLayout(self._build_buttons())
        self.reload()

    def _build_table(self) -> QTableWidget:
        table = QTableWidget(0, len(COLUMNS), self)
        table.setObjectName("delegates-table")
        table.setHorizontalHeaderLabels(COLUMNS)
        table.verticalHeader().setVisible(False)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (0, 2, 3, 4, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        table.itemSelectionChanged.connect(self._selection_changed)
        return table

    def _build_buttons(self) -> QHBoxLayout:
        """The status line, Refresh and "Delegate to selected"."""
        row = QHBoxLayout()
        self.status = QLabel("", self)
        self.status.setObjectName("delegates-status")
        self.status.setWordWrap(True)
        row.addWidget(self.status, 1)
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.clicked.connect(self.reload)
        row.addWidget(self.refresh_button)
        self.delegate_button = QPushButton("Delegate to selected", self)
        self.delegate_button.setObjectName("delegates-delegate")
        self.delegate_button.setEnabled(False)
        self.delegate_button.clicked.connect(self.delegate_to_selected)
        row.addWidget(self.delegate_button)
        return row

    def name_of(self, address: str) -> str:
        label = self.names().get(address) or self._safe_labels.get(address)
        mine = self.account()
        you = " (you)" if mine and mine.lower() == address.lower() else ""
        return f"{label} {address}{you}" if label else f"{address}{you}"

    def reload(self) -> None:
        self.status.setText(f"Reading the delegates of {self.org.name}…")
        run_task(
            self.usecases.delegation.page(self.org, self.account(), recent=RECENT),
            owner=self,
            on_done=self.show_page,
            on_error=self.status.setText,
        )

    def show_page(self, page: DelegatesPage) -> None:
        self.page = page
        self.table.setRowCount(len(page.delegates))
        for row, delegate in enumerate(page.delegates):
            cells = (
                _item(str(row + 1), align_right=True),
                _item(self.name_of(delegate.address)),
                _item(format_units(delegate.votes, page.decimals, page.symbol), align_right=True),
                _item(f"{delegate.delegators:,}", align_right=True),
                _item(participation_text(delegate.voted, delegate.considered)),
            )
            for column, cell in enumerate(cells):
                self.table.setItem(row, column, cell)
            self._show_statement_cell(row, page.statement_of(delegate.address))
        count = len(page.delegates)
        summary = (
            f"{count} delegate{'s' if count != 1 else ''} hold votes in {self.org.name}."
            if count
            else "Nobody holds delegated votes yet: the first delegation will show here."
        )
        if page.statements_problem:
            summary += f" {page.statements_problem}"
        self.status.setText(self._note or summary)
        self._note = ""
        self._show_to_me(page)

    def _show_statement_cell(self, row: int, statement: Statement | None) -> None:
        self.table.removeCellWidget(row, STATEMENT_COLUMN)
        if statement is None:
            self.table.setItem(row, STATEMENT_COLUMN, _item("—"))
            return
        summary = elide(statement.about or "Statement", 60)
        holder = _item("")  # the link label below draws the text
        holder.setToolTip(statement.about)
        self.table.setItem(row, STATEMENT_COLUMN, holder)
        link = QLabel(f'<a href="statement">{escape(summary)}</a>', self.table)
        link.setObjectName("statement-link")
        link.linkActivated.connect(lambda _href, s=statement: self.open_statement(s))
        self.table.setCellWidget(row, STATEMENT_COLUMN, link)

    def open_statement(self, statement: Statement) -> StatementDialog:
        """The delegate's whole statement, in a dialog (and on snapshot.org where it has one)."""
        dialog = StatementDialog(statement, self.name_of(statement.delegate),
                                 statement_url(self.org, statement.delegate), self)  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _show_to_me(self, page: DelegatesPage) -> None:
        mine = self.account()
        if not mine:
            self.to_me.setText("Choose an account to see who delegates to it.")
            return
        others = [a for a in page.to_me if a.lower() != mine.lower()]
        if not others:
            self.to_me.setText("Nobody else delegates their votes to this account.")
            return
        shown = ", ".join(self.name_of(a) for a in others[:5])
        more = f" and {len(others) - 5} more" if len(others) > 5 else ""
        plural = "accounts delegate" if len(others) != 1 else "account delegates"
        self.to_me.setText(f"{len(others)} {plural} to this account: {shown}{more}.")

    def selected_delegate(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or self.page is None:
            return None
        return self.page.delegates[rows[0].row()].address

    def _selection_changed(self) -> None:
        self.delegate_button.setEnabled(
            self.selected_delegate() is not None and bool(self.account())
        )

    def delegate_to_selected(self) -> None:
        target = self.selected_delegate()
        if target is None:
            return
        self.status.setText("Waiting for your signature…")
        run_task(
            self.usecases.onchain.delegate(self.org, self.sign, target),
            owner=self,
            on_done=lambda _receipt: self._delegated(target),
            on_error=self.status.setText,
        )

    def _delegated(self, target: str) -> None:
        self._note = f"Your votes now go to {self.name_of(target)}."
        self.reload()

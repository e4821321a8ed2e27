"""MainWindow: organisation switcher, filters and search over the four-column pipeline board."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.keys.metadata import AccountInfo
from app.orgs import Organisation
from app.pipeline.board import Card
from app.pipeline.model import AccountContext, Phase
from app.services import BoardResult, Services
from ui.devnet_session import DevnetSession
from ui.models.board_model import FilterMode
from ui.notifier import Notifier
from ui.tasks import run_task
from ui.theme.chrome import decorate_toolbar, install_appearance_menu
from ui.views.about_dialog import AboutDialog, app_icon
from ui.views.account_selector import AccountsDialog, AccountSelector
from ui.views.advance_dialog import install_next_step_menu, open_next_step
from ui.views.board_view import BoardView
from ui.views.idea_dialog import IdeaDialog
from ui.views.org_dialog import OrgDialog
from ui.views.outbox_view import OutboxControls, OutboxView
from ui.views.shortcuts_dialog import ACCOUNTS, FOCUS_COLUMNS, HELP, OUTBOX, ShortcutsDialog
from ui.widgets.banner import Banner
from ui.widgets.busy_bar import BusyBar
from ui.widgets.org_avatars import decorate_org_box

_FILTERS = (
    (FilterMode.ALL, "All"),
    (FilterMode.MINE, "Mine"),
    (FilterMode.NEEDS_MY_VOTE, "Needs my vote"),
)


if TYPE_CHECKING:
    # Signing (eth-account) and the detail view (web3) load when first used, not at start-up:
    # the window shows the board from the store first (issue #20).
    from app.keys.signer_protocol import Signer
    from app.usecases.signing import PreviewHints, SignerSource
    from ui.signing import Keys
    from ui.views.proposal_detail_view import ProposalDetailView


class MainWindow(QMainWindow):
    board_shown = Signal(int)  # cards shown from the store, before the network answers
    board_loaded = Signal(int)  # cards once the network refresh is in

    def __init__(self, services: Services, parent: Any = None) -> None:
        super().__init__(parent)
        self.services = services
        self.account = AccountContext(None)
        self._forum_read: set[str] = set()
        self._shown_org: str | None = None  # whose board is on screen (saved or refreshed)
        self._keys: Keys | None = None
        self.accounts_dialog: AccountsDialog | None = None
        self.setWindowTitle("govdesk")
        self.setWindowIcon(app_icon())
        self.board = BoardView(services.clock, self)
        self.setCentralWidget(self._build_centre())
        self.board.card_activated.connect(self.open_detail)
        install_next_step_menu(self)  # a card's "Next step…" opens its create / propose dialog
        # Every use case signs through the signing dialog (ui.signing) as the chosen account.
        self.sign: SignerSource = self._signer_for_current_account
        self.devnet_session: DevnetSession | None = None
        self.account_labels: dict[str, str] = {}
        self._build_toolbar()
        self._build_view_menu()
        install_appearance_menu(self)
        self._build_help_menu()
        self.status = QLabel(self)
        self.statusBar().addWidget(self.status)
        self.outbox = OutboxControls(services.snapshot(), self, self.show_error)
        self.outbox_indicator = self.outbox.indicator
        self.statusBar().addPermanentWidget(self.outbox_indicator)
        self.notifier = Notifier(self, icon=app_icon())
        self._resent_at_start = False
        self._build_shortcuts()
        self._settings = QSettings("govdesk", "govdesk")
        geometry = self._settings.value("main_window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 760)
        state = self._settings.value("main_window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        # Countdowns on the cards move; repaint them once a minute.
        self._tick = QTimer(self)
        self._tick.timeout.connect(self.board.repaint_cards)
        self._tick.start(60_000)
        self.reload_orgs()

    def _build_toolbar(self) -> None:
        bar = QToolBar("Main", self)
        bar.setObjectName("main-toolbar")
        bar.setMovable(False)
        self.addToolBar(bar)
        self.org_box = QComboBox(self)
        self.org_box.setObjectName("org-switcher")
        self.org_box.setMinimumWidth(220)
        self.org_box.currentIndexChanged.connect(self._on_org_box_changed)
        bar.addWidget(self.org_box)
        bar.addSeparator()
        self.filter_group = QButtonGroup(self)
        for mode, label in _FILTERS:
            button = QToolButton(self)
            button.setText(label)
            button.setCheckable(True)
            button.setObjectName(f"filter-{mode.value}")
            button.setChecked(mode is FilterMode.ALL)
            button.clicked.connect(lambda _checked=False, m=mode: self.board.set_mode(m))
            self.filter_group.addButton(button)
            bar.addWidget(button)
        bar.addSeparator()
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.board.set_search)
        bar.addWidget(self.search)
        self._add_action(bar, "New idea", QKeySequence.StandardKey.New, self._on_new_idea_triggered)
        self._add_action(bar, "Refresh", QKeySequence.StandardKey.Refresh, self.refresh)
        add_org = QAction("Add organisation…", self)
        add_org.setObjectName("action-add-org")
        add_org.triggered.connect(self.add_organisation)
        bar.addAction(add_org)
        self._build_account_tools(bar)
        decorate_toolbar(bar)
        find = QAction(self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(lambda: self.search.setFocus())
        self.addAction(find)

    def _build_account_tools(self, bar: QToolBar) -> None:
        bar.addSeparator()
        self.account_selector = AccountSelector(self)
        self.account_selector.account_changed.connect(self._on_account_changed)
        bar.addWidget(self.account_selector)
        accounts = QAction("Accounts", self)
        accounts.setObjectName("action-accounts")
        accounts.triggered.connect(self.show_accounts)
        bar.addAction(accounts)
        run_task(
            self.services.list_accounts(),
            owner=self,
            on_done=self._on_first_accounts,
            on_error=self.show_error,
        )

    @property
    def keys(self) -> Keys:
        """The account manager and the unlock session, built on first use (signing, accounts)."""
        if self._keys is None:
            from ui.signing import Keys

            self._keys = Keys.over(self.services.account_manager())
        return self._keys

    def _signer_for_current_account(self, org: Organisation, hints: PreviewHints) -> Signer:
        from ui.signing import dialog_signer_source

        return dialog_signer_source(self, self.keys, lambda: self.account.address)(org, hints)

    def _on_first_accounts(self, accounts: list[AccountInfo]) -> None:
        self.account_labels = {a.address: a.label for a in accounts}
        self.account_selector.set_accounts(
            accounts, keep=str(self._settings.value("main_window/account", ""))
        )

    def show_accounts(self) -> AccountsDialog:
        """Open (or raise) the accounts window; its changes update the account selector."""
        if self.accounts_dialog is None:
            self.accounts_dialog = AccountsDialog(self.keys, self.current_org, self,
                                                  actions=self.services.actions)  # fmt: skip
            self.accounts_dialog.page.accounts_changed.connect(self._on_accounts_listed)
        self.accounts_dialog.show()
        self.accounts_dialog.activateWindow()
        return self.accounts_dialog

    def _on_accounts_listed(self, accounts: list[AccountInfo]) -> None:
        self.account_labels = {a.address: a.label for a in accounts}
        self.account_selector.set_accounts(accounts)

    def _on_account_changed(self, address: str) -> None:
        self._settings.setValue("main_window/account", address)
        self.account = AccountContext(address or None)
        self.refresh()

    def _build_view_menu(self) -> None:
        view = self.menuBar().addMenu("&View")
        outbox = view.addAction("Outbox…", self.show_outbox)
        outbox.setObjectName("action-outbox")
        view.addAction("Delegates…", self.show_delegates).setObjectName("action-delegates")
        view.addAction("Safes…", self.show_safes).setObjectName("action-safes")
        self.reset_devnet_action = view.addAction("Reset devnet…", self.reset_devnet)
        self.reset_devnet_action.setObjectName("action-reset-devnet")
        self.reset_devnet_action.setEnabled(False)

    def _build_help_menu(self) -> None:
        about = QAction("About govdesk", self)
        about.setObjectName("action-about")
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about.triggered.connect(self.show_about)
        self.menuBar().addMenu("&Help").addAction(about)

    def show_about(self) -> AboutDialog:
        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _add_action(
        self, bar: QToolBar, text: str, key: QKeySequence.StandardKey, slot: Any
    ) -> None:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(slot)
        bar.addAction(action)

    def add_organisation(self) -> OrgDialog:
        """Open the organisation form; a saved organisation is selected on the board."""
        dialog = OrgDialog(self.services.orgs, parent=self)
        dialog.accepted.connect(
            lambda: self.reload_orgs(select=dialog.saved.slug if dialog.saved else None)
        )
        dialog.open()
        return dialog

    def reload_orgs(self, select: str | None = None) -> None:
        orgs = self.services.orgs.all()
        self.org_box.blockSignals(True)
        self.org_box.clear()
        for org in orgs:
            self.org_box.addItem(org.name, org.slug)
        self.org_box.blockSignals(False)
        decorate_org_box(self.org_box, self.services, self)
        wanted = select or str(self._settings.value("main_window/org", ""))
        index = self.org_box.findData(wanted)
        self.org_box.setCurrentIndex(max(index, 0))
        self.refresh()

    def current_org(self) -> Organisation | None:
        slug = self.org_box.currentData()
        return self.services.orgs.get(slug) if slug else None

    def _on_org_box_changed(self, _index: int) -> None:
        org = self.current_org()
        if org is not None:
            self._settings.setValue("main_window/org", org.slug)
        self.refresh()

    def refresh(self) -> None:
        """Read the current organisation's board from the network; an organisation not on the
        board yet is first shown from the store, at once (issue #20)."""
        org = self.current_org()
        if org is None:
            self._shown_org = None
            self.board.set_cards([])
            return
        if org.slug != self._shown_org:
            self._show_saved_board(org)
        self.status.setText(f"Loading {org.name}…")
        task = run_task(
            self.services.board(org, self.account.address),
            owner=self,
            on_done=lambda result: self._on_refreshed(org.slug, result),
            on_error=self.show_error,
        )
        self.busy.track(task, f"Loading {org.name}…")

    def _show_saved_board(self, org: Organisation) -> None:
        self._shown_org = org.slug
        saved = self.services.saved_board(org, self.account.address)
        self.board.set_cards(saved.cards)
        self.board_shown.emit(len(saved.cards))

    def _on_refreshed(self, slug: str, result: BoardResult) -> None:
        if slug == self._shown_org:  # not an answer for an organisation left meanwhile
            self._on_board_loaded(result)

    def _on_board_loaded(self, result: BoardResult) -> None:
        if result.account.address == self.account.address:
            self.account = result.account  # with its delegation, power and votes read
        self.board.set_cards(result.cards)
        count = len(result.cards)
        text = f"{count} initiative" + ("" if count == 1 else "s")
        if result.problems:
            # Whatever could be read is shown; say plainly what could not.
            text += " — " + "; ".join(result.problems)
        self.status.setText(text)
        self.banner.set_problems(result.problems)
        self.notifier.show(result.notices)
        self.outbox_indicator.update_count()
        self.board_loaded.emit(len(result.cards))
        self._refresh_forum_once()

    def _refresh_forum_once(self) -> None:
        """Read the ideas' forum threads once per organisation and session, in the background."""
        org = self.current_org()
        if org is None or org.slug in self._forum_read:
            return
        self._forum_read.add(org.slug)
        run_task(
            self.services.refresh_forum_stats(org.slug),
            owner=self,
            on_done=lambda changed: self.refresh() if changed else None,
            on_error=self.show_error,
        )

    def show_error(self, message: str) -> None:
        self.status.setText(message)

    def open_detail(self, card: Card) -> ProposalDetailView | None:
        """Open the proposal detail view for an activated board card."""
        from ui.views.proposal_detail_view import ProposalDetailView

        org = self.current_org()
        if org is None:
            return None
        view = ProposalDetailView(
            self.services,
            org,
            card.initiative_id,
            account=self.account.address,
            sign=self.sign,
            names=self.own_names(),
            parent=self,
        )
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view.vote_sent.connect(lambda _receipt: self.refresh())
        view.changed.connect(self.refresh)
        view.advance_requested.connect(lambda initiative: open_next_step(self, initiative))
        view.show()
        return view

    def own_names(self) -> dict[str, str]:
        """Your accounts' labels for voter lists: "Dev 0 (you)" for the current one."""
        names = dict(self.account_labels)
        if self.account.address in names:
            names[self.account.address] += " (you)"
        return names

    def reset_devnet(self) -> None:
        """Start the built-in devnet afresh (its chain, hub and seeded organisation)."""
        from PySide6.QtWidgets import QMessageBox

        session = self.devnet_session
        if session is None:
            return
        box = QMessageBox(QMessageBox.Icon.Warning, "Reset devnet",
                          "Reset the local devnet? Its chain, Snapshot hub and every vote on "
                          "them start again from the seeded state.",
                          QMessageBox.StandardButton.Cancel, self)  # fmt: skip
        reset = box.addButton("Reset", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        self.reset_box = box

        def done(_result: int) -> None:
            if box.clickedButton() is reset:
                self.status.setText("Resetting the local devnet…")
                run_task(session.reset(), owner=self, on_done=self._on_devnet_ready,
                         on_error=self.show_error)  # fmt: skip

        box.finished.connect(done)
        box.open()

    def start_devnet(self, session: DevnetSession) -> None:
        """Start the built-in devnet and switch to its Alpha (Braintrust-shaped) organisation."""
        self.devnet_session = session
        session.services = self.services
        self.reset_devnet_action.setEnabled(True)
        self.status.setText("Starting the local devnet…")
        run_task(
            session.start(), owner=self, on_done=self._on_devnet_ready, on_error=self.show_error
        )

    def _on_devnet_ready(self, orgs: list[Organisation]) -> None:
        self.services.orgs.add_presets(orgs)
        self.reload_orgs(select="devnet-alpha")

    def _on_new_idea_triggered(self) -> None:
        org = self.current_org()
        if org is None:
            return
        dialog = IdeaDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        run_task(
            self.services.actions.ideas.create(
                org, dialog.title.text(), dialog.body.toPlainText(), dialog.discussion.text(),
                needs_onchain=dialog.needs_onchain.isChecked(),
            ),
            owner=self,
            on_done=lambda _draft: self.refresh(),
            on_error=self.show_error,
        )  # fmt: skip

    def _build_centre(self) -> QWidget:
        """The offline banner and the busy bar above the board."""
        centre = QWidget(self)
        self.banner = Banner(centre)
        self.busy = BusyBar(centre)
        self.busy.cancelled.connect(lambda: self.status.setText("Loading cancelled."))
        layout = QVBoxLayout(centre)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        for widget in (self.banner, self.busy, self.board):
            layout.addWidget(widget)
        return centre

    def _build_shortcuts(self) -> None:
        bindings: list[tuple[str, Any]] = [
            (keys, lambda _c=False, p=phase: self.focus_column(p))
            for keys, phase in zip(FOCUS_COLUMNS, self.board.columns, strict=True)
        ]
        bindings += [(ACCOUNTS, self.show_accounts), (OUTBOX, self.show_outbox),
                     (HELP, self.show_shortcuts)]  # fmt: skip
        for keys, slot in bindings:
            action = QAction(self)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(slot)
            self.addAction(action)

    def focus_column(self, phase: Phase) -> None:
        self.board.columns[phase].list.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(self)
        dialog.open()
        return dialog

    def show_delegates(self) -> QDialog | None:
        """Who holds the votes in the current organisation (needs its on-chain governor)."""
        from ui.views.delegates_view import DelegatesView

        org = self.current_org()
        if org is None or not org.governor:
            self.show_error("Choose an organisation with an on-chain governor to see delegates.")
            return None
        dialog = DelegatesView(
            self, self.services.actions, org, self.sign,
            lambda: self.account.address, lambda: self.account_labels,
        )  # fmt: skip
        dialog.show()
        return dialog

    def show_safes(self) -> QDialog | None:
        """The Safes followed on the current organisation's network, and their approvals."""
        from ui.signing import dialog_signer_source
        from ui.views.safes_view import SafesView

        org = self.current_org()
        if org is None:
            self.show_error("Choose an organisation first: a Safe lives on its network.")
            return None
        dialog = SafesView(self, self.services.actions, org,
                           lambda owner: dialog_signer_source(self, self.keys, lambda: owner),
                           self.sign, self.keys.manager.list_accounts)  # fmt: skip
        dialog.show()
        return dialog

    def show_outbox(self) -> OutboxView:
        return self.outbox.show()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._resent_at_start:  # what was signed but never acknowledged is sent again
            self._resent_at_start = True
            # The network and signing stack loads in a worker thread now that the window is up,
            # so no click waits for it (issue #20); the board's refresh awaits the same load.
            run_task(self.services.warm_up(), owner=self, on_error=self.show_error)
            QTimer.singleShot(0, self.outbox.resend)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings.setValue("main_window/geometry", self.saveGeometry())
        self._settings.setValue("main_window/state", self.saveState())
        super().closeEvent(event)

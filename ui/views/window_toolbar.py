"""The main window's toolbar: organisation switcher, board filters, search, New idea / Refresh /
Add organisation, and the account selector with its Accounts window."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QButtonGroup, QComboBox, QLineEdit, QToolBar, QToolButton

from ui.models.board_model import FilterMode
from ui.tasks import run_task
from ui.theme.chrome import decorate_toolbar
from ui.views.account_selector import AccountSelector

if TYPE_CHECKING:
    from ui.views.main_window import MainWindow

_FILTERS = (
    (FilterMode.ALL, "All"),
    (FilterMode.MINE, "Mine"),
    (FilterMode.NEEDS_MY_VOTE, "Needs my vote"),
)


def build_toolbar(window: MainWindow) -> None:
    bar = QToolBar("Main", window)
    bar.setObjectName("main-toolbar")
    bar.setMovable(False)
    window.addToolBar(bar)
    window.org_box = QComboBox(window)
    window.org_box.setObjectName("org-switcher")
    window.org_box.setMinimumWidth(220)
    window.org_box.currentIndexChanged.connect(window._on_org_box_changed)
    bar.addWidget(window.org_box)
    bar.addSeparator()
    _add_filters(window, bar)
    bar.addSeparator()
    window.search = QLineEdit(window)
    window.search.setObjectName("search")
    window.search.setPlaceholderText("Search (Ctrl+F)")
    window.search.setClearButtonEnabled(True)
    window.search.textChanged.connect(window.board.set_search)
    bar.addWidget(window.search)
    _add_action(window, bar, "New idea", QKeySequence.StandardKey.New,
                window._on_new_idea_triggered)  # fmt: skip
    _add_action(window, bar, "Refresh", QKeySequence.StandardKey.Refresh, window.refresh)
    add_org = QAction("Add organisation…", window)
    add_org.setObjectName("action-add-org")
    add_org.triggered.connect(window.add_organisation)
    bar.addAction(add_org)
    _add_account_tools(window, bar)
    decorate_toolbar(bar)


def _add_filters(window: MainWindow, bar: QToolBar) -> None:
    window.filter_group = QButtonGroup(window)
    for mode, label in _FILTERS:
        button = QToolButton(window)
        button.setText(label)
        button.setCheckable(True)
        button.setObjectName(f"filter-{mode.value}")
        button.setChecked(mode is FilterMode.ALL)
        button.clicked.connect(lambda _checked=False, m=mode: window.board.set_mode(m))
        window.filter_group.addButton(button)
        bar.addWidget(button)


def _add_account_tools(window: MainWindow, bar: QToolBar) -> None:
    bar.addSeparator()
    window.account_selector = AccountSelector(window)
    window.account_selector.account_changed.connect(window._on_account_changed)
    bar.addWidget(window.account_selector)
    accounts = QAction("Accounts", window)
    accounts.setObjectName("action-accounts")
    accounts.triggered.connect(window.show_accounts)
    bar.addAction(accounts)
    run_task(
        window.services.list_accounts(),
        owner=window,
        on_done=window._on_first_accounts,
        on_error=window.show_error,
    )


def _add_action(
    window: MainWindow, bar: QToolBar, text: str, key: QKeySequence.StandardKey, slot: Any
) -> None:
    action = QAction(text, window)
    action.setShortcut(QKeySequence(key))
    action.triggered.connect(slot)
    bar.addAction(action)

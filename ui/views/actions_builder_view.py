"""ActionsBuilderView: compose an on-chain proposal's actions and propose it.

Contracts come from ``app.pipeline.actions_builder.known_contracts`` (our ABIs plus ERC-20); each
argument is checked live with ``parse_argument`` and errors show under its field. Proposing is
the ``onchain.propose`` use case, signed by a ``SignerSource``: in the app
``ui.signing.dialog_signer_source`` (readable preview, unlock, sign), in tests a local key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import InputError
from app.governor.model import ProposalCreated
from app.governor.writer import ProposedCall
from app.orgs import Organisation
from app.pipeline.actions_builder import (
    FunctionChoice,
    build_action,
    known_contracts,
    parse_argument,
    writable_functions,
)
from app.units import format_eth
from app.usecases.onchain import Onchain
from app.usecases.signing import PreviewHints, SignerSource
from app.usecases.simulation import Simulations
from ui.tasks import run_task
from ui.theme import set_role
from ui.views.simulation_box import SimulationBox

Abi = Sequence[Mapping[str, Any]]


def parse_eth(text: str) -> int:
    """Wei from an ETH amount typed as text ("" is 0)."""
    try:
        amount = Decimal(text.strip() or "0")
    except InvalidOperation:
        raise InputError(f"“{text}” is not an amount of ETH.") from None
    wei = amount * 10**18
    if amount < 0 or wei != wei.to_integral_value():
        raise InputError("The ETH value must be positive, with at most 18 decimals.")
    return int(wei)


class ActionsBuilderView(QDialog):
    proposed = Signal(str)  # the new proposal id, as text (OZ ids exceed Qt's int)

    def __init__(
        self,
        onchain: Onchain,
        org: Organisation,
        description: str,
        sign: SignerSource,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.onchain, self.org, self.sign = onchain, org, sign
        self.contracts = known_contracts()
        self.calls: list[ProposedCall] = []
        self.abis: dict[str, Abi] = {}
        self.functions: list[FunctionChoice] = []
        self.arg_inputs: list[tuple[QLineEdit, QLabel]] = []
        self.created: ProposalCreated | None = None
        self.setWindowTitle("On-chain proposal")
        self._build(description)
        self.contract.setCurrentText("GovernanceDecisions" if org.governor else "ERC20")
        self._on_contract_changed()
        self.resize(760, 680)

    def _build(self, description: str) -> None:
        self.contract = QComboBox(self)
        self.contract.addItems(list(self.contracts))
        self.contract.currentIndexChanged.connect(self._on_contract_changed)
        self.target = QLineEdit(self)
        self.target.setPlaceholderText("Contract address (0x…)")
        self.function = QComboBox(self)
        self.function.currentIndexChanged.connect(self._on_function_changed)
        self.args_box = QWidget(self)
        self.args_form = QFormLayout(self.args_box)
        self.value = QLineEdit(self)
        self.value.setPlaceholderText("ETH sent with the call")
        self.add_button = QPushButton("Add action", self)
        self.add_button.clicked.connect(self.add_action)
        self.action_error = _error_label(self)
        self.action_list = QListWidget(self)
        self.remove_button = QPushButton("Remove selected", self)
        self.remove_button.clicked.connect(self.remove_selected)
        self.description = QPlainTextEdit(description, self)
        self.propose_button = QPushButton("Sign and propose…", self)
        self.propose_button.setEnabled(False)
        self.propose_button.clicked.connect(self.propose)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        form = QFormLayout()
        for label, widget in (("Contract", self.contract), ("Target", self.target),
                              ("Function", self.function), ("Arguments", self.args_box),
                              ("ETH value", self.value)):  # fmt: skip
            form.addRow(label, widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.action_error)
        layout.addWidget(QLabel("Actions", self))
        layout.addWidget(self.action_list, 1)
        layout.addWidget(QLabel("Description (first line is the title)", self))
        layout.addWidget(self.description, 2)
        self.simulation = SimulationBox.for_actions(
            Simulations(self.onchain.factories), self.org, lambda: self.calls, self
        )
        layout.addWidget(self.simulation)
        layout.addWidget(self.propose_button)
        layout.addWidget(self.status)

    def _on_contract_changed(self, *_args: object) -> None:
        name = self.contract.currentText()
        self.functions = writable_functions(name, self.contracts[name])
        self.function.blockSignals(True)
        self.function.clear()
        self.function.addItems([f.signature for f in self.functions])
        self.function.blockSignals(False)
        self._on_function_changed()

    def selected_function(self) -> FunctionChoice | None:
        index = self.function.currentIndex()
        return self.functions[index] if 0 <= index < len(self.functions) else None

    def _on_function_changed(self, *_args: object) -> None:
        while self.args_form.rowCount():
            self.args_form.removeRow(0)
        self.arg_inputs = []
        function = self.selected_function()
        for param in function.inputs if function else ():
            edit, error = QLineEdit(self.args_box), _error_label(self.args_box)
            edit.setPlaceholderText(param.type)
            edit.textChanged.connect(lambda text, p=param, e=error: _check(p, text, e))
            self.args_form.addRow(f"{param.name} ({param.type})", edit)
            self.args_form.addRow("", error)
            self.arg_inputs.append((edit, error))
        payable = function is not None and function.payable
        self.value.setEnabled(payable)
        if not payable:
            self.value.clear()

    def add_action(self) -> ProposedCall | None:
        function = self.selected_function()
        if function is None:
            self.action_error.setText("This contract has no function a proposal can call.")
            return None
        try:
            texts = [edit.text() for edit, _error in self.arg_inputs]
            call = build_action(self.target.text(), function, texts,
                                value_wei=parse_eth(self.value.text()))  # fmt: skip
        except InputError as exc:
            self.action_error.setText(exc.user_message)
            return None
        self.action_error.clear()
        self.calls.append(call)
        self.abis[call.target] = self.contracts[self.contract.currentText()]
        shown = ", ".join(str(a) for a in call.args)
        value = f" with {format_eth(call.value)}" if call.value else ""
        self.action_list.addItem(f"{call.target}.{function.name}({shown}){value}")
        self.propose_button.setEnabled(True)
        return call

    def remove_selected(self) -> None:
        row = self.action_list.currentRow()
        if 0 <= row < len(self.calls):
            self.action_list.takeItem(row)
            del self.calls[row]
        self.propose_button.setEnabled(bool(self.calls))

    def propose(self) -> None:
        description = self.description.toPlainText()
        if not self.calls or not description.strip():
            self.status.setText("Add at least one action and a description.")
            return
        self.propose_button.setEnabled(False)
        self.status.setText("Waiting for your signature…")
        coro = self.onchain.propose(self.org, self.sign, list(self.calls), description,
                                    PreviewHints(dict(self.abis)))  # fmt: skip
        run_task(coro, owner=self, on_done=self._proposed, on_error=self._failed)

    def _proposed(self, created: ProposalCreated) -> None:
        self.created = created
        self.status.setText(f"Proposal {created.proposal_id} created.")
        self.proposed.emit(str(created.proposal_id))

    def _failed(self, message: str) -> None:
        self.propose_button.setEnabled(True)
        self.status.setText(message)


def _error_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    set_role(label, "error")
    label.setWordWrap(True)
    return label


def _check(param: Any, text: str, error: QLabel) -> None:
    try:
        parse_argument(param, text)
    except InputError as exc:
        error.setText(exc.user_message)
        return
    error.clear()

"""SigningDialog: the readable preview of what is about to be signed, with Sign and Cancel.

A calm, fixed layout (ui/widgets/signing_parts.py), the same for typed data and transactions:
the action in one sentence at the top; the key facts as a short table (from, network, then the
preview's fields); warnings as coloured callouts with an icon; the raw payload folded. The body
scrolls, so a long message is readable whole and the dialog is never wider than its window. A
DANGER warning keeps Sign disabled until "I understand" is ticked.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.keys.preview import Severity, SigningPreview
from ui.theme import SPACE, Tone
from ui.widgets.signing_parts import Callout, FactsTable, RawSection, SigningHeader, dialog_width

SEVERITY_TONES = {Severity.INFO: Tone.ACCENT, Severity.WARNING: Tone.WARNING,
                  Severity.DANGER: Tone.DANGER}  # fmt: skip
_PREFIXES = {Severity.DANGER: "DANGER: ", Severity.WARNING: "Warning: "}


_FIRST = ("from", "voter", "delegator", "network", "contract", "to", "max fee")


def max_fee_text(fields: dict[str, str]) -> str | None:
    """ "at most 0.00011 ETH (103,214 gas at 1.07 gwei)" when gas and the fee cap are known."""
    try:
        gas = int(fields["gas"])
        price = int(fields.get("maxfeepergas") or fields["gasprice"])
    except (KeyError, ValueError):
        return None
    wei = gas * price
    return f"at most {wei / 10**18:.6f} ETH ({gas:,} gas at {price / 10**9:.2f} gwei)"


def facts_rows(
    preview: SigningPreview, *, account: str = "", network: str = ""
) -> list[tuple[str, str]]:
    """The facts, most important first: from, network, contract, the fee in ETH, then the rest."""
    rows = [(f.label, f.value) for f in preview.fields]
    labels = {label.lower(): value for label, value in rows}
    if account and not {"from", "voter", "delegator"} & labels.keys():
        rows.insert(0, ("From", account))
    if network and "network" not in labels:
        rows.insert(0, ("Network", network))
    fee = max_fee_text(labels)
    if fee is not None and "max fee" not in labels:
        rows.append(("Max fee", fee))
    order = {name: n for n, name in enumerate(_FIRST)}
    ranked = sorted(enumerate(rows), key=lambda r: (order.get(r[1][0].lower(), len(order)), r[0]))
    return [(label[:1].upper() + label[1:], value) for _n, (label, value) in ranked]


class SigningDialog(QDialog):
    def __init__(
        self,
        preview: SigningPreview,
        parent: QWidget | None = None,
        *,
        offline: bool = False,
        network: str = "",
        account: str = "",
        device: str = "",
    ) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle("Review and sign")
        self.setObjectName("signing-dialog")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACE.xl, SPACE.lg, SPACE.xl, SPACE.lg)
        layout.setSpacing(SPACE.md)
        header = SigningHeader(preview.title, parent=self)
        layout.addWidget(header)
        self.network = QLabel(f"Account's network: {network}" if network else "", self)
        self.network.setObjectName("signing-network")
        self.network.setVisible(False)  # shown as the Network fact; kept for callers and tests
        layout.addWidget(self._body(account, network), 1)
        self.understand = QCheckBox("I understand the danger and still want to sign", self)
        self.understand.setObjectName("signing-understand")
        self.understand.setVisible(preview.dangerous)
        self.understand.toggled.connect(self._update_sign_enabled)
        layout.addWidget(self.understand)
        # A hardware wallet signs on the device: say so, and what to compare there.
        self.device_note = QLabel(
            f"Confirm on your {device}. If it shows hashes, compare them with the ones above.",
            self,
        )
        self.device_note.setObjectName("signing-device")
        self.device_note.setWordWrap(True)
        self.device_note.setVisible(bool(device))
        layout.addWidget(self.device_note)
        self.buttons = QDialogButtonBox(self)
        sign_text = f"Sign on your {device}" if device else "Sign"
        self.sign_button = QPushButton("Create signing request" if offline else sign_text, self)
        self.sign_button.setObjectName("signing-sign")
        self.sign_button.setProperty("primary", "true")
        self.buttons.addButton(self.sign_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._update_sign_enabled()
        width = dialog_width(parent)
        self.setMaximumWidth(max(width, 360) if parent is None else parent.window().width())
        self.resize(width, min(self.sizeHint().height() + 40, 720))

    def _body(self, account: str, network: str) -> QScrollArea:
        body = QWidget(self)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, SPACE.xs, 0)
        column.setSpacing(SPACE.sm)
        self.warning_labels: list[QLabel] = []
        for warning in self.preview.warnings:
            text = _PREFIXES.get(warning.severity, "") + warning.message
            callout = Callout(SEVERITY_TONES[warning.severity], text, body)
            callout.label.setObjectName(f"signing-warning-{warning.severity.value}")
            self.warning_labels.append(callout.label)
            column.addWidget(callout)
        self.facts = FactsTable(facts_rows(self.preview, account=account, network=network), body)
        column.addWidget(self.facts)
        self.raw_section = RawSection(self.preview.raw_json, body)
        self.raw_toggle, self.raw = self.raw_section.toggle, self.raw_section.raw
        column.addWidget(self.raw_section)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setObjectName("signing-body")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(scroll.horizontalScrollBarPolicy().ScrollBarAlwaysOff)
        scroll.setWidget(body)
        return scroll

    def _update_sign_enabled(self) -> None:
        self.sign_button.setEnabled(not self.preview.dangerous or self.understand.isChecked())

    def accept(self) -> None:
        # A programmatic accept() must obey the same rule as the button.
        if self.sign_button.isEnabled():
            super().accept()

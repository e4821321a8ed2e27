"""OrgDialog: add (or edit) an organisation — network, Snapshot space, governor, token, timelock."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
)

from app.errors import ConfigError
from app.orgs import Conventions, Network, Organisation, OrgBook, validate
from ui.theme import set_role


class OrgDialog(QDialog):
    """Fields for one organisation; Save validates it and stores it in the user's orgs.json."""

    def __init__(self, book: OrgBook, base: Organisation | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.book = book
        self.saved: Organisation | None = None
        self.setWindowTitle("Organisation")
        self.slug, self.name = QLineEdit(self), QLineEdit(self)
        self.chain_id = QSpinBox(self)
        self.chain_id.setRange(1, 2_000_000_000)
        self.rpc_urls = QPlainTextEdit(self)
        self.rpc_urls.setPlaceholderText("One RPC URL per line, in fallback order")
        self.space, self.hub = QLineEdit(self), QLineEdit(self)
        self.hub.setPlaceholderText("https://hub.snapshot.org")
        self.governor, self.token, self.timelock = QLineEdit(self), QLineEdit(self), QLineEdit(self)
        self.token.setPlaceholderText("Optional: found from the governor when left empty")
        self.token.setToolTip(
            "The voting token's address. govdesk finds it from the governor (token(), comp(), "
            "BTRST() or any getter of a votes token); give it when the governor names it "
            "differently."
        )
        self.forum = QLineEdit(self)
        self.quorum = QDoubleSpinBox(self)
        self.quorum.setRange(0, 1e15)
        self.quorum.setToolTip("Temperature check quorum in voting power (0: simple majority)")
        self.error = QLabel(self)
        self.error.setObjectName("error")
        set_role(self.error, "error")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._on_save_clicked)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        for label, widget in (
            ("Short name", self.slug), ("Name", self.name), ("Chain id", self.chain_id),
            ("RPC endpoints", self.rpc_urls), ("Snapshot space", self.space),
            ("Snapshot hub", self.hub), ("Governor", self.governor), ("Token", self.token),
            ("Timelock", self.timelock), ("Forum", self.forum),
            ("Temperature quorum", self.quorum),
        ):  # fmt: skip
            form.addRow(label, widget)
        form.addRow(self.error)
        form.addRow(buttons)
        if base is not None:
            self._fill(base)

    def _fill(self, org: Organisation) -> None:
        self.slug.setText(org.slug)
        self.name.setText(org.name)
        self.chain_id.setValue(org.network.chain_id)
        self.rpc_urls.setPlainText("\n".join(org.network.rpc_urls))
        self.space.setText(org.snapshot_space)
        self.hub.setText(org.snapshot_hub)
        self.governor.setText(org.governor)
        self.token.setText(org.token)
        self.timelock.setText(org.timelock)
        self.forum.setText(org.forum_url)
        self.quorum.setValue(org.conventions.temperature_quorum)

    def organisation(self) -> Organisation:
        urls = tuple(u.strip() for u in self.rpc_urls.toPlainText().splitlines() if u.strip())
        if not urls:
            raise ConfigError("Give at least one RPC endpoint.")
        chain = self.chain_id.value()
        return Organisation(
            slug=self.slug.text().strip(),
            name=self.name.text().strip(),
            network=Network(chain, f"chain {chain}", urls),
            snapshot_space=self.space.text().strip(),
            snapshot_hub=self.hub.text().strip(),
            governor=self.governor.text().strip(),
            token=self.token.text().strip(),
            timelock=self.timelock.text().strip(),
            forum_url=self.forum.text().strip(),
            conventions=Conventions(temperature_quorum=self.quorum.value()),
        )

    def _on_save_clicked(self) -> None:
        try:
            self.saved = self.book.save(validate(self.organisation()))
        except ConfigError as exc:
            self.error.setText(exc.user_message)
            return
        self.accept()

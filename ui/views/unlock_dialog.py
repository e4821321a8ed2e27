"""UnlockDialog: asks for an account's password and unlocks it in the app's session.

The password is never echoed. A wrong password shows the error and the delay the session enforces
before the next attempt (the session waits that long when the attempt starts).
"""

from __future__ import annotations

import math

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.keys.metadata import AccountInfo
from ui.signing import Keys
from ui.tasks import run_task
from ui.theme import set_role


class UnlockDialog(QDialog):
    def __init__(self, info: AccountInfo, keys: Keys, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.info = info
        self.keys = keys
        self.setWindowTitle("Unlock account")
        self.setObjectName("unlock-dialog")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Password for {info.label} ({info.address}):", self))
        self.password = QLineEdit(self)
        self.password.setObjectName("unlock-password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        layout.addWidget(self.password)
        self.info_line = QLabel("", self)  # progress, in the normal text colour
        self.info_line.setObjectName("unlock-info")
        self.info_line.setWordWrap(True)
        layout.addWidget(self.info_line)
        self.error = QLabel("", self)
        self.error.setObjectName("unlock-error")
        set_role(self.error, "error")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(self)
        self.unlock_button = QPushButton("Unlock", self)
        self.unlock_button.setObjectName("unlock-button")
        self.unlock_button.setDefault(True)
        buttons.addButton(self.unlock_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        self.unlock_button.clicked.connect(self.try_unlock)
        self.password.returnPressed.connect(self.try_unlock)
        layout.addWidget(buttons)

    def try_unlock(self) -> None:
        if not self.unlock_button.isEnabled():
            return
        password = self.password.text()
        self.password.clear()
        self.unlock_button.setEnabled(False)
        delay = math.ceil(self.keys.unlock_delay(self.info.address))
        waiting = f" (waiting {delay} s after wrong passwords)" if delay else ""
        self.error.setText("")
        self.info_line.setText(f"Unlocking{waiting}…")
        run_task(
            self.keys.session.unlock(self.info.address, password),
            owner=self,
            on_done=lambda _none: self.accept(),
            on_error=self._failed,
        )

    def _failed(self, message: str) -> None:
        # The session enforces the delay when the next attempt starts; say how long it will be.
        delay = math.ceil(self.keys.unlock_delay(self.info.address))
        self.info_line.setText("")
        self.error.setText(f"{message} The next attempt waits {delay} s." if delay else message)
        self.unlock_button.setEnabled(True)
        self.password.setFocus()

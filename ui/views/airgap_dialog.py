"""AirGapDialog: carry a signing request to an offline device and verify the answer.

The request is shown as animated QR frames (UR parts rendered by segno, one frame per tick) and can
be saved as a file. The response file (JSON or UR parts, one per line) is loaded and checked with
``app.keys.airgap.accept_response``: right request id, right signer, right chain, same transaction.
Only then does the dialog accept, with ``response`` and ``result`` set.
"""

from __future__ import annotations

import io
from pathlib import Path

import segno
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.keys.airgap import SigningRequest, SigningResponse, accept_response, dump_request
from app.keys.airgap_files import read_response_file, request_parts
from ui.format import short_address
from ui.theme import SPACE, Tone, set_role
from ui.views.account_forms import documents_dir
from ui.widgets.signing_parts import Callout, FactsTable, SigningHeader, plain_label

FRAME_INTERVAL_MS = 400


def request_sentence(request: SigningRequest) -> str:
    what = "a transaction" if "transaction" in request.kind.value else "a message"
    return f"Sign {what} on the offline device that holds {short_address(request.address)}"


def request_facts(request: SigningRequest) -> list[tuple[str, str]]:
    chain = f"chain {request.chain_id}" if request.chain_id is not None else "no chain id"
    return [("From", request.address), ("Network", chain), ("Request", request.request_id)]


def render_frames(parts: list[str], *, scale: int = 4) -> list[QPixmap]:
    """One QR pixmap per UR part (upper-cased, so QR can use its alphanumeric mode)."""
    frames = []
    for part in parts:
        buffer = io.BytesIO()
        segno.make(part.upper(), error="m", micro=False).save(buffer, kind="png", scale=scale)
        pixmap = QPixmap()
        pixmap.loadFromData(buffer.getvalue(), "PNG")
        frames.append(pixmap)
    return frames


class AirGapDialog(QDialog):
    def __init__(self, request: SigningRequest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.request = request
        self.response: SigningResponse | None = None
        self.result_value: str | bytes | None = None
        self.setWindowTitle("Sign on your offline device")
        self.setObjectName("airgap-dialog")
        self.request_text = dump_request(request)
        # ERC-4527 eth-sign-request: air-gapped wallets and `govdesk offline sign` both read it.
        self.parts = request_parts(request)
        self.frames = render_frames(self.parts)
        self.frame_index = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACE.xl, SPACE.lg, SPACE.xl, SPACE.lg)
        layout.setSpacing(SPACE.md)
        layout.addWidget(SigningHeader(request_sentence(request), "airgap", self))
        layout.addWidget(FactsTable(request_facts(request), self))
        layout.addWidget(
            Callout(
                Tone.ACCENT,
                "Scan the codes with your offline device, or save "
                "the request as a file. Then load the response it writes.",
                self,
            )
        )
        self.qr = QLabel(self)
        self.qr.setObjectName("airgap-qr")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.qr)
        self.counter = QLabel(self)
        self.counter.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.counter)
        self.error = plain_label("", self)
        self.error.setObjectName("airgap-error")
        set_role(self.error, "error")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        layout.addWidget(self._buttons())
        self._show_frame()
        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_INTERVAL_MS)
        self.timer.timeout.connect(self.next_frame)
        if len(self.frames) > 1:
            self.timer.start()

    def _buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox(self)
        save = QPushButton("Save request file…", self)
        save.clicked.connect(self._on_save_clicked)
        load = QPushButton("Load response file…", self)
        load.clicked.connect(self._on_load_clicked)
        buttons.addButton(save, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(load, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        return buttons

    def _show_frame(self) -> None:
        self.qr.setPixmap(self.frames[self.frame_index])
        self.counter.setText(f"Code {self.frame_index + 1} of {len(self.frames)}")

    def next_frame(self) -> None:
        self.frame_index = (self.frame_index + 1) % len(self.frames)
        self._show_frame()

    def save_request(self, path: Path) -> None:
        try:
            path.write_text(self.request_text, encoding="utf-8")
        except OSError as exc:
            set_role(self.error, "error")
            self.error.setText(f"Cannot write {path}: {exc.strerror or exc}.")
            return
        set_role(self.error, "")  # news, not an error: the normal text colour
        self.error.setText(f"Saved the request to {path}.")

    def load_response_file(self, path: Path) -> bool:
        """Read, verify and accept a response file; on failure show why and stay open."""
        try:
            response = read_response_file(path, self.request)
            self.result_value = accept_response(self.request, response)
        except AppError as exc:
            set_role(self.error, "error")
            self.error.setText(exc.user_message)
            return False
        self.response = response
        self.timer.stop()
        self.accept()
        return True

    def _on_save_clicked(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self,
            "Save signing request",
            str(documents_dir() / "signing-request.json"),
            "Signing files (*.json *.txt)",
        )
        if name:
            self.save_request(Path(name))

    def _on_load_clicked(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self,
            "Load signing response",
            str(documents_dir()),
            "Signing files (*.json *.txt);;All files (*)",
        )
        if name:
            self.load_response_file(Path(name))

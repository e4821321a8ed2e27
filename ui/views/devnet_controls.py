"""DevnetControls: starting the built-in devnet from the main window, and resetting it (after
asking) to its seeded state."""

from __future__ import annotations

from PySide6.QtGui import QAction

from app.orgs import Organisation
from ui.devnet_session import DevnetSession
from ui.tasks import run_task
from ui.views.window_parts import WindowParts


class DevnetControls(WindowParts):
    reset_devnet_action: QAction  # in the View menu, enabled once a devnet runs

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

"""Editing and deleting a draft idea from its detail view, through the ``ideas`` use case."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.usecases.ideas import Ideas
from ui.tasks import run_task
from ui.views.idea_dialog import IdeaDialog

DELETE_QUESTION = "Delete this idea from this device? This cannot be undone."


def open_editor(
    parent: QWidget,
    ideas: Ideas,
    initiative_id: str,
    *,
    on_saved: Callable[[], None],
    on_error: Callable[[str], None],
) -> IdeaDialog:
    """The idea dialog filled with the draft; accepting it saves the edit."""
    dialog = IdeaDialog(parent, editing=ideas.get(initiative_id))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def save() -> None:
        edit = ideas.update(initiative_id, dialog.title.text(), dialog.body.toPlainText(),
                            dialog.discussion.text())  # fmt: skip
        run_task(edit, owner=parent, on_done=lambda _draft: on_saved(), on_error=on_error)

    dialog.accepted.connect(save)
    dialog.open()
    return dialog


def confirm_delete(
    parent: QWidget,
    ideas: Ideas,
    initiative_id: str,
    *,
    on_deleted: Callable[[], None],
    on_error: Callable[[str], None],
) -> QMessageBox:
    """Ask before deleting (Cancel is the default); Delete removes the draft from this device."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Delete idea", DELETE_QUESTION,
                      QMessageBox.StandardButton.Cancel, parent)  # fmt: skip
    delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)

    def done(_result: int) -> None:
        if box.clickedButton() is delete:
            run_task(ideas.delete(initiative_id), owner=parent,
                     on_done=lambda _none: on_deleted(), on_error=on_error)  # fmt: skip

    box.finished.connect(done)
    box.open()
    return box

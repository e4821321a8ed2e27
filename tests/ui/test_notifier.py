"""Each notice reaches the tray once per session, however often the board reloads."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from app.pipeline.notifications import Notice, NoticeKind
from ui.notifier import Notifier

pytestmark = pytest.mark.gui


def test_new_notices_are_shown_once(qapp: QApplication) -> None:
    notifier = Notifier()
    ending = Notice(NoticeKind.VOTE_ENDING, "fee", "Lower the fee", 100, "Voting ends in 3 h.")
    eta = Notice(NoticeKind.ETA_REACHED, "cat", "Add a category", 50, "Can be executed.")
    assert notifier.show([ending]) == [ending]
    assert notifier.show([ending, eta]) == [eta]
    assert notifier.show([ending, eta]) == []
    later = Notice(NoticeKind.VOTE_ENDING, "fee", "Lower the fee", 200, "A new vote ends soon.")
    assert notifier.show([later]) == [later]  # another deadline of the same initiative

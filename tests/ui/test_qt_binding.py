"""The Qt binding itself, where a defect of one release would crash govdesk.

PySide6 6.12.0 returns None from ``QModelIndex.data()`` without the reference it owes, when the
Python model's ``data`` gives None: every such call takes one reference from None, and on Python
3.11 (where None is not immortal) the interpreter aborts once they run out ("none_dealloc"),
during a long session or at exit. pyproject excludes that release; this test keeps the next one
honest.
"""

from __future__ import annotations

import gc
import sys

import pytest
from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

pytestmark = pytest.mark.gui
CALLS = 2_000


class _Sparse(QAbstractListModel):
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else 10

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        return f"row {index.row()}" if role == Qt.ItemDataRole.DisplayRole else None


def test_reading_none_through_a_model_index_keeps_nones_references(qapp: object) -> None:
    model = _Sparse()
    index = model.index(3, 0)
    assert index.data() == "row 3"
    gc.collect()
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        assert index.data(Qt.ItemDataRole.ToolTipRole) is None
    gc.collect()
    assert sys.getrefcount(None) - before > -CALLS // 2

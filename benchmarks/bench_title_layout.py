"""A 100 kB proposal title on the GUI thread: the old rich, word-wrapped title label against the
plain, elided one (issue #22, finding 5). Offscreen Qt; both measured in the same run.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_title_layout.py [--json]

Target: the elided title lays out in under 50 ms.
"""

from __future__ import annotations

import argparse
import json
import time
from html import escape

from PySide6.QtWidgets import QApplication, QLabel

from ui.widgets.plain_text import elide, plain_label

TITLE = "Fund the grants pilot " * 4_700  # about 100 kB
TARGET_S = 0.05


def _time_layout(label: QLabel) -> float:
    started = time.perf_counter()
    label.setWordWrap(True)
    label.resize(600, 10)
    label.show()
    label.heightForWidth(600)
    label.sizeHint()
    QApplication.processEvents()
    elapsed = time.perf_counter() - started
    label.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    old = _time_layout(QLabel(f"<h2>{escape(TITLE)}</h2>"))
    new_rich = _time_layout(QLabel(f"<h2>{escape(elide(TITLE))}</h2>"))
    new_plain = _time_layout(plain_label(TITLE))
    result = {
        "title_bytes": len(TITLE.encode()),
        "old_rich_full_s": round(old, 4),
        "elided_rich_s": round(new_rich, 4),
        "plain_label_s": round(new_plain, 4),
        "target_s": TARGET_S,
        "ok": max(new_rich, new_plain) < TARGET_S,
    }
    print(json.dumps(result) if args.json else "\n".join(f"{k:18} {v}" for k, v in result.items()))
    del app


if __name__ == "__main__":
    main()

"""StatementDialog: a delegate's Snapshot statement, opened from the delegates page.

The statement is shown here, sanitized Markdown from the hub (``MarkdownView`` loads nothing
remote). Where Snapshot's own app has the delegate's profile (spaces on snapshot.org), a link
opens it in the browser, after the usual confirmation.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.snapshot.records import Statement
from ui.widgets.markdown_view import MarkdownView, confirm_link
from ui.widgets.signing_parts import breakable


class StatementDialog(QDialog):
    def __init__(
        self, statement: Statement, name: str, web_url: str | None, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Delegate statement — {name}")
        self.setObjectName("statement-dialog")
        self.resize(560, 460)
        layout = QVBoxLayout(self)
        self.about = QLabel(statement.about, self)
        self.about.setObjectName("statement-about")
        self.about.setTextFormat(Qt.TextFormat.PlainText)  # text from the hub, never markup
        self.about.setWordWrap(True)
        layout.addWidget(self.about)
        self.body = MarkdownView(self)
        self.body.set_markdown(statement.statement)
        layout.addWidget(self.body, 1)
        where = [f"On Snapshot space {escape(statement.space)}"]
        if statement.discourse:
            where.append(f"forum name {escape(statement.discourse)}")
        self.web = QLabel(self)
        self.web.setObjectName("statement-web")
        self.web.setWordWrap(True)
        self.web.setOpenExternalLinks(False)
        if web_url:
            where.append(f'<a href="{escape(web_url)}">{escape(breakable(web_url))}</a>')
            self.web.linkActivated.connect(lambda _url: self._open(web_url))
        self.web.setText(", ".join(where) + ".")
        layout.addWidget(self.web)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _open(self, url: str) -> None:
        target = QUrl(url)
        if confirm_link(self, target):  # leaving the app: ask first, showing the whole URL
            QDesktopServices.openUrl(target)

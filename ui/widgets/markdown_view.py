"""A read-only Markdown view that is safe for text written by strangers.

Markdown is rendered with markdown-it (raw HTML disabled), then cleaned with nh3 down to a short
list of harmless tags (no img, script, iframe or style). Links are kept but never followed on a
click: the full URL is shown for confirmation first. Nothing is ever loaded from the network.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import nh3
from markdown_it import MarkdownIt
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QTextBrowser, QWidget

SAFE_TAGS = frozenset(
    {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "s", "del",
     "code", "pre", "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th",
     "td"}
)  # fmt: skip
SAFE_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
REMOTE_SCHEMES = frozenset({"http", "https", "ftp", "ws", "wss"})

_markdown = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def render_markdown(text: str) -> str:
    """Markdown to HTML holding only ``SAFE_TAGS``; links keep only http(s)/mailto targets."""
    html = _markdown.render(text)
    return nh3.clean(
        html,
        tags=set(SAFE_TAGS),
        attributes={tag: set(names) for tag, names in SAFE_ATTRIBUTES.items()},
        url_schemes=set(LINK_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def confirm_link(parent: QWidget, url: QUrl) -> bool:
    """Ask before leaving the app, showing the whole URL (a link's text can say anything)."""
    answer = QMessageBox.question(
        parent,
        "Open link?",
        f"Open this address in your browser?\n\n{url.toString()}",
        QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Open


class MarkdownView(QTextBrowser):
    """Shows sanitized Markdown; ``blocked`` lists remote resources it refused to load."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        confirm: Callable[[QWidget, QUrl], bool] = confirm_link,
        open_url: Callable[[QUrl], Any] = QDesktopServices.openUrl,
    ) -> None:
        super().__init__(parent)
        self.setOpenExternalLinks(False)
        self.setOpenLinks(False)
        self._confirm = confirm
        self._open_url = open_url
        self.blocked: list[str] = []
        self.anchorClicked.connect(self._on_anchor_clicked)

    def set_markdown(self, text: str) -> None:
        self.setHtml(render_markdown(text))

    def loadResource(self, kind: int, url: QUrl | str) -> Any:
        """Load nothing: remote URLs are recorded in ``blocked``; local files are refused too."""
        target = QUrl(url) if isinstance(url, str) else url
        if target.scheme().lower() in REMOTE_SCHEMES:
            self.blocked.append(target.toString())
        return None

    def _on_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme().lower() not in LINK_SCHEMES:
            return
        if self._confirm(self, url):
            self._open_url(url)

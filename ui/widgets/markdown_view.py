"""A read-only Markdown view that is safe for text written by strangers.

Markdown is rendered with markdown-it (raw HTML disabled), then cleaned with nh3 down to a short
list of harmless tags (no img, script, iframe or style). Links are kept but never followed on a
click: the full URL is shown for confirmation first. Nothing is ever loaded from the network.

A body from a hub can be any size, and markdown-it is pure Python (100,000 characters take about a
second): the text is cut at ``MAX_BODY_CHARS`` (Snapshot's own limit is 10,000, 40,000 for its
largest spaces), and a body longer than ``SYNC_CHARS`` is rendered on a worker thread while the
view says so, so the GUI thread only lays out the result (issue #22).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import nh3
from markdown_it import MarkdownIt
from PySide6.QtCore import QUrl, Signal
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

MAX_BODY_CHARS = 50_000
SYNC_CHARS = 5_000  # about 50 ms of rendering: done at once
RENDERING = "Loading the description…"

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


def bounded_body(text: str, max_chars: int = MAX_BODY_CHARS) -> tuple[str, str]:
    """The part of ``text`` that is shown, and a note (as HTML) on what was left out."""
    if len(text) <= max_chars:
        return text, ""
    rest = len(text) - max_chars
    return text[:max_chars], (
        f"<p><em>The description continues: {rest:,} more characters are not shown.</em></p>"
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

    _rendered = Signal(int, str)  # from the worker thread
    rendered = Signal()  # a long body is on screen

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
        self._generation = 0
        self._rendered.connect(self._on_rendered)
        self.anchorClicked.connect(self._on_anchor_clicked)

    def set_markdown(self, text: str) -> None:
        """Show ``text``; a long one appears once a worker thread has rendered it."""
        self._generation += 1
        shown, note = bounded_body(text)
        if len(shown) <= SYNC_CHARS:
            self.setHtml(render_markdown(shown) + note)
            return
        self.setPlainText(RENDERING)
        worker = threading.Thread(
            target=self._render, args=(self._generation, shown, note), daemon=True
        )
        worker.start()

    def _render(self, generation: int, text: str, note: str) -> None:
        html = render_markdown(text) + note
        try:  # queued to the GUI thread; the view may have closed meanwhile
            self._rendered.emit(generation, html)
        except RuntimeError:
            return

    def _on_rendered(self, generation: int, html: str) -> None:
        if generation == self._generation:  # not overtaken by a later set_markdown
            self.setHtml(html)
            self.rendered.emit()

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

"""BoardRefresh: the main window's board for the chosen organisation, shown from the store at once
and then refreshed from the network (issue #20), with the forum threads read once per session."""

from __future__ import annotations

from PySide6.QtCore import Signal

from app.orgs import Organisation
from app.services import BoardResult
from ui.tasks import run_task
from ui.views.window_parts import WindowParts
from ui.widgets.org_avatars import decorate_org_box


class BoardRefresh(WindowParts):
    board_shown = Signal(int)  # cards shown from the store, before the network answers
    board_loaded = Signal(int)  # cards once the network refresh is in

    _shown_org: str | None  # whose board is on screen (saved or refreshed)
    _forum_read: set[str]  # organisations whose forum threads were read this session

    def reload_orgs(self, select: str | None = None) -> None:
        orgs = self.services.orgs.all()
        self.org_box.blockSignals(True)
        self.org_box.clear()
        for org in orgs:
            self.org_box.addItem(org.name, org.slug)
        self.org_box.blockSignals(False)
        decorate_org_box(self.org_box, self.services, self)
        wanted = select or str(self._settings.value("main_window/org", ""))
        index = self.org_box.findData(wanted)
        self.org_box.setCurrentIndex(max(index, 0))
        self.refresh()

    def _on_org_box_changed(self, _index: int) -> None:
        org = self.current_org()
        if org is not None:
            self._settings.setValue("main_window/org", org.slug)
        self.refresh()

    def refresh(self) -> None:
        """Read the current organisation's board from the network; an organisation not on the
        board yet is first shown from the store, at once (issue #20)."""
        org = self.current_org()
        if org is None:
            self._shown_org = None
            self.board.set_cards([])
            return
        if org.slug != self._shown_org:
            self._show_saved_board(org)
        self.status.setText(f"Loading {org.name}…")
        task = run_task(
            self.services.board(org, self.account.address),
            owner=self,
            on_done=lambda result: self._on_refreshed(org.slug, result),
            on_error=self.show_error,
        )
        self.busy.track(task, f"Loading {org.name}…")

    def _show_saved_board(self, org: Organisation) -> None:
        self._shown_org = org.slug
        saved = self.services.saved_board(org, self.account.address)
        self.board.set_cards(saved.cards)
        self.board_shown.emit(len(saved.cards))

    def _on_refreshed(self, slug: str, result: BoardResult) -> None:
        if slug == self._shown_org:  # not an answer for an organisation left meanwhile
            self._on_board_loaded(result)

    def _on_board_loaded(self, result: BoardResult) -> None:
        if result.account.address == self.account.address:
            self.account = result.account  # with its delegation, power and votes read
        self.board.set_cards(result.cards)
        count = len(result.cards)
        text = f"{count} initiative" + ("" if count == 1 else "s")
        if result.problems:
            # Whatever could be read is shown; say plainly what could not.
            text += " — " + "; ".join(result.problems)
        self.status.setText(text)
        self.banner.set_problems(result.problems)
        self.notifier.show(result.notices)
        self.outbox_indicator.update_count()
        self.board_loaded.emit(len(result.cards))
        self._refresh_forum_once()

    def _refresh_forum_once(self) -> None:
        """Read the ideas' forum threads once per organisation and session, in the background."""
        org = self.current_org()
        if org is None or org.slug in self._forum_read:
            return
        self._forum_read.add(org.slug)
        run_task(
            self.services.refresh_forum_stats(org.slug),
            owner=self,
            on_done=lambda changed: self.refresh() if changed else None,
            on_error=self.show_error,
        )

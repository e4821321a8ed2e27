"""Idea use cases: draft, edit and delete an idea (a local draft) of an organisation."""

from __future__ import annotations

from app.errors import InputError
from app.orgs import Organisation
from app.pipeline.drafts import Draft, DraftsRepo


class Ideas:
    def __init__(self, drafts: DraftsRepo) -> None:
        self.drafts = drafts

    async def create(
        self, org: Organisation, title: str, body: str = "", discussion_url: str = "", *,
        needs_onchain: bool = True,
    ) -> Draft:  # fmt: skip
        return self.drafts.create(org.slug, title, body, discussion_url,
                                  needs_onchain=needs_onchain)  # fmt: skip

    async def update(self, initiative_id: str, title: str, body: str, discussion_url: str) -> Draft:
        return self.drafts.update(
            initiative_id, title=title, body=body, discussion_url=discussion_url
        )

    async def delete(self, initiative_id: str) -> None:
        self.drafts.delete(initiative_id)

    def get(self, initiative_id: str) -> Draft:
        return self.drafts.get(initiative_id)

    def is_draft(self, initiative_id: str) -> bool:
        """Whether ``initiative_id`` is an idea drafted here (and so editable)."""
        try:
            self.drafts.get(initiative_id)
        except InputError:
            return False
        return True

"""Assembling initiatives: drafts anchor, artefacts follow their links, newest artefact wins."""

from __future__ import annotations

from app.pipeline.assemble import Artefact, assemble, strip_tags
from app.pipeline.drafts import Draft
from app.pipeline.linking import Item, ItemKey, ItemKind, TitleTags, build_footer
from app.pipeline.model import CheckKind, OffchainCheck, OnchainProposal, OnchainState

IDEA = Draft("fee", "bt", "Lower the fee", "Why", "https://forum.x/t/fee/1", needs_onchain=False)


def check(pid: str, kind: CheckKind, start: int, text: str = "", title: str = "") -> Artefact:
    item_kind = ItemKind.TEMPERATURE if kind is CheckKind.TEMPERATURE else ItemKind.CONSENSUS
    c = OffchainCheck(pid, kind, "single-choice", ("Yes", "No"), start, start + 10)
    return Artefact(
        Item(ItemKey(item_kind, pid), title or f"[TC] {pid}", text), check=c, sort_key=start
    )


def test_artefacts_join_their_idea_and_the_newest_check_wins() -> None:
    old = check("0xold", CheckKind.TEMPERATURE, 100, build_footer("fee", None))
    new = check("0xnew", CheckKind.TEMPERATURE, 200, build_footer("fee", None))
    (initiative,) = assemble([IDEA], [old, new])
    assert initiative.initiative_id == "fee"
    assert initiative.temperature is not None
    assert initiative.temperature.proposal_id == "0xnew"
    assert (initiative.title, initiative.needs_onchain) == ("Lower the fee", False)


def test_an_unlinked_artefact_becomes_its_own_initiative_titled_without_its_tag() -> None:
    onchain = Artefact(
        Item(ItemKey(ItemKind.ONCHAIN, "7"), "Add a category", "# Add a category"),
        onchain=OnchainProposal(7, OnchainState.ACTIVE, 0, 10),
        sort_key=5,
    )
    stray = check("0xs", CheckKind.CONSENSUS, 50, title="[Consensus Check] Grants budget")
    found = {i.initiative_id: i for i in assemble([IDEA], [onchain, stray])}
    assert set(found) == {"fee", "onchain:7", "consensus:0xs"}
    assert found["onchain:7"].onchain is not None
    assert found["consensus:0xs"].title == "Grants budget"


def test_manual_link_moves_an_artefact() -> None:
    stray = check("0xs", CheckKind.TEMPERATURE, 50, title="[TC] unrelated")
    (initiative,) = assemble([IDEA], [stray], manual={stray.item.key: "fee"})
    assert initiative.temperature is not None


def test_strip_tags_keeps_capitalisation() -> None:
    assert strip_tags("[Temperature Check] Lower the Fee", TitleTags()) == "Lower the Fee"
    assert strip_tags("[CC] - Fee level", TitleTags()) == "Fee level"

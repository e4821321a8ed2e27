"""Linking phase artefacts to initiatives: references, URLs, titles, conflicts, manual overrides."""

from __future__ import annotations

from app.pipeline.linking import (
    Item,
    ItemKey,
    ItemKind,
    LinkReason,
    TitleTags,
    build_footer,
    link_items,
    parse_footer,
)

IDEA = Item(
    ItemKey(ItemKind.IDEA, "fee"), "Lower the fee", discussion_url="https://forum.x/t/fee/1"
)
OTHER = Item(
    ItemKey(ItemKind.IDEA, "cat"), "Add a category", discussion_url="https://forum.x/t/cat/2"
)
TC = ItemKey(ItemKind.TEMPERATURE, "0xt")
CC = ItemKey(ItemKind.CONSENSUS, "0xc")
OC = ItemKey(ItemKind.ONCHAIN, "7")


def test_footer_round_trips_and_the_last_one_wins() -> None:
    text = "Body\n" + build_footer("old", None) + "\nmore\n" + build_footer("fee", TC)
    ref = parse_footer(text)
    assert ref is not None
    assert (ref.initiative_id, ref.previous) == ("fee", TC)
    assert parse_footer("no footer here") is None


def test_reference_chain_links_every_phase_to_the_idea() -> None:
    items = [
        Item(OC, "Lower the fee", "desc\n" + build_footer("", CC)),
        Item(CC, "[Consensus Check] Fee level", "body\n" + build_footer("", TC)),
        Item(TC, "[Temperature Check] Something else", "b\n" + build_footer("fee", IDEA.key)),
        IDEA,
        OTHER,
    ]
    links = link_items(items)
    assert {k: (v.initiative_id, v.reason) for k, v in links.items() if k in (TC, CC, OC)} == {
        TC: ("fee", LinkReason.REFERENCE),
        CC: ("fee", LinkReason.REFERENCE),
        OC: ("fee", LinkReason.REFERENCE),
    }


def test_discussion_url_links_when_there_is_no_reference() -> None:
    tc = Item(TC, "[TC] whatever", discussion_url="http://www.forum.x/t/cat/2/")
    assert link_items([IDEA, OTHER, tc])[TC].initiative_id == "cat"


def test_title_tags_are_stripped_for_title_matching() -> None:
    tc = Item(TC, "[Temperature Check] Lower the FEE")
    link = link_items([IDEA, OTHER, tc])[TC]
    assert (link.initiative_id, link.reason) == ("fee", LinkReason.TITLE)


def test_reference_beats_conflicting_discussion_url_and_title() -> None:
    tc = Item(
        TC, "[TC] Lower the fee", build_footer("cat", None), discussion_url=IDEA.discussion_url
    )
    link = link_items([IDEA, OTHER, tc])[TC]
    assert (link.initiative_id, link.reason) == ("cat", LinkReason.REFERENCE)


def test_ambiguous_title_links_nothing() -> None:
    twin = Item(ItemKey(ItemKind.IDEA, "fee2"), "Lower the fee")
    tc = Item(TC, "[TC] Lower the fee")
    link = link_items([IDEA, twin, tc])[TC]
    assert (link.initiative_id, link.reason) == (str(TC), LinkReason.ANCHOR)


def test_manual_link_and_unlink_win_over_evidence() -> None:
    tc = Item(TC, "[TC] Lower the fee", discussion_url=IDEA.discussion_url)
    cc = Item(CC, "[CC] Lower the fee", build_footer("", TC))
    linked = link_items([IDEA, OTHER, tc, cc], manual={TC: "cat"})
    assert (linked[TC].initiative_id, linked[TC].reason) == ("cat", LinkReason.MANUAL)
    assert linked[CC].initiative_id == "cat"  # follows its reference to the re-linked check
    unlinked = link_items([IDEA, tc], manual={TC: None})
    assert (unlinked[TC].initiative_id, unlinked[TC].reason) == (str(TC), LinkReason.ANCHOR)


def test_title_tags_classify_snapshot_proposals() -> None:
    tags = TitleTags()
    assert tags.kind_of("[Temperature Check] X") is ItemKind.TEMPERATURE
    assert tags.kind_of("[CC] X") is ItemKind.CONSENSUS
    assert tags.kind_of("X") is None

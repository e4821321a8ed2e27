"""Advancing prefills the next phase with tags, choices and a footer that links it back."""

from __future__ import annotations

import pytest

from app.errors import InputError
from app.orgs import Conventions
from app.pipeline.advance import consensus_check, onchain_proposal, temperature_check
from app.pipeline.linking import Item, ItemKey, ItemKind, LinkReason, link_items

CONV = Conventions()


def test_the_whole_chain_links_back_to_the_idea_by_footers() -> None:
    tc = temperature_check(
        initiative_id="fee", title="Lower the fee", body="Why.", discussion="", conventions=CONV
    )
    assert tc.title == "[Temperature Check] Lower the fee"
    assert (tc.choices, tc.voting_type) == (("Yes", "No"), "single-choice")
    cc = consensus_check(initiative_id="fee", title="Fee level", body="Pick one.", discussion="",
                         temperature_id="0xt", options=[" 5% ", "8%", "10%"], conventions=CONV)  # fmt: skip
    assert cc.title == "[Consensus Check] Fee level"
    assert cc.choices == ("5%", "8%", "10%")
    oc = onchain_proposal(
        initiative_id="fee",
        title="Set the fee to 8%",
        body="Details.",
        consensus_id="0xc",
        resolution="8%",
    )
    assert oc.description.startswith(
        "# Set the fee to 8%\n\nDetails.\n\nResolution agreed off-chain: 8%"
    )
    items = [
        Item(ItemKey(ItemKind.IDEA, "fee"), "Lower the fee"),
        Item(ItemKey(ItemKind.IDEA, "other"), "Something else"),
        Item(ItemKey(ItemKind.TEMPERATURE, "0xt"), "[TC] unrelated title", tc.body),
        Item(ItemKey(ItemKind.CONSENSUS, "0xc"), cc.title, cc.body),
        Item(ItemKey(ItemKind.ONCHAIN, "1"), "Set the fee", oc.description),
    ]
    links = link_items(items)
    assert {
        str(k): (v.initiative_id, v.reason) for k, v in links.items() if k.kind is not ItemKind.IDEA
    } == {
        "temperature:0xt": ("fee", LinkReason.REFERENCE),
        "consensus:0xc": ("fee", LinkReason.REFERENCE),
        "onchain:1": ("fee", LinkReason.REFERENCE),
    }


def test_long_titles_are_shortened_to_snapshots_limit() -> None:
    tc = temperature_check(
        initiative_id="x", title="t" * 300, body="", discussion="", conventions=CONV
    )
    assert len(tc.title) == 256
    assert tc.title.endswith("…")


@pytest.mark.parametrize(
    ("options", "voting_type", "message"),
    [(["only one"], "ranked-choice", "at least two"), (["a", " "], "approval", "at least two non-empty"),
     (["a", "a "], "approval", "are the same"), (["a", "b", "c", "d"], "basic", "exactly 2 or 3")],
)  # fmt: skip
def test_bad_consensus_options_are_refused(
    options: list[str], voting_type: str, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        consensus_check(initiative_id="x", title="t", body="", discussion="", temperature_id="0xt",
                        options=options, voting_type=voting_type, conventions=CONV)  # fmt: skip


def test_onchain_needs_a_title() -> None:
    with pytest.raises(InputError, match="needs a title"):
        onchain_proposal(initiative_id="x", title="  ", body="", consensus_id="0xc", resolution="r")

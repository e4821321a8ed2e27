"""Delegate Registry ids and precedence, as Snapshot's app and the delegation strategy read them."""

from __future__ import annotations

import pytest

from app.errors import InputError
from app.snapshot.delegation import (
    GLOBAL_ID,
    SnapshotDelegation,
    clear_delegate_request,
    effective_delegations,
    set_delegate_request,
    space_key,
    space_keys,
)

ALICE = "0x" + "A" * 40
BOB = "0x" + "B" * 40
CAROL = "0x" + "C" * 40


def test_space_key_is_ethers_format_bytes32_string() -> None:
    # ethers.utils.formatBytes32String("usebraintrust.eth")
    assert space_key("usebraintrust.eth").hex() == "757365627261696e74727573742e657468" + "00" * 15
    with pytest.raises(InputError, match="1 to 31 bytes"):
        space_key("x" * 32)
    with pytest.raises(InputError, match="1 to 31 bytes"):
        space_key("")


def test_the_strategy_reads_the_name_with_and_without_dot_eth() -> None:
    assert space_keys("usebraintrust.eth") == (
        space_key("usebraintrust.eth"),
        space_key("usebraintrust"),
    )
    assert space_keys("gov.example") == (space_key("gov.example"),)


def test_a_space_delegation_overrides_a_global_one_in_either_order() -> None:
    space = "alpha.govdesk.eth"
    entries = [
        (ALICE, GLOBAL_ID, BOB),
        (ALICE, space_key("alpha.govdesk"), CAROL),
        (BOB, GLOBAL_ID, CAROL),
        (CAROL, space_key("other.eth"), ALICE),
    ]
    assert effective_delegations(entries, space) == {ALICE: CAROL, BOB: CAROL}
    assert effective_delegations(list(reversed(entries)), space) == {ALICE: CAROL, BOB: CAROL}


def test_delegation_describes_itself() -> None:
    assert (
        SnapshotDelegation(ALICE, "s.eth", None, BOB).describe
        == f"Delegated on every space to {BOB}"
    )
    assert SnapshotDelegation(ALICE, "s.eth", CAROL, BOB).delegate == CAROL
    assert SnapshotDelegation(ALICE, "s.eth", None, None).describe == "Not delegated on s.eth"


def test_registry_calls_encode_the_right_ids() -> None:
    request = set_delegate_request(None, BOB)
    assert request.data[4:36] == GLOBAL_ID
    assert clear_delegate_request("s.eth").data[4:36] == space_key("s.eth")
    assert "every space" in request.label

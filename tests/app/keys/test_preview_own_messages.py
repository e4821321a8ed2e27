"""Every message and call govdesk itself produces reads as what it is: no DANGER, dates as dates,
token amounts and fees in units, the whole body. Built with the real builders."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from app.governor import writer
from app.governor.model import (
    ClockMode,
    Eip712Domain,
    GovernorFamily,
    GovernorInfo,
    ProposalCreated,
    Support,
    TimelockKind,
    TokenInfo,
)
from app.keys.preview import SigningPreview, build_preview
from app.snapshot import messages

GOV = "0x" + "11" * 20
TOKEN = "0x" + "22" * 20
TARGET = "0x" + "33" * 20
VOTER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
OTHER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
SPACE = "alpha.govdesk.eth"
WHEN = 1_796_000_000
BODY = "Line 1\nLine 2\nLine 3\nLine 4\nLine 5\n\n<!-- govdesk:initiative=abc -->"


OZ_FAMILIES = {GovernorFamily.OZ_V5, GovernorFamily.OZ_V4}


def _info(family: GovernorFamily) -> GovernorInfo:
    domain = Eip712Domain("Gov", "1" if family in OZ_FAMILIES else None, 31337, GOV)
    token_domain = replace(domain, verifying_contract=TOKEN)
    token = TokenInfo(
        TOKEN, "Braintrust", "BTRST", 18, family not in OZ_FAMILIES, True, token_domain
    )
    return GovernorInfo(
        GOV, 31337, family, "Gov", ClockMode.BLOCKNUMBER, "", 1, 30, 0, 1, None,
        TimelockKind.NONE, 0, None, domain, token,
    )  # fmt: skip


def _preview(payload: dict[str, Any], **context: Any) -> SigningPreview:
    tokens = {TOKEN: ("BTRST", 18)}
    return build_preview(
        payload,
        expected_chain_id=31337,
        network_name="govdesk devnet",
        known_abis={GOV: [], TOKEN: []},
        context={"tokens": tokens, **context},
    )


def _tx(request: writer.TxRequest) -> dict[str, Any]:
    return {
        "chainId": 31337, "nonce": 4, "to": request.to, "value": request.value,
        "data": "0x" + request.data.hex(), "gas": 100_000,
        "maxFeePerGas": 3 * 10**9, "maxPriorityFeePerGas": 10**9,
    }  # fmt: skip


def _created() -> ProposalCreated:
    call = writer.ProposedCall(TOKEN, "transfer(address,uint256)", (OTHER, 1250 * 10**18))
    return ProposalCreated(
        7, VOTER, (TOKEN,), (0,), ("transfer(address,uint256)",), (call.calldata(),),
        10, 40, "# Pay the grants team\n\nDetails", 9, "0x" + "ab" * 32,
    )  # fmt: skip


def _draft(**changes: Any) -> messages.ProposalDraft:
    draft = messages.ProposalDraft(
        SPACE, "single-choice", "[Temperature Check] Lower the fee", BODY, ("For", "Against"),
        WHEN + 60, WHEN + 86_400, 12,
    )  # fmt: skip
    return replace(draft, **changes)


SNAPSHOT = {
    "Proposal": messages.build_proposal(VOTER, _draft(), timestamp=WHEN),
    "UpdateProposal": messages.build_update_proposal(
        VOTER, "0x" + "cd" * 32, _draft(), timestamp=WHEN
    ),
    "CancelProposal": messages.build_cancel_proposal(
        VOTER, SPACE, "0x" + "cd" * 32, timestamp=WHEN
    ),
    "Follow": messages.build_follow(VOTER, SPACE, timestamp=WHEN),
    "Unfollow": messages.build_follow(VOTER, SPACE, follow=False, timestamp=WHEN),
    "Alias": messages.build_alias(VOTER, OTHER, timestamp=WHEN),
}
VOTES = {
    "single-choice": 2,
    "basic": 1,
    "approval": [1, 3],
    "ranked-choice": [3, 1, 2],
    "copeland": [2, 3, 1],
    "weighted": {"1": 3, "3": 1},
    "quadratic": {"2": 5},
}


@pytest.mark.parametrize("primary", sorted(SNAPSHOT))
def test_every_snapshot_message_is_named_and_not_dangerous(primary: str) -> None:
    message = SNAPSHOT[primary]
    result = _preview(message.full_typed_data())
    assert not result.dangerous
    assert not result.title.startswith("Unknown")
    assert result.field("timestamp") == "2026-11-30 00:53 UTC (1796000000)"


def test_a_temperature_check_shows_its_whole_body_and_dates() -> None:
    result = _preview(SNAPSHOT["Proposal"].full_typed_data())
    assert result.title == f"Publish a Snapshot proposal in {SPACE}"
    assert result.field("body") == BODY  # the reference footer is part of what is signed
    assert result.field("voting starts") == "2026-11-30 00:54 UTC (1796000060)"
    assert result.field("choices") == "1. For, 2. Against"
    assert result.warnings == ()


@pytest.mark.parametrize("voting_type", sorted(VOTES))
def test_a_vote_of_every_type_names_its_options(voting_type: str) -> None:
    choices = ("Alpha", "Beta", "Gamma")
    request = messages.VoteRequest(SPACE, "0x" + "cd" * 32, voting_type, VOTES[voting_type], 3)
    typed = messages.build_vote(VOTER, request, timestamp=WHEN).full_typed_data()
    result = _preview(typed, choices=list(choices), proposal_title="Pick one")
    assert not result.dangerous
    assert result.kind == "snapshot-vote"
    chosen = result.field("choice") or ""
    assert any(name in chosen for name in choices), chosen


def test_an_alias_is_a_warning_not_a_danger() -> None:
    result = _preview(SNAPSHOT["Alias"].full_typed_data())
    assert [w.severity.value for w in result.warnings] == ["warning"]
    assert OTHER in result.warnings[0].message


FAMILIES = list(GovernorFamily)


@pytest.mark.parametrize("family", FAMILIES)
def test_governor_calls_of_every_family_are_decoded(family: GovernorFamily) -> None:
    info, created = _info(family), _created()
    support = Support.FOR
    calls = {
        "Vote on proposal": writer.build_cast_vote(
            info, 7, support, "" if family is GovernorFamily.ALPHA else "why"
        ),
        "Relay a signed vote": writer.build_cast_vote_by_sig(
            info, 7, support, VOTER, "0x" + "11" * 32 + "22" * 32 + "1b"
        ),
        "Create an on-chain proposal": writer.build_propose(
            info,
            [writer.ProposedCall(TOKEN, "transfer(address,uint256)", (OTHER, 10**18))],
            "# Pay the grants team",
            proposer=VOTER,
        ),
        "Queue a proposal in the timelock": writer.build_queue(info, created),
        "Execute a proposal": writer.build_execute(info, created),
        "Cancel a proposal": writer.build_cancel(info, created),
        "Delegate voting power": writer.build_delegate(info, VOTER),
        "Relay a signed delegation": writer.build_delegate_by_sig(
            info, VOTER, 0, WHEN, "0x" + "11" * 32 + "22" * 32 + "1b"
        ),
    }
    for title, request in calls.items():
        result = _preview(_tx(request))
        assert result.title == title, (title, result)
        assert not result.dangerous, (title, result.warnings)
        assert result.field("max fee") == "0.0003 ETH"
        assert result.field("max fee per gas") == "3 gwei"
    vote = _preview(_tx(calls["Vote on proposal"]))
    assert vote.field("support") == "For"
    assert vote.field("proposal id") == "7"
    propose = _preview(_tx(calls["Create an on-chain proposal"]))
    assert propose.field("title") == "Pay the grants team"
    assert propose.field("action 1") == f"{TOKEN}: transfer(to={OTHER}, amount=1 BTRST)"
    relay = _preview(_tx(calls["Relay a signed delegation"]))
    assert relay.field("expiry") == "2026-11-30 00:53 UTC (1796000000)"


@pytest.mark.parametrize("family", FAMILIES)
def test_governor_ballots_and_delegations_of_every_family(family: GovernorFamily) -> None:
    info = _info(family)
    ballot = writer.build_ballot_typed_data(info, 7, Support.AGAINST, VOTER, 0)
    result = _preview(ballot, proposal_title="Pay the grants team")
    assert result.title == "Governor vote: Against"
    assert result.field("proposal id") == "Pay the grants team (7)"
    assert not result.warnings
    delegation = _preview(writer.build_delegation_typed_data(info, VOTER, 0, WHEN))
    assert delegation.field("expiry") == "2026-11-30 00:53 UTC (1796000000)"
    assert not delegation.warnings


def test_a_call_to_our_governor_without_a_caller_abi_is_still_decoded() -> None:
    request = writer.build_cast_vote(_info(GovernorFamily.BRAVO), 7, Support.FOR, "")
    result = build_preview(_tx(request), expected_chain_id=31337, network_name="devnet")
    assert result.title == "Vote on proposal"
    assert not result.dangerous  # decoded; only a warning that the address is not known
    assert "not one of this organisation's known contracts" in result.warnings[0].message

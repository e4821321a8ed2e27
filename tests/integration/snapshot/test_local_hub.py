"""The local hub over HTTP on the devnet chain: the sequencer's checks, in order, with its error
strings; voting power from the chain at the snapshot block; re-votes; scores from the tally."""

from __future__ import annotations

import copy
import json
import time
from typing import Any

import httpx
import pytest

from app.devnet.hub import LocalHub
from app.devnet.network import Devnet
from app.keys.signer_protocol import LocalKeySigner
from app.snapshot.envelope import SignedEnvelope, sign_message
from app.snapshot.hub_client import HubClient
from app.snapshot.messages import VoteRequest, build_follow, build_proposal, build_vote
from tests.integration.snapshot.conftest import SPACE, create_proposal, proposal_draft

pytestmark = pytest.mark.integration

ALPHA_SUPPLY = 250_000_000


async def _post(hub: LocalHub, body: dict[str, Any] | str) -> httpx.Response:
    content = body if isinstance(body, str) else json.dumps(body)
    async with httpx.AsyncClient() as client:
        return await client.post(hub.sequencer_url, content=content)


def _reason(response: httpx.Response) -> str:
    body = response.json()
    assert body["error"] == "client_error"
    return str(body["error_description"])


async def _vote(
    signer: LocalKeySigner,
    proposal: str,
    choice: Any,
    *,
    voting_type: str = "single-choice",
    count: int = 3,
    timestamp: int | None = None,
) -> SignedEnvelope:
    request = VoteRequest(SPACE, proposal, voting_type, choice, count)
    return await sign_message(signer, build_vote(signer.address, request, timestamp=timestamp))


async def test_vote_is_accepted_with_chain_voting_power(
    hub: LocalHub, devnet: Devnet, signers: list[LocalKeySigner]
) -> None:
    proposal = await create_proposal(
        hub, devnet, signers[0], "single-choice", ("For", "Against", "Abstain")
    )
    envelope = await _vote(signers[1], proposal.id, 2)
    response = await _post(hub, envelope.body())
    assert response.status_code == 200, response.text
    assert response.json()["id"] == envelope.id
    async with HubClient(hub.url) as client:
        votes = await client.votes(proposal.id)
        shown = await client.proposal(proposal.id)
    assert [(v.voter, v.choice, v.id) for v in votes] == [(signers[1].address, 2, envelope.id)]
    assert votes[0].vp == pytest.approx(ALPHA_SUPPLY * 0.25)  # account 1 holds 25 %
    assert votes[0].vp_state == "final"
    assert shown is not None
    assert shown.scores == pytest.approx((0.0, ALPHA_SUPPLY * 0.25, 0.0))


async def test_sequencer_checks_reject_bad_messages(
    hub: LocalHub, devnet: Devnet, signers: list[LocalKeySigner]
) -> None:
    proposal = await create_proposal(hub, devnet, signers[0], "single-choice", ("A", "B", "C"))
    good = (await _vote(signers[2], proposal.id, 1)).body()

    tampered = copy.deepcopy(good)
    tampered["data"]["message"]["choice"] = 2
    wrong_domain = copy.deepcopy(good)
    wrong_domain["data"]["domain"]["version"] = "0.1.3"
    lowercase = copy.deepcopy(good)
    lowercase["address"] = lowercase["address"].lower()
    wrong_types = copy.deepcopy(good)
    wrong_types["data"]["types"]["Vote"][4]["type"] = "uint8"
    unknown_space = (
        await sign_message(signers[2], build_follow(signers[2].address, "nope.eth"))
    ).body()
    stale = (await _vote(signers[2], proposal.id, 1, timestamp=int(time.time()) - 7 * 86400)).body()
    future = (await _vote(signers[2], proposal.id, 1, timestamp=int(time.time()) + 600)).body()
    cases = {
        "signature validation failed": tampered,
        "wrong domain": wrong_domain,
        "wrong envelope format": lowercase,
        "wrong types": wrong_types,
        "unknown space": unknown_space,
    }
    for reason, body in cases.items():
        response = await _post(hub, body)
        assert (response.status_code, _reason(response)) == (400, reason)
    for body in (stale, future):
        assert _reason(await _post(hub, body)) == "wrong timestamp"
    assert _reason(await _post(hub, "{not json")) == "wrong envelope format"
    assert _reason(await _post(hub, {**good, "extra": 1})) == "wrong envelope format"
    # None of those was stored; the good one still goes through, once.
    assert (await _post(hub, good)).status_code == 200
    assert _reason(await _post(hub, good)) == "duplicate message"


async def test_invalid_choice_unknown_proposal_and_zero_power(
    hub: LocalHub, devnet: Devnet, signers: list[LocalKeySigner]
) -> None:
    proposal = await create_proposal(hub, devnet, signers[0], "ranked-choice", ("A", "B", "C"))
    # A partial ranking: signed by a client that skips checks (count unknown offline).
    partial = await _vote(signers[3], proposal.id, [2, 1], voting_type="ranked-choice", count=None)  # type: ignore[arg-type]
    assert _reason(await _post(hub, partial.body())) == "invalid choice"
    unknown = await _vote(signers[3], "0x" + "ab" * 32, 1)
    assert _reason(await _post(hub, unknown.body())) == "unknown proposal"
    no_power = await _vote(signers[9], proposal.id, [1, 2, 3], voting_type="ranked-choice")
    assert _reason(await _post(hub, no_power.body())) == "no voting power"
    ok = await _vote(signers[3], proposal.id, [1, 2, 3], voting_type="ranked-choice")
    assert (await _post(hub, ok.body())).status_code == 200


async def test_later_revote_replaces_choice_and_older_one_is_refused(
    hub: LocalHub, devnet: Devnet, signers: list[LocalKeySigner]
) -> None:
    proposal = await create_proposal(hub, devnet, signers[0], "approval", ("A", "B", "C"))
    now = int(time.time())
    first = await _vote(signers[4], proposal.id, [1], voting_type="approval", timestamp=now - 2)
    second = await _vote(signers[4], proposal.id, [2, 3], voting_type="approval", timestamp=now - 1)
    older = await _vote(signers[4], proposal.id, [1, 3], voting_type="approval", timestamp=now - 3)
    assert (await _post(hub, first.body())).status_code == 200
    assert (await _post(hub, second.body())).status_code == 200
    assert _reason(await _post(hub, older.body())) == "already voted at later time"
    async with HubClient(hub.url) as client:
        votes = await client.votes(proposal.id)
        shown = await client.proposal(proposal.id)
    assert [(v.id, v.choice) for v in votes] == [(second.id, [2, 3])]
    power = ALPHA_SUPPLY * 0.05  # account 4 holds 5 %
    assert shown is not None
    assert shown.scores == pytest.approx((0.0, power, power))


async def test_voting_window(hub: LocalHub, devnet: Devnet, signers: list[LocalKeySigner]) -> None:
    draft = proposal_draft(devnet, "basic", ("For", "Against"))
    later = draft.__class__(**{**draft.__dict__, "start": int(time.time()) + 600})
    envelope = await sign_message(signers[0], build_proposal(signers[0].address, later))
    assert (await _post(hub, envelope.body())).status_code == 200
    vote = await _vote(signers[1], envelope.id, 1, voting_type="basic", count=2)
    assert _reason(await _post(hub, vote.body())) == "not in voting window"


async def test_follow_and_graphql_reads(hub: LocalHub, signers: list[LocalKeySigner]) -> None:
    now = int(time.time())
    follow = await sign_message(
        signers[5], build_follow(signers[5].address, SPACE, timestamp=now - 10)
    )
    assert (await _post(hub, follow.body())).status_code == 200
    assert _reason(await _post(hub, follow.body())) == "duplicate message"
    again = await sign_message(
        signers[5], build_follow(signers[5].address, SPACE, timestamp=now - 5)
    )
    assert _reason(await _post(hub, again.body())) == "you are already following this space"
    async with HubClient(hub.url) as client:
        follows = await client.follows(follower=signers[5].address)
        space = await client.space(SPACE)
        power = await client.vp(signers[0].address, SPACE)
    assert [(f.follower, f.space) for f in follows] == [(signers[5].address, SPACE)]
    assert space is not None
    assert space.symbol == "BTRST"
    assert power.vp == pytest.approx(ALPHA_SUPPLY * 0.40)
    assert power.vp_state == "pending"  # at the latest block, like score-api
    unfollow = await sign_message(signers[5], build_follow(signers[5].address, SPACE, follow=False))
    assert (await _post(hub, unfollow.body())).status_code == 200


async def test_alias_lets_a_session_key_vote_for_the_main_account(
    hub: LocalHub, devnet: Devnet, signers: list[LocalKeySigner]
) -> None:
    from app.snapshot.messages import build_alias

    proposal = await create_proposal(hub, devnet, signers[0], "single-choice", ("A", "B"))
    main, session = signers[3], LocalKeySigner("0x" + "5e" * 32)
    message = build_vote(main.address, VoteRequest(SPACE, proposal.id, "single-choice", 2, 2))
    body = {
        "address": session.address,
        "sig": await session.sign_typed_data(message.full_typed_data()),
        "data": message.envelope_data(),
    }
    assert _reason(await _post(hub, body)) == "wrong alias"
    alias = await sign_message(main, build_alias(main.address, session.address))
    assert (await _post(hub, alias.body())).status_code == 200
    assert (await _post(hub, body)).status_code == 200
    async with HubClient(hub.url) as client:
        votes = await client.votes(proposal.id)
    assert [(v.voter, v.choice) for v in votes] == [(main.address, 2)]


async def test_spaces_and_paged_proposals(
    hub: LocalHub, devnet: Devnet, signers: list[LocalKeySigner]
) -> None:
    created = [
        (await create_proposal(hub, devnet, signers[i], "single-choice", ("A", "B"))).id
        for i in range(3)
    ]
    async with HubClient(hub.url, page_size=2) as client:
        spaces = await client.spaces()
        listed = await client.all_proposals(SPACE, state="active")
        first_page = await client.proposals(SPACE, first=2)
        pending = await client.proposals(SPACE, state="pending")
    assert [s.id for s in spaces] == [SPACE]
    assert sorted(p.id for p in listed) == sorted(created)
    assert len(first_page) == 2
    assert pending == []

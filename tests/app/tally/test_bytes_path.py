"""The bytes path (msgspec straight into columns, the compiled Copeland count) against the
records path: the same results bit for bit, or the same error, on every voting type."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import InputError
from app.snapshot.vote_columns import decode_vote_page, merge_votes
from app.tally import VOTING_TYPES, TallyResult, TallyVote, VoteTable, tally
from app.tally.ballots import encode_votes
from app.tally.copeland import _COMPILED, count_copeland_table
from app.tally.document import parse_exact_bytes, parse_tally_bytes
from app.tally.engine import tally_encoded
from app.tally.rows import concat_tables, table_from_bytes, table_to_bytes, take_rows
from tests.app.tally.bits import result_bits
from tests.app.tally.reference import ReferenceTally
from tests.app.tally.strategies import proposals

EXAMPLES = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _outcome(function: Any) -> object:
    try:
        result = function()
    except InputError as exc:
        return ("error", exc.user_message)
    assert isinstance(result, TallyResult)
    return result_bits(result)


def _document(voting_type: str, choices: list[str], votes: list[TallyVote], s: int) -> bytes:
    rows = [{"choice": v.choice, "balance": v.balance, "scores": list(v.scores)} for v in votes]
    return json.dumps(
        {"type": voting_type, "choices": choices, "strategies": s, "votes": rows}
    ).encode()


@EXAMPLES
@given(data=st.data(), voting_type=st.sampled_from(VOTING_TYPES))
def test_tally_from_bytes_equals_tally_from_records(data: st.DataObject, voting_type: str) -> None:
    choices, votes, strategies = data.draw(proposals(voting_type, max_votes=25))
    document = _document(voting_type, choices, votes, strategies)

    def from_bytes() -> TallyResult:
        request = parse_tally_bytes(document)
        return tally(voting_type, choices, request.votes, strategies)

    def from_records() -> TallyResult:
        return tally(voting_type, choices, votes, strategies)

    assert _outcome(from_bytes) == _outcome(from_records)


def test_plain_documents_decode_to_a_table_and_odd_choices_keep_their_values() -> None:
    votes = [TallyVote([2, 1, 3], 2.5, (2.5,)), TallyVote([1, 2, 3], 1e-300, (1e-300,))]
    odd_votes = [*votes, TallyVote("2", 1.0, (1.0,)), TallyVote([1.0, 2, 3], 1.0, (1.0,))]
    typed = parse_tally_bytes(_document("copeland", ["A", "B", "C"], votes, 1)).votes
    assert isinstance(typed, VoteTable)
    assert not typed.others
    document = _document("copeland", ["A", "B", "C"], odd_votes, 1)
    exact = parse_exact_bytes(document)
    assert exact.votes == tuple(odd_votes)  # the exact path: the general decoder's records
    fallback = parse_tally_bytes(document)  # the scanner: a table, odd choices as decoded
    assert isinstance(fallback.votes, VoteTable)
    assert fallback.votes.others == {2: "2", 3: [1.0, 2, 3]}
    for variant in ("current", "legacy"):
        assert _outcome(
            lambda v=variant: tally(
                "copeland", ["A", "B", "C"], fallback.votes, 1, copeland_variant=v
            )
        ) == _outcome(
            lambda v=variant: tally("copeland", ["A", "B", "C"], odd_votes, 1, copeland_variant=v)
        )


@EXAMPLES
@given(data=st.data(), variant=st.sampled_from(["current", "legacy"]))
def test_compiled_copeland_equals_the_numpy_count(data: st.DataObject, variant: str) -> None:
    choices, votes, strategies = data.draw(
        proposals("copeland", partial_rankings=variant == "legacy", max_votes=40)
    )
    try:
        table = VoteTable.from_votes(votes, strategies)
    except InputError:
        return
    n = len(choices)
    try:
        encoded = encode_votes("copeland", n, table, copeland_variant=variant)
    except InputError:
        return
    numpy_result = result_bits(tally_encoded(encoded))
    compiled = count_copeland_table(table, n, variant)
    if table.others or not _COMPILED:  # odd rows, or a build without a C compiler: numpy path
        assert compiled is None
        return
    assert compiled is not None
    (scores, by_strategy), total = compiled
    ours = TallyResult(tuple(scores), tuple(tuple(r) for r in by_strategy), total)
    assert result_bits(ours) == numpy_result


def test_compiled_copeland_folds_a_duel_too_close_for_the_grouped_sums() -> None:
    # +1e16, -1e16, -1 on one duel: summed per ranking the duel looks tied or positive; the fold
    # that snapshot.js computes is -1 after rounding. The grouped bound sends it to the exact fold.
    votes = [
        TallyVote([1, 2, 3], 1e16, (1e16,)),
        TallyVote([2, 1, 3], 1e16, (1e16,)),
        TallyVote([2, 1, 3], 1.0, (1.0,)),
        TallyVote([1, 2, 3], 0.5, (0.5,)),
    ]
    table = VoteTable.from_votes(votes, 1)
    encoded = encode_votes("copeland", 3, table)
    compiled = count_copeland_table(table, 3, "current")
    if not _COMPILED:
        assert compiled is None
        return
    assert compiled is not None
    (scores, _), total = compiled
    assert list(scores) == list(tally_encoded(encoded).scores)
    assert total == tally_encoded(encoded).scores_total


@EXAMPLES
@given(data=st.data(), voting_type=st.sampled_from(VOTING_TYPES))
def test_table_rows_kept_appended_and_stored_count_alike(
    data: st.DataObject, voting_type: str
) -> None:
    choices, votes, strategies = data.draw(proposals(voting_type, max_votes=20))
    try:
        table = VoteTable.from_votes(votes, strategies)
    except InputError:
        return
    keep = data.draw(st.lists(st.integers(0, max(table.size - 1, 0)), unique=True))
    keep = sorted(k for k in keep if k < table.size)
    picked = take_rows(table, np.array(keep, dtype=np.int64))
    expected = _outcome(lambda: tally(voting_type, choices, [votes[k] for k in keep], strategies))
    assert _outcome(lambda: tally(voting_type, choices, picked, strategies)) == expected
    stored = table_from_bytes(table_to_bytes(picked))
    assert _outcome(lambda: tally(voting_type, choices, stored, strategies)) == expected
    both = concat_tables([picked, table], strategies)
    doubled = [*(votes[k] for k in keep), *votes]
    assert _outcome(lambda: tally(voting_type, choices, both, strategies)) == _outcome(
        lambda: tally(voting_type, choices, doubled, strategies)
    )


def _page(votes: list[dict[str, Any]]) -> bytes:
    return json.dumps({"data": {"votes": votes}}).encode()


def test_hub_pages_decode_to_columns_and_re_votes_replace() -> None:
    def vote(i: int, voter: str, choice: object, created: int) -> dict[str, Any]:
        return {"id": f"0x{i}", "voter": voter, "created": created, "choice": choice,
                "vp": 3.0 + i, "vp_by_strategy": [1.0 + i, 2.0]}  # fmt: skip

    first = decode_vote_page(_page([vote(1, "0xa", 1, 10), vote(2, "0xB", "2", 11)]), 2)
    assert first.table.others == {1: "2"}  # a string choice: read by the general decoder
    second = decode_vote_page(_page([vote(2, "0xB", "2", 11), vote(3, "0xA", 2, 12)]), 2)
    merged = merge_votes([first, second], 2)
    # The overlap (vote 2) is counted once; 0xA voted again (addresses compare case-blind).
    assert merged.voters.tolist() == [b"0xb", b"0xa"]
    assert merged.created.tolist() == [11, 12]
    records = [TallyVote("2", 5.0, (3.0, 2.0)), TallyVote(2, 6.0, (4.0, 2.0))]
    assert result_bits(tally("single-choice", ["A", "B"], merged.table, 2)) == result_bits(
        tally("single-choice", ["A", "B"], records, 2)
    )


def test_a_vote_without_per_strategy_scores_counts_its_vp_per_strategy() -> None:
    body = _page([{"id": "1", "voter": "0xa", "created": 1, "choice": 1, "vp": 4.0,
                   "vp_by_strategy": []}])  # fmt: skip
    assert decode_vote_page(body, 2).table.powers.tolist() == [[4.0, 4.0, 4.0]]


@pytest.mark.parametrize("voting_type", ["copeland", "ranked-choice"])
def test_rankings_when_the_element_count_happens_to_equal_votes_times_choices(
    snapshot_js: ReferenceTally, voting_type: str
) -> None:
    # 3 votes x 1 choice = 3 list elements, but not one list of 1 per vote: a shortcut that
    # trusted the count alone read these rankings misaligned (found by hypothesis).
    votes = [TallyVote(None, 0.0, ()), TallyVote([1], 1.0, ()), TallyVote([0, 0], 0.0, ())]
    ours = tally(voting_type, ["choice 1"], votes, 0)
    assert result_bits(ours) == result_bits(snapshot_js.tally(voting_type, ["choice 1"], votes, 0))
    assert ours.scores_total == 1.0

"""The family adapters: what each governor family allows, asked rather than branched on."""

from __future__ import annotations

import pytest

from app.errors import InputError
from app.governor import contract_interface as abi
from app.governor.families import ADAPTERS, AlphaAdapter, adapter_for
from app.governor.model import GovernorFamily, Support

ALL = (Support.AGAINST, Support.FOR, Support.ABSTAIN)


def test_one_adapter_per_family_with_its_rules() -> None:
    assert set(ADAPTERS) == set(GovernorFamily)
    rules = {
        f: (a.support_options, a.accepts_reason, a.ballot_names_voter, a.ids_from_hash)
        for f, a in ADAPTERS.items()
    }
    assert rules == {
        GovernorFamily.OZ_V5: (ALL, True, True, True),
        GovernorFamily.OZ_V4: (ALL, True, False, True),
        GovernorFamily.BRAVO: (ALL, True, False, False),
        GovernorFamily.ALPHA: ((Support.AGAINST, Support.FOR), False, False, False),
    }
    assert GovernorFamily.ALPHA.adapter is adapter_for(GovernorFamily.ALPHA)
    assert isinstance(GovernorFamily.ALPHA.adapter, AlphaAdapter)


def test_alpha_refuses_abstain_and_reasons_before_encoding() -> None:
    alpha = adapter_for(GovernorFamily.ALPHA)
    with pytest.raises(InputError, match="does not accept abstain"):
        alpha.cast_vote_data(1, Support.ABSTAIN, "")
    with pytest.raises(InputError, match="no vote reason"):
        alpha.cast_vote_data(1, Support.FOR, "because")
    assert alpha.cast_vote_data(1, Support.AGAINST, "") == abi.CAST_VOTE_ALPHA.encode(1, False)
    fields, message = alpha.ballot(3, Support.FOR, "0x" + "44" * 20, 0)
    assert fields[1] == {"name": "support", "type": "bool"}
    assert message == {"proposalId": 3, "support": True}


def test_vote_events_and_reasons_per_family() -> None:
    assert adapter_for(GovernorFamily.ALPHA).vote_events == (abi.VOTE_CAST_ALPHA,)
    bravo = adapter_for(GovernorFamily.BRAVO)
    assert abi.VOTE_CAST in bravo.vote_events
    assert bravo.cast_vote_data(2, Support.ABSTAIN, "why") == (
        abi.CAST_VOTE_WITH_REASON.encode(2, 2, "why")
    )
    assert bravo.counts_abstain
    assert not adapter_for(GovernorFamily.ALPHA).counts_abstain

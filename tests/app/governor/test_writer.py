"""Pure tests of the governor transaction and typed-data builders."""

from __future__ import annotations

from dataclasses import replace

import pytest
from eth_utils.crypto import keccak

from app.errors import InputError
from app.governor import contract_interface as abi
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
from app.governor.writer import (
    ProposedCall,
    build_ballot_typed_data,
    build_cast_vote,
    build_cast_vote_by_sig,
    build_delegation_typed_data,
    build_execute,
    build_propose,
    build_queue,
    split_signature,
    with_proposer_suffix,
)

GOV = "0x" + "11" * 20
TOKEN = "0x" + "22" * 20
TARGET = "0x" + "33" * 20
VOTER = "0x" + "44" * 20
DOMAIN = Eip712Domain("Gov", "1", 31337, GOV)


def _info(family: GovernorFamily) -> GovernorInfo:
    oz = family in (GovernorFamily.OZ_V5, GovernorFamily.OZ_V4)
    domain = DOMAIN if oz else replace(DOMAIN, version=None)
    token = TokenInfo(TOKEN, "T", "T", 18, not oz, True, replace(domain, verifying_contract=TOKEN))
    return GovernorInfo(
        GOV, 31337, family, "Gov", ClockMode.BLOCKNUMBER, "", 1, 30, 0, 1, None,
        TimelockKind.NONE, 0, None, domain, token,
    )  # fmt: skip


def _type_string(typed: dict[str, object], name: str) -> str:
    fields = typed["types"][name]  # type: ignore[index]
    return f"{name}(" + ",".join(f"{f['type']} {f['name']}" for f in fields) + ")"


@pytest.mark.parametrize(
    ("family", "typehash"),
    [
        (GovernorFamily.OZ_V5, "f2aad550cf55f045cb27e9c559f9889fdfb6e6cdaa032301d6ea397784ae51d7"),
        (GovernorFamily.OZ_V4, "150214d74d59b7d1e90c73fc22ef3d991dd0a76b046543d4d80ab92d2a50328f"),
        (GovernorFamily.BRAVO, "150214d74d59b7d1e90c73fc22ef3d991dd0a76b046543d4d80ab92d2a50328f"),
        (GovernorFamily.ALPHA, abi.BALLOT_BOOL.hex()),
    ],
)
def test_ballot_type_matches_the_family_typehash(family: GovernorFamily, typehash: str) -> None:
    typed = build_ballot_typed_data(_info(family), 7, Support.FOR, VOTER, 3)
    assert keccak(text=_type_string(typed, "Ballot")).hex() == typehash
    assert typed["message"]["proposalId"] == 7


def test_compound_domains_have_no_version() -> None:
    typed = build_ballot_typed_data(_info(GovernorFamily.BRAVO), 1, Support.AGAINST, VOTER, 0)
    assert [f["name"] for f in typed["types"]["EIP712Domain"]] == [
        "name",
        "chainId",
        "verifyingContract",
    ]
    assert "version" not in typed["domain"]


def test_alpha_refuses_abstain_and_reasons() -> None:
    alpha = _info(GovernorFamily.ALPHA)
    with pytest.raises(InputError, match="abstain"):
        build_cast_vote(alpha, 1, Support.ABSTAIN)
    with pytest.raises(InputError, match="no vote reason"):
        build_cast_vote(alpha, 1, Support.FOR, "because")
    assert build_cast_vote(alpha, 1, Support.FOR).data[:4] == abi.CAST_VOTE_ALPHA.selector


def test_cast_vote_with_reason_uses_reason_entry_point() -> None:
    tx = build_cast_vote(_info(GovernorFamily.OZ_V5), 9, Support.ABSTAIN, "why not")
    assert tx.data[:4].hex() == "7b3c71d3"
    assert abi.CAST_VOTE_WITH_REASON.decode_input(tx.data) == (9, 2, "why not")


def test_proposer_suffix_is_added_once() -> None:
    once = with_proposer_suffix("# Title", VOTER)
    assert once.endswith("#proposer=0x4444444444444444444444444444444444444444")
    assert len(once) - len("# Title") == 52
    assert with_proposer_suffix(once, VOTER) == once


def test_propose_forms_per_family() -> None:
    call = ProposedCall(TARGET, "setMarketplaceFee(uint8 newFee)", (5,))
    oz = build_propose(_info(GovernorFamily.OZ_V5), [call], "d", proposer=VOTER)
    _, _, datas, description = abi.OZ_PROPOSE.decode_input(oz.data)
    assert oz.data[:4].hex() == "7d5e81e2"
    assert datas[0][:4] == keccak(text="setMarketplaceFee(uint8)")[:4]
    assert description.startswith("d#proposer=")
    bravo = build_propose(_info(GovernorFamily.BRAVO), [call], "d", proposer=VOTER)
    _, _, sigs, args, text = abi.COMPOUND_PROPOSE.decode_input(bravo.data)
    assert bravo.data[:4].hex() == "da95691a"
    assert sigs == ("setMarketplaceFee(uint8)",)
    assert len(args[0]) == 32  # arguments only, no selector
    assert text == "d"  # Compound governors have no proposer guard


def test_propose_needs_an_action() -> None:
    with pytest.raises(InputError):
        build_propose(_info(GovernorFamily.OZ_V5), [], "empty")


def test_queue_and_execute_use_description_hash_for_oz_and_id_for_compound() -> None:
    created = ProposalCreated(
        5, VOTER, (TARGET,), (0,), ("",), (b"\x01\x02\x03\x04",), 1, 2, "x", 1, "0x"
    )
    oz_queue = build_queue(_info(GovernorFamily.OZ_V5), created)
    assert abi.OZ_QUEUE.decode_input(oz_queue.data)[3] == keccak(text="x")
    assert build_execute(_info(GovernorFamily.ALPHA), created).data == abi.ID_EXECUTE.encode(5)


def test_vote_by_sig_encodings() -> None:
    sig = "0x" + "aa" * 32 + "bb" * 32 + "1b"
    v5 = build_cast_vote_by_sig(_info(GovernorFamily.OZ_V5), 1, Support.FOR, VOTER, sig)
    assert v5.data[:4].hex() == "8ff262e3"
    bravo = build_cast_vote_by_sig(_info(GovernorFamily.BRAVO), 1, Support.FOR, VOTER, sig)
    assert abi.CAST_VOTE_BY_SIG_V4.decode_input(bravo.data)[2] == 27
    alpha = build_cast_vote_by_sig(_info(GovernorFamily.ALPHA), 1, Support.FOR, VOTER, sig)
    assert alpha.data[:4].hex() == "4634c61f"


def test_split_signature_normalises_v_and_checks_length() -> None:
    v, r, s = split_signature("0x" + "01" * 64 + "00")
    assert (v, r, s) == (27, b"\x01" * 32, b"\x01" * 32)
    with pytest.raises(InputError):
        split_signature("0x1234")


def test_delegation_typed_data_uses_token_domain() -> None:
    typed = build_delegation_typed_data(_info(GovernorFamily.OZ_V5), VOTER, 4, 99)
    assert keccak(text=_type_string(typed, "Delegation")).hex() == (
        "e48329057bfd03d55e49b547132e39cffd9c1820ad7b9d4c5307691425d15adf"
    )
    assert typed["domain"]["verifyingContract"] == TOKEN

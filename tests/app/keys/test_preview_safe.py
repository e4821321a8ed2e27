"""A Safe owner's approval reads as what the Safe will do, without a DANGER line."""

from __future__ import annotations

from app.chain.abi_codec import fn
from app.keys.preview import Severity, build_preview
from app.safe.hashes import SafeTx, eip1271_message, safe_message_typed_data, safe_tx_typed_data

SAFE = "0x" + "5a" * 20
GOVERNOR = "0x1a0D3d5a43e53510f80F16905Bc96e907A47dD01"


def test_a_safe_vote_on_chain_is_decoded_and_calm() -> None:
    data = fn("castVote(uint256,bool)").encode(12, True)
    typed = safe_tx_typed_data(1, SAFE, SafeTx(to=GOVERNOR, data=data, nonce=4))
    summary = "Safe 0x5A5a…5a5A (2 of 3) votes For on proposal 12"
    preview = build_preview(typed, expected_chain_id=1, network_name="Ethereum",
                            known_abis={SAFE: []}, context={"safe_summary": summary})  # fmt: skip
    assert preview.title == summary
    shown = {f.label: f.value for f in preview.fields}
    assert shown["call"] == "Vote on proposal (proposal id 12, support For)"
    assert shown["Safe nonce"] == "4"
    assert shown["operation"] == "call"
    assert not [w for w in preview.warnings if w.severity is Severity.DANGER]


def test_a_delegatecall_is_a_danger() -> None:
    typed = safe_tx_typed_data(1, SAFE, SafeTx(to=GOVERNOR, data=b"", nonce=0, operation=1))
    preview = build_preview(
        typed, expected_chain_id=1, network_name="Ethereum", known_abis={SAFE: []}
    )
    assert [w for w in preview.warnings if w.severity is Severity.DANGER]


def test_a_safe_message_says_what_it_approves() -> None:
    typed = safe_message_typed_data(1, SAFE, eip1271_message(bytes(32)))
    typed["message"] = {"message": "0x" + bytes(32).hex()}
    preview = build_preview(
        typed, expected_chain_id=1, network_name="Ethereum", known_abis={SAFE: []},
        context={"approves": "Snapshot vote 'For' on Lower the fee (usebraintrust.eth)"},
    )  # fmt: skip
    shown = {f.label: f.value for f in preview.fields}
    assert shown["approves"].startswith("Snapshot vote 'For'")
    assert preview.title.startswith("Approve a message for Safe")
    assert not [w for w in preview.warnings if w.severity is Severity.DANGER]
    # An unknown Safe is said so, without DANGER.
    unknown = build_preview(typed, expected_chain_id=1, network_name="Ethereum")
    assert any("not a known contract" in w.message for w in unknown.warnings)

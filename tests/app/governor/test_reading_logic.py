"""Pure tests: family rules, action decoding, clock estimates, error sentences, event parsing."""

from __future__ import annotations

import pytest
from eth_abi.abi import encode

from app.chain.abi_codec import fn
from app.chain.logs import Log
from app.chain.multicall import CallResult
from app.governor import contract_interface as abi
from app.governor.actions import CallDecoder, default_decoder
from app.governor.detect import _GOVERNOR_PROBES, _Probe, family_from_probe
from app.governor.errors import NotAGovernorError
from app.governor.model import ClockMode, GovernorFamily
from app.governor.reader import ChainClock, parse_proposal_created

TARGET = "0x" + "33" * 20


def _probe(**answers: bytes) -> _Probe:
    results = [CallResult(key in answers, answers.get(key, b"")) for key, _, _ in _GOVERNOR_PROBES]
    probe = _Probe()
    probe.add(_GOVERNOR_PROBES, results)
    return probe


def _string(text: str) -> bytes:
    return encode(["string"], [text])


@pytest.mark.parametrize(
    ("answers", "family"),
    [
        ({"counting_mode": _string("x"), "ballot": abi.BALLOT_V5}, GovernorFamily.OZ_V5),
        (
            {"counting_mode": _string("x"), "needs_queuing": encode(["bool"], [False])},
            GovernorFamily.OZ_V5,
        ),
        ({"counting_mode": _string("x"), "ballot": abi.BALLOT_UINT8}, GovernorFamily.OZ_V4),
        ({"ballot": abi.BALLOT_UINT8, "count": encode(["uint256"], [3])}, GovernorFamily.BRAVO),
        ({"ballot": abi.BALLOT_BOOL}, GovernorFamily.ALPHA),
    ],
)
def test_family_rules(answers: dict[str, bytes], family: GovernorFamily) -> None:
    assert family_from_probe(_probe(**answers)) is family


def test_unknown_contract_is_not_a_governor() -> None:
    with pytest.raises(NotAGovernorError):
        family_from_probe(_probe(count=encode(["uint256"], [1])))


def test_decoder_names_known_calls_and_keeps_unknown_raw() -> None:
    decoder = CallDecoder()
    decoder.add_signature("transfer(address to,uint256 amount)")
    data = fn("transfer(address,uint256)").encode(TARGET, 10)
    action = decoder.decode(TARGET, 0, "", data)
    assert action.function == "transfer(address to,uint256 amount)"
    assert action.arguments == (
        ("to", "0x3333333333333333333333333333333333333333"),
        ("amount", "10"),
    )
    unknown = decoder.decode(TARGET, 0, "", bytes.fromhex("deadbeef00"))
    assert unknown.function is None
    assert "unknown call 0xdeadbeef00" in unknown.summary


def test_decoder_uses_compound_signature_strings() -> None:
    action = CallDecoder().decode(TARGET, 0, "setFee(uint8)", encode(["uint8"], [5]))
    assert action.function == "setFee(uint8)"
    assert action.arguments == (("", "5"),)


def test_default_decoder_knows_our_artifacts() -> None:
    data = fn("addMarketplaceCategory(string)").encode("design")
    action = default_decoder().decode(TARGET, 0, "", data)
    assert action.arguments == (("category", "design"),)


def test_chain_clock_estimates_block_deadlines_only() -> None:
    clock = ChainClock(number=100, timestamp=1_000_000, seconds_per_block=12.0)
    assert clock.estimate(110, ClockMode.BLOCKNUMBER) == 1_000_120
    assert clock.estimate(1_234_567, ClockMode.TIMESTAMP) == 1_234_567


def test_unexpected_state_error_reads_as_a_sentence() -> None:
    bitmap = (1 << 4 | 1 << 5).to_bytes(32, "big")
    data = fn("GovernorUnexpectedProposalState(uint256,uint8,bytes32)").encode(5, 0, bitmap)
    assert abi.governor_errors().describe(data) == (
        "proposal 5 is Pending, but this needs it to be Succeeded or Queued"
    )


def test_parse_proposal_created_keeps_description_exact() -> None:
    description = "  # Title \u00e9\n\nbody  "
    data = encode(
        [
            "uint256",
            "address",
            "address[]",
            "uint256[]",
            "string[]",
            "bytes[]",
            "uint256",
            "uint256",
            "string",
        ],
        [7, TARGET, [TARGET], [0], [""], [b"\x01"], 10, 40, description],
    )
    log = Log(TARGET, (abi.PROPOSAL_CREATED.topic0,), data, 5, "0xb", "0xt", 0)
    created = parse_proposal_created(log)
    assert created.description == description
    assert created.title == "Title \u00e9"
    assert (created.vote_start, created.vote_end, created.block_number) == (10, 40, 5)

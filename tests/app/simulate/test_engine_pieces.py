"""The simulator's pure pieces and the pinned pyrevm journal format, on an in-memory EVM."""

from __future__ import annotations

import pyrevm
import pytest
from eth_abi.abi import encode

from app.artifacts import load_artifact
from app.chain.abi_codec import fn
from app.pipeline.detail_checks import Risk
from app.simulate import contracts, engine, forwarder
from app.simulate.labels import Labels
from app.simulate.model import CallEffect, CallStatus, Simulation
from app.simulate.risks import IMPLEMENTATION_SLOT, risk_notes
from app.simulate.simulator import Setting
from app.simulate.units import format_amount, format_duration

GOVERNOR = "0x" + "11" * 20
PERSON = "0x" + "22" * 20


def deployed_decisions() -> tuple[pyrevm.EVM, str]:
    evm = pyrevm.EVM(spec_id=engine.SPEC)
    evm.set_balance(GOVERNOR, 10**20)
    artifact = load_artifact("GovernanceDecisions")
    code = bytes.fromhex(artifact.bytecode.removeprefix("0x")) + encode(["address"], [GOVERNOR])
    return evm, evm.deploy(GOVERNOR, code)


def test_pyrevm_journal_lists_storage_writes_and_eth_moves_in_the_pinned_format() -> None:
    evm, target = deployed_decisions()
    evm.message_call(GOVERNOR, target, fn("setMarketplaceFee(uint8)").encode(8))
    evm.message_call(GOVERNOR, PERSON, b"", value=3)
    journal = evm.journal_str
    writes = engine._STORAGE_WRITE.findall(journal)
    # The fee's slot held 10 before (which slot depends on the contract's layout).
    assert any(addr == target.lower() and before == "10" for addr, _slot, before in writes)
    moves = engine._ETH_MOVE.findall(journal)
    assert (GOVERNOR, PERSON, "3") in moves


def test_known_contracts_are_recognised_by_their_selectors() -> None:
    evm, target = deployed_decisions()
    found = contracts.identify(evm.get_code(target) or b"")
    assert found is not None
    assert found.name == "GovernanceDecisions"
    assert "marketplaceFee" in {v.name for v in found.views}
    assert contracts.identify(b"\x60\x00") is None


def test_shim_forwards_for_the_simulator_and_delegates_for_everyone_else() -> None:
    evm, target = deployed_decisions()
    shadow = forwarder.shadow_address(GOVERNOR)
    evm.insert_account_info(shadow, pyrevm.AccountInfo(code=evm.get_code(target)))
    evm.insert_account_info(GOVERNOR, pyrevm.AccountInfo(code=forwarder.shim_code(shadow)))
    request = forwarder.encode_request(target, 0, fn("setMarketplaceFee(uint8)").encode(150))
    ok, data = forwarder.decode_reply(
        bytes(evm.message_call(forwarder.SIMULATOR, GOVERNOR, request))
    )
    assert not ok  # the revert comes back as data, not as an aborted run
    assert b"fee must be below 100" in data
    fee = fn("marketplaceFee()", "uint8")
    # Anyone else reaches the original code (here: the decisions contract) in GOVERNOR's storage.
    assert bytes(evm.message_call(PERSON, GOVERNOR, fee.encode()))[-1] == 0


@pytest.mark.parametrize(
    ("raw", "decimals", "shown"),
    [
        (1_234_500_000_000_000_000_000, 18, "1,234.5"),
        (5, 0, "5"),
        (1, 18, "<0.000001"),
        (0, 18, "0"),
    ],
)
def test_amounts_read_in_token_units(raw: int, decimals: int, shown: str) -> None:
    assert format_amount(raw, decimals) == shown


def test_durations_and_view_names_read_as_words() -> None:
    assert format_duration(3600) == "3,600 s (1 h)"
    assert format_duration(30) == "30 s"
    assert contracts.words("getMarketplaceCategories") == "marketplace categories"
    assert contracts.words("marketplaceFee") == "marketplace fee"
    assert contracts.words("GRACE_PERIOD") == "grace period"


def test_writing_the_eip1967_implementation_slot_is_an_upgrade_risk() -> None:
    proxy = "0x" + "33" * 20
    call = CallEffect(0, proxy, "upgrade", CallStatus.SUCCEEDED)
    simulation = Simulation(1, 1, GOVERNOR, (call,))
    writes = [{("0x3333333333333333333333333333333333333333", IMPLEMENTATION_SLOT)}]
    notes = risk_notes(simulation, [[]], writes, Labels(), Setting(1, GOVERNOR))
    assert [(n.index, n.risk) for n in notes] == [(0, Risk.UPGRADE)]
    assert "EIP-1967 implementation slot" in notes[0].message

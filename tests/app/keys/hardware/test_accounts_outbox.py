"""Hardware accounts in the store (never in the keyring), the CLI, and the outbox rule: a
rejection or an unplug leaves no outbox entry, a signature leaves exactly the signed one."""

from __future__ import annotations

import json
import os
from pathlib import Path

import httpx
import pytest

from app.domain.retry import RetryPolicy
from app.keys.errors import AccountExistsError, WatchOnlyError
from app.keys.hardware import errors as hw
from app.keys.hardware.signer import HardwareSigner
from app.keys.metadata import AccountKind, HardwareRecord
from app.snapshot.envelope import sign_message
from app.snapshot.messages import VoteRequest, build_vote
from app.snapshot.outbox import Outbox, OutboxStatus, deliver
from app.snapshot.sequencer import SequencerClient
from app.store.database import connect
from tests.app.keys.hardware import samples
from tests.app.keys.hardware.conftest import hardware_manager
from tests.app.keys.hardware.recorded import NoDevices, RecordedBackend, load

RECORD = HardwareRecord(samples.ADDRESS, "ledger", samples.PATH, "1a2b3c4d", "Nano S Plus")


async def test_hardware_account_is_stored_like_watch_only_and_never_sealed() -> None:
    manager, vault = hardware_manager()
    info = await manager.add_hardware(RECORD, label="Cold Ledger")
    assert (info.kind, info.source.value, info.derivation_path) == (
        AccountKind.HARDWARE,
        "ledger",
        samples.PATH,
    )
    assert await manager.hardware(samples.ADDRESS) == RECORD
    assert not await vault.has(samples.ADDRESS)  # nothing in the keyring
    with pytest.raises(WatchOnlyError, match="never leaves the device"):
        await manager.export_keystore_unsafe(samples.ADDRESS, "x" * 8, "y" * 8)
    with pytest.raises(AccountExistsError):
        await manager.add_hardware(RECORD)
    await manager.remove(samples.ADDRESS)
    assert await manager.list_accounts() == []


def snapshot_vote_message() -> object:
    request = VoteRequest("braintrust.eth", samples.PROPOSAL, "single-choice", 1, 3,
                          "Good for builders: lower fees, more jobs.")  # fmt: skip
    return build_vote(samples.ADDRESS, request, timestamp=1_700_000_000)


def sequencer(seen: list[bytes]) -> SequencerClient:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.content)
        return httpx.Response(
            200, json={"id": json.loads(request.content)["sig"][:10], "ipfs": "x"}
        )

    async def no_sleep(_s: float) -> None:
        return None

    return SequencerClient(
        "http://sequencer.test/",
        transport=httpx.MockTransport(handler),
        sleep=no_sleep,
        policy=RetryPolicy(attempts=1),
    )


async def vote_through_outbox(backend: RecordedBackend, outbox: Outbox, seen: list[bytes]) -> None:
    signer = HardwareSigner(samples.ADDRESS, vendor="ledger", path=samples.PATH,
                            chain_id=samples.CHAIN_ID, backend=backend)  # fmt: skip
    envelope = await sign_message(signer, snapshot_vote_message())  # type: ignore[arg-type]
    async with sequencer(seen) as client:
        await deliver(outbox, client, envelope)


@pytest.mark.parametrize("failure", ["6985", "unplugged"])
async def test_rejection_or_unplug_leaves_no_outbox_entry(failure: str) -> None:
    script = list(load("ledger_vote_full")["exchanges"])
    script[-1] = dict(script[-1], response=failure)
    outbox, seen = Outbox(connect(":memory:")), []
    expected = hw.RejectedOnDeviceError if failure == "6985" else hw.DeviceDisconnectedError
    with pytest.raises(expected):
        await vote_through_outbox(RecordedBackend("ledger", script), outbox, seen)
    assert outbox.entries() == []
    assert seen == []


async def test_a_device_signature_is_stored_then_sent() -> None:
    outbox, seen = Outbox(connect(":memory:")), []
    await vote_through_outbox(RecordedBackend("ledger", load("ledger_vote_full")["exchanges"]),
                              outbox, seen)  # fmt: skip
    [entry] = outbox.entries()
    assert entry.status is OutboxStatus.ACCEPTED
    assert entry.envelope.address == samples.ADDRESS
    assert len(seen) == 1


def test_cli_hw_list_add_and_account_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.cli import account as account_cli
    from app.cli import main

    monkeypatch.setenv("GOVDESK_DATA_DIR", str(tmp_path / "data"))
    addresses = load("ledger_addresses")["exchanges"]
    show = load("ledger_show_address")["exchanges"]
    backend = RecordedBackend("ledger", addresses[:5] + show)
    monkeypatch.setattr(account_cli, "hardware_backend", lambda: backend)
    assert main(["account", "hw", "list", "--vendor", "ledger", "--count", "3"]) == 0
    out = capsys.readouterr().out
    assert "Ledger Nano S Plus" in out
    assert "version 1.10.4" in out
    assert samples.ADDRESS in out
    assert main(["account", "hw", "add", "--vendor", "ledger", "--index", "0", "--label", "L"]) == 0
    assert backend.done()
    capsys.readouterr()
    assert main(["account", "list", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row == {"address": samples.ADDRESS, "label": "L", "kind": "hardware",
                   "source": "ledger", "derivationPath": samples.PATH}  # fmt: skip


@pytest.mark.skipif(os.environ.get("GOVDESK_HW_TEST") not in ("ledger", "trezor"),
                    reason="set GOVDESK_HW_TEST=ledger|trezor with a device plugged in")  # fmt: skip
async def test_real_device_signs_a_vote_and_a_transaction() -> None:
    """Opt-in, with a real device: confirm the address, the vote and the transaction on it."""
    from app.keys.hardware.signer import HardwareBackend, confirm_on_device

    vendor = os.environ["GOVDESK_HW_TEST"]
    backend = HardwareBackend()
    _summary, address = await confirm_on_device(backend, vendor, samples.PATH)
    signer = HardwareSigner(address, vendor=vendor, path=samples.PATH, chain_id=samples.CHAIN_ID,
                            backend=backend)  # fmt: skip
    vote = samples.snapshot_vote()
    vote["message"]["from"] = address
    from eth_account import Account
    from eth_account.messages import encode_typed_data

    signature = await signer.sign_typed_data(vote)
    assert (
        Account.recover_message(encode_typed_data(full_message=vote), signature=signature)
        == address
    )
    raw = await signer.sign_transaction(samples.governor_vote_tx())
    from app.keys.transaction_fields import decode_signed_transaction

    assert decode_signed_transaction("0x" + raw.hex())[0] == address


def test_cli_hw_show_confirms_or_refuses_another_device(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.cli import account as account_cli
    from app.cli import main

    monkeypatch.setenv("GOVDESK_DATA_DIR", str(tmp_path / "data"))
    show = load("ledger_show_address")["exchanges"]
    backend = RecordedBackend("ledger", show)
    monkeypatch.setattr(account_cli, "hardware_backend", lambda: backend)
    assert main(["account", "hw", "add", "--vendor", "ledger", "--index", "0"]) == 0
    capsys.readouterr()
    backend.extend(show)
    assert main(["account", "hw", "show", samples.ADDRESS]) == 0
    assert f"Confirmed: {samples.ADDRESS}" in capsys.readouterr().out
    assert backend.done()
    # No device at all: a plain message, no traceback.
    monkeypatch.setattr(account_cli, "hardware_backend", NoDevices)
    assert main(["account", "hw", "show", samples.ADDRESS]) != 0
    err = capsys.readouterr().err
    assert "No Ledger found. Plug it in" in err
    assert "Traceback" not in err

"""Replaying recorded device exchanges at the transport boundary.

A recording is JSON: ``{"vendor", "document", "exchanges": [...]}``. Each Ledger exchange is
``{"section", "command", "response"}`` (hex APDU out, hex data ‖ status word back, or
``"unplugged"``); each Trezor exchange is ``{"section", "send": {"type", "hex"}, "receive":
{"type", "hex"}}`` with the protobuf bytes as trezorlib encodes them. Replays are strict: what
govdesk sends must equal the recorded bytes, in order, and every exchange must be used.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trezorlib import messages
from trezorlib.mapping import DEFAULT_MAPPING
from trezorlib.protobuf import MessageType

from app.keys.hardware.base import DeviceDescription, HardwareDevice
from app.keys.hardware.ledger import LedgerEthApp
from app.keys.hardware.signer import HardwareBackend
from app.keys.hardware.trezor import TrezorEth

RECORDINGS = Path(__file__).parent / "recordings"
LEDGER_DOC = "LedgerHQ/app-ethereum doc/ethapp.adoc"
TREZOR_DOC = "trezor-firmware common/protob/messages-ethereum.proto, messages-ethereum-eip712.proto"


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((RECORDINGS / f"{name}.json").read_text("utf-8"))
    return data


class UnpluggedError(OSError):
    """What hidapi / libusb raise when the device goes away mid-exchange."""


@dataclass
class RecordedLedger:
    """A ``LedgerTransport`` answering from a recording."""

    exchanges: list[dict[str, str]]
    used: int = 0
    closed: bool = False
    sent: list[bytes] = field(default_factory=list)

    def exchange(self, command: bytes) -> bytes:
        assert self.used < len(self.exchanges), f"unexpected APDU {command.hex()}"
        step = self.exchanges[self.used]
        self.used += 1
        self.sent.append(command)
        assert command.hex() == step["command"], (
            f"APDU {self.used} ({step['section']}) differs:\n"
            f" sent     {command.hex()}\n recorded {step['command']}"
        )
        if step["response"] == "unplugged":
            raise UnpluggedError("hid read error: device disconnected")
        return bytes.fromhex(step["response"])

    def close(self) -> None:
        self.closed = True

    def done(self) -> bool:
        return self.used == len(self.exchanges)


def encode(message: MessageType) -> tuple[str, str]:
    wire_type, payload = DEFAULT_MAPPING.encode(message)
    name = type(message).__name__
    assert DEFAULT_MAPPING.decode(wire_type, payload).__class__.__name__ == name
    return name, payload.hex()


def decode(name: str, hex_payload: str) -> MessageType:
    cls = getattr(messages, name)
    return DEFAULT_MAPPING.decode(cls.MESSAGE_WIRE_TYPE, bytes.fromhex(hex_payload))


@dataclass
class RecordedTrezor:
    """A ``TrezorWire`` answering from a recording (protobuf bytes compared exactly)."""

    exchanges: list[dict[str, Any]]
    used: int = 0
    closed: bool = False

    def call(self, message: MessageType) -> MessageType:
        assert self.used < len(self.exchanges), f"unexpected message {message}"
        step = self.exchanges[self.used]
        self.used += 1
        name, payload = encode(message)
        sent = step["send"]
        assert (name, payload) == (sent["type"], sent["hex"]), (
            f"message {self.used} ({step['section']}) differs:\n"
            f" sent     {name} {payload}\n recorded {sent['type']} {sent['hex']}"
        )
        if step["receive"] == "unplugged":
            raise UnpluggedError("LIBUSB_ERROR_NO_DEVICE")
        return decode(step["receive"]["type"], step["receive"]["hex"])

    def close(self) -> None:
        self.closed = True

    def done(self) -> bool:
        return self.used == len(self.exchanges)


class RecordedBackend(HardwareBackend):
    """A backend whose one device replays ``exchanges`` (each open continues the same script)."""

    def __init__(self, vendor: str, exchanges: list[dict[str, Any]], model: str = "") -> None:
        self.vendor = vendor
        self.wire: RecordedLedger | RecordedTrezor = (
            RecordedLedger(list(exchanges))
            if vendor == "ledger"
            else RecordedTrezor(list(exchanges))
        )
        self.model = model or ("Nano S Plus" if vendor == "ledger" else "")
        self.opens = 0

    def extend(self, exchanges: list[dict[str, Any]]) -> None:
        self.wire.exchanges.extend(exchanges)

    def discover(self) -> list[DeviceDescription]:
        return [DeviceDescription(self.vendor, self.model, "recorded")]

    def open(self, description: DeviceDescription) -> HardwareDevice:
        self.opens += 1
        self.wire.closed = False
        if isinstance(self.wire, RecordedLedger):
            return LedgerEthApp(self.wire, model=self.model)
        return TrezorEth(self.wire)

    def done(self) -> bool:
        return self.wire.done()


class NoDevices(HardwareBackend):
    def discover(self) -> list[DeviceDescription]:
        return []

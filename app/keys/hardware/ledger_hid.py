"""Ledger over USB HID: ethapp.adoc's transport framing, and finding and opening devices."""

from __future__ import annotations

import struct
from collections.abc import Sequence

from app.keys.hardware import errors as hw
from app.keys.hardware.base import DeviceDescription
from app.keys.hardware.ledger import LedgerEthApp
from app.keys.hardware.ledger_apdu import LEDGER_USB_VENDOR, MODELS, VENDOR

CHANNEL = 0x0101
TAG_APDU = 0x05
PACKET = 64


def hid_frames(command: bytes, *, channel: int = CHANNEL, packet: int = PACKET) -> list[bytes]:
    """ethapp.adoc "Transport protocol": channel, tag 0x05, sequence; the first frame carries
    the APDU's length; every frame padded to 64 bytes."""
    payload = struct.pack(">H", len(command)) + command
    frames: list[bytes] = []
    seq = 0
    while payload or not frames:
        header = struct.pack(">HBH", channel, TAG_APDU, seq)
        room = packet - len(header)
        frames.append((header + payload[:room]).ljust(packet, b"\x00"))
        payload = payload[room:]
        seq += 1
    return frames


def unframe(frames: Sequence[bytes], *, channel: int = CHANNEL) -> bytes | None:
    """The response from the frames read so far, or None while more are needed."""
    data = b""
    expected: int | None = None
    for seq, frame in enumerate(frames):
        got_channel, tag, got_seq = struct.unpack(">HBH", frame[:5])
        if got_channel != channel or tag != TAG_APDU or got_seq != seq:
            raise hw.DeviceProtocolError("The Ledger sent a malformed USB frame.")
        body = frame[5:]
        if seq == 0:
            expected = struct.unpack(">H", body[:2])[0]
            body = body[2:]
        data += body
    if expected is None or len(data) < expected:
        return None
    return data[:expected]


class HidLedgerTransport:
    """The Ledger's HID interface through ``hidapi``; every USB failure is a disconnect."""

    def __init__(self, path: bytes, *, timeout_ms: int = 300_000) -> None:
        import hid

        self._timeout_ms = timeout_ms
        try:
            self._device = hid.device()
            self._device.open_path(path)
        except (OSError, ValueError) as exc:
            raise hw.DeviceNotFoundError(
                "govdesk cannot open the Ledger. Close Ledger Live and other wallets that may "
                "hold it, check the USB cable and (on Linux) Ledger's udev rules.",
                detail=str(exc),
            ) from None

    def exchange(self, command: bytes) -> bytes:
        for frame in hid_frames(command):
            if self._device.write(b"\x00" + frame) < 0:
                raise OSError("write failed")
        frames: list[bytes] = []
        while True:
            chunk = bytes(self._device.read(PACKET, self._timeout_ms))
            if not chunk:
                raise TimeoutError("no answer from the Ledger")
            frames.append(chunk)
            response = unframe(frames)
            if response is not None:
                return response

    def close(self) -> None:
        self._device.close()


def enumerate_ledgers() -> list[DeviceDescription]:
    """Ledger devices on USB (their HID interface 0 / usage page 0xffa0)."""
    try:
        import hid
    except ImportError:  # hidapi missing: no Ledger support on this machine
        return []
    found: list[DeviceDescription] = []
    for info in hid.enumerate(LEDGER_USB_VENDOR, 0):
        if info.get("interface_number") not in (0, -1) and info.get("usage_page") != 0xFFA0:
            continue
        model = MODELS.get(int(info.get("product_id", 0)) >> 8, "")
        path = info.get("path", b"")
        found.append(DeviceDescription(VENDOR, model, path.decode("latin-1")))
    return found


def open_ledger(description: DeviceDescription) -> LedgerEthApp:
    transport = HidLedgerTransport(description.path.encode("latin-1"))
    return LedgerEthApp(transport, model=description.model)

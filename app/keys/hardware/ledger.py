"""Ledger's Ethereum app over APDUs: a thin client of LedgerHQ/app-ethereum ``doc/ethapp.adoc``.

Why not a library: ``ledgereth`` pins ``ledgerblue`` 0.1.48 (and its image and crypto deps), and
Ledger's ``ledger-app-clients-ethereum`` is a test client built on ``ragger[speculos]`` that wants
web3 7 (we ship web3 8). The app's protocol is small and documented, so the APDUs are built here
(pure functions, tested byte for byte) and only the USB HID link uses a library (``hidapi``).

The boundary is ``LedgerTransport.exchange(apdu) -> response data ‖ status word``: the HID
transport below in the app, recorded exchanges in tests.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak

from app.keys.hardware import errors as hw
from app.keys.hardware.base import (
    DeviceDescription,
    DeviceState,
    complete_types,
    parse_path,
    typed_data_hashes,
)
from app.keys.transaction_bytes import attach_signature, encode_unsigned

VENDOR = "ledger"
CLA = 0xE0
INS_GET_ADDRESS = 0x02  # GET ETH PUBLIC ADDRESS
INS_SIGN_TX = 0x04  # SIGN ETH TRANSACTION
INS_GET_CONFIG = 0x06  # GET APP CONFIGURATION
INS_SIGN_EIP712 = 0x0C  # SIGN ETH EIP 712
INS_STRUCT_DEF = 0x1A  # EIP712 SEND STRUCT DEFINITION
INS_STRUCT_IMPL = 0x1C  # EIP712 SEND STRUCT IMPLEMENTATION
MAX_CHUNK = 255  # "streamed to the device in 255 bytes maximum data chunks"

SW_OK = 0x9000
SW_DENIED = 0x6985  # conditions of use not satisfied: the person pressed Reject
SW_SECURITY = 0x6982  # "Security status not satisfied (Canceled by user)"; locked on old firmware
SW_INVALID_DATA = 0x6A80  # blind signing disabled, or data the app does not accept
SW_NO_MEMORY = 0x6A84  # the app ran out of RAM holding the EIP-712 definitions
SW_TX_TYPE = 0x6501  # "TransactionType not supported"
SW_INS_UNSUPPORTED = 0x6D00
SW_CLA_UNSUPPORTED = 0x6E00
SW_APP_NOT_OPEN = (0x6E01, 0x6511, 0x6A87)  # the dashboard (or no app) answers these
SW_LOCKED = 0x5515  # the OS answers for every app while the device is locked

FULL_EIP712_SINCE = (1, 9, 19)  # ethapp.adoc version history: EIP712 STRUCT DEFINITION/IMPLEM
HASH_EIP712_SINCE = (1, 5, 0)  # "Add SIGN ETH EIP 712" (v0: domain and message hashes)
EIP1559_SINCE = (1, 9, 0)
FLAG_BLIND_SIGNING = 0x01  # GET APP CONFIGURATION: "arbitrary data signature enabled by user"
MAX_VALUE = 0xFFFF  # EIP712 struct field value: "Value length 2 (BE)"

# The device OS answers this in any app: format 01, name, version, flags (Ledger's BOLOS docs).
GET_APP_AND_VERSION = bytes([0xB0, 0x01, 0x00, 0x00, 0x00])
DASHBOARD_NAMES = ("BOLOS", "OLOS\x00")

# HID product ids (high byte) -> model name.
MODELS = {0x10: "Nano S", 0x40: "Nano X", 0x50: "Nano S Plus", 0x60: "Stax", 0x70: "Flex"}
LEDGER_USB_VENDOR = 0x2C97


class LedgerTransport(Protocol):
    """One APDU out, one response in (data followed by the 2-byte status word)."""

    def exchange(self, apdu: bytes) -> bytes: ...

    def close(self) -> None: ...


def apdu(ins: int, p1: int, p2: int, data: bytes = b"") -> bytes:
    if len(data) > MAX_CHUNK:
        raise ValueError("APDU data longer than 255 bytes")
    return bytes([CLA, ins, p1, p2, len(data)]) + data


def path_bytes(path: str) -> bytes:
    indices = parse_path(path)
    return bytes([len(indices)]) + b"".join(struct.pack(">I", i) for i in indices)


# --- GET ETH PUBLIC ADDRESS -------------------------------------------------------------------


def get_address_apdu(path: str, *, show: bool) -> bytes:
    return apdu(INS_GET_ADDRESS, 0x01 if show else 0x00, 0x00, path_bytes(path))


def parse_address_response(data: bytes) -> str:
    """Public key length, uncompressed key, address length, ASCII hex address (ethapp.adoc)."""
    try:
        key_len = data[0]
        pubkey = data[1 : 1 + key_len]
        addr_len = data[1 + key_len]
        ascii_address = data[2 + key_len : 2 + key_len + addr_len].decode("ascii")
    except (IndexError, UnicodeDecodeError):
        raise hw.DeviceProtocolError("The Ledger sent a malformed address.") from None
    if key_len != 65 or pubkey[:1] != b"\x04" or len(ascii_address) != 40:
        raise hw.DeviceProtocolError("The Ledger sent a malformed address.")
    derived = "0x" + keccak(pubkey[1:])[-20:].hex()
    if derived != "0x" + ascii_address.lower():
        raise hw.DeviceProtocolError("The Ledger's address does not match its public key.")
    return str(to_checksum_address(derived))


# --- SIGN ETH TRANSACTION ---------------------------------------------------------------------


def chunked(first_prefix: bytes, payload: bytes) -> list[bytes]:
    """``first_prefix ‖ payload`` cut into ≤255-byte APDU bodies."""
    body = first_prefix + payload
    return [body[i : i + MAX_CHUNK] for i in range(0, len(body), MAX_CHUNK)] or [b""]


def sign_transaction_apdus(path: str, unsigned: bytes) -> list[bytes]:
    """The RLP (``0x02 ‖ rlp([...])`` for EIP-1559) streamed in 255-byte blocks."""
    bodies = chunked(path_bytes(path), unsigned)
    return [apdu(INS_SIGN_TX, 0x00 if n == 0 else 0x80, 0x00, b) for n, b in enumerate(bodies)]


def parse_signature(data: bytes, *, typed_tx: bool = False) -> bytes:
    """``v ‖ r ‖ s`` from the device as ``r ‖ s ‖ v`` (v = 27/28 for messages, parity for txs)."""
    if len(data) != 65:
        raise hw.DeviceProtocolError("The Ledger sent a signature of the wrong length.")
    v, rs = data[0], data[1:]
    parity = v - 27 if v >= 27 else v
    if parity not in (0, 1):
        raise hw.DeviceProtocolError("The Ledger sent an invalid signature.")
    return rs + bytes([parity if typed_tx else 27 + parity])


# --- EIP-712 ----------------------------------------------------------------------------------

_TYPE = re.compile(r"^([A-Za-z_$][A-Za-z0-9_$]*)((?:\[\d*\])*)$")
_TYPE_CODES = {"int": 1, "uint": 2, "address": 3, "bool": 4, "string": 5}


def _split_type(type_name: str) -> tuple[str, list[int | None]]:
    match = _TYPE.match(type_name)
    if not match:
        raise hw.DeviceProtocolError(
            f"The typed data uses a type the Ledger cannot take: {type_name}."
        )
    levels = [None if lv == "" else int(lv) for lv in re.findall(r"\[(\d*)\]", match.group(2))]
    return match.group(1), levels


def _short(text: str, what: str) -> bytes:
    raw = text.encode("utf-8")
    if len(raw) > MAX_CHUNK:
        raise hw.too_large(VENDOR, f"the {what} {text[:20]!r}… is {len(raw)} bytes", "255")
    return raw


def field_definition(type_name: str, key: str, types: dict[str, Any]) -> bytes:
    """One field for EIP712 SEND STRUCT DEFINITION: TypeDesc, [name], [size], [arrays], key."""
    base, levels = _split_type(type_name)
    out = bytearray()
    size: int | None = None
    custom = b""
    if base in types:
        code = 0
        custom = _short(base, "type name")
    elif sized := re.fullmatch(r"(u?int)(\d*)", base):
        code, size = _TYPE_CODES[sized.group(1)], int(sized.group(2) or 256) // 8
    elif base.startswith("bytes") and base != "bytes":
        code, size = 6, int(base.removeprefix("bytes"))
    elif base == "bytes":
        code = 7
    elif base in _TYPE_CODES:
        code = _TYPE_CODES[base]
    else:
        raise hw.DeviceProtocolError(f"The typed data uses an unknown type: {type_name}.")
    out.append((0x80 if levels else 0) | (0x40 if size is not None else 0) | code)
    if custom:
        out += bytes([len(custom)]) + custom
    if size is not None:
        out.append(size)
    if levels:
        out.append(len(levels))
        for level in levels:
            out += b"\x00" if level is None else bytes([1, level])
    name = _short(key, "field name")
    out += bytes([len(name)]) + name
    return bytes(out)


def struct_definition_apdus(types: dict[str, list[dict[str, str]]]) -> list[bytes]:
    """Every struct's name (P2=00) then its fields (P2=FF), in the order ``types`` lists them."""
    out: list[bytes] = []
    for name, fields in types.items():
        out.append(apdu(INS_STRUCT_DEF, 0x00, 0x00, _short(name, "type name")))
        for f in fields:
            out.append(
                apdu(INS_STRUCT_DEF, 0x00, 0xFF, field_definition(f["type"], f["name"], types))
            )
    return out


def _int_value(value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    text = str(value)
    return int(text, 16) if text.lower().startswith(("0x", "-0x")) else int(text)


def _hex_bytes(value: Any) -> bytes:
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    return bytes.fromhex(str(value).removeprefix("0x"))


def encode_value(type_name: str, value: Any) -> bytes:
    """A field's raw value (ethapp.adoc: "128" is one byte 0x80, an address its 20 bytes)."""
    if type_name == "string":
        return str(value).encode("utf-8")
    if type_name == "bool":
        return b"\x01" if value in (True, "true", 1) else b"\x00"
    if type_name == "address":
        return _hex_bytes(value)
    if type_name.startswith("bytes"):
        return _hex_bytes(value)
    number = _int_value(value)
    if type_name.startswith("int"):
        # Signed: full width, two's complement, so the device's sign extension cannot turn a
        # positive value with its top bit set (200 as one byte 0xC8) negative.
        size = int(type_name.removeprefix("int") or 256) // 8
        return number.to_bytes(size, "big", signed=True)
    return number.to_bytes(max(1, (number.bit_length() + 7) // 8), "big")


def _field_value_apdus(raw: bytes, key: str) -> list[bytes]:
    if len(raw) > MAX_VALUE:
        raise hw.too_large(VENDOR, f"the field {key!r} is {len(raw)} bytes", f"{MAX_VALUE} bytes")
    body = struct.pack(">H", len(raw)) + raw
    pieces = [body[i : i + MAX_CHUNK] for i in range(0, len(body), MAX_CHUNK)]
    return [
        apdu(INS_STRUCT_IMPL, 0x01 if n < len(pieces) - 1 else 0x00, 0xFF, piece)
        for n, piece in enumerate(pieces)
    ]


def _value_apdus(type_name: str, value: Any, key: str, types: dict[str, Any]) -> Iterator[bytes]:
    base, levels = _split_type(type_name)
    if levels:
        if not isinstance(value, list):
            raise hw.DeviceProtocolError(f"The field {key!r} should be a list.")
        if len(value) > 255:
            raise hw.too_large(VENDOR, f"the list {key!r} has {len(value)} items", "255 items")
        yield apdu(INS_STRUCT_IMPL, 0x00, 0x0F, bytes([len(value)]))
        inner = type_name[: type_name.rindex("[")]
        for item in value:
            yield from _value_apdus(inner, item, key, types)
    elif base in types:
        if not isinstance(value, dict):
            raise hw.DeviceProtocolError(f"The field {key!r} should be a {base}.")
        for f in types[base]:
            yield from _value_apdus(f["type"], value.get(f["name"]), f["name"], types)
    else:
        if value is None:
            raise hw.DeviceProtocolError(f"The typed data has no value for {key!r}.")
        yield from _field_value_apdus(encode_value(base, value), key)


def struct_implementation_apdus(typed_data: dict[str, Any]) -> list[bytes]:
    """The domain then the message, each as a root struct (P2=00) followed by its field values."""
    types = complete_types(typed_data)
    out: list[bytes] = []
    for root, value in (
        ("EIP712Domain", typed_data["domain"]),
        (typed_data["primaryType"], typed_data["message"]),
    ):
        out.append(apdu(INS_STRUCT_IMPL, 0x00, 0x00, _short(root, "type name")))
        for f in types[root]:
            out.extend(_value_apdus(f["type"], value.get(f["name"]), f["name"], types))
    return out


def sign_eip712_full_apdus(path: str, typed_data: dict[str, Any]) -> list[bytes]:
    types = complete_types(typed_data)
    return [
        *struct_definition_apdus(types),
        *struct_implementation_apdus(typed_data),
        apdu(INS_SIGN_EIP712, 0x00, 0x01, path_bytes(path)),
    ]


def sign_eip712_hashes_apdu(path: str, typed_data: dict[str, Any]) -> bytes:
    hashes = typed_data_hashes(typed_data)
    return apdu(
        INS_SIGN_EIP712, 0x00, 0x00, path_bytes(path) + hashes.domain_hash + hashes.message_hash
    )


# --- the client -------------------------------------------------------------------------------


def _version_text(version: tuple[int, int, int]) -> str:
    return ".".join(str(v) for v in version)


class LedgerEthApp:
    """A Ledger with (it is hoped) the Ethereum app open; a ``HardwareDevice``."""

    vendor = VENDOR

    def __init__(self, transport: LedgerTransport, *, model: str = "") -> None:
        self._transport = transport
        self.model = model
        self._state: DeviceState | None = None

    def close(self) -> None:
        self._transport.close()

    def _exchange(self, command: bytes, *, confirming: bool = False) -> bytes:
        try:
            response = self._transport.exchange(command)
        except hw.HardwareError:
            raise
        except (OSError, EOFError, TimeoutError) as exc:
            raise hw.disconnected(VENDOR, str(exc)) from None
        if len(response) < 2:
            raise hw.disconnected(VENDOR, "empty answer")
        sw = int.from_bytes(response[-2:], "big")
        if sw != SW_OK:
            raise self._status_error(sw, command[1], confirming=confirming)
        return response[:-2]

    def _status_error(self, sw: int, ins: int, *, confirming: bool) -> hw.HardwareError:
        if sw == SW_LOCKED or (sw == SW_SECURITY and not confirming):
            return hw.locked(VENDOR)
        if sw in (SW_DENIED, SW_SECURITY):
            return hw.rejected(VENDOR)
        if sw in (SW_CLA_UNSUPPORTED, *SW_APP_NOT_OPEN) or (
            sw == SW_INS_UNSUPPORTED and ins == INS_GET_CONFIG
        ):
            return hw.WrongAppError(
                "Your Ledger does not have the Ethereum app open. Open the Ethereum app on the "
                "device (install it with Ledger Live if it is missing), then try again.",
                detail=f"status 0x{sw:04x}",
            )
        if sw in (SW_INS_UNSUPPORTED, SW_TX_TYPE):
            return hw.FirmwareTooOldError(
                "Your Ledger's Ethereum app is too old for this. Update it in Ledger Live "
                "(My Ledger), then try again.",
                detail=f"status 0x{sw:04x} for instruction 0x{ins:02x}",
            )
        if sw == SW_NO_MEMORY:
            return hw.too_large(VENDOR, "its definitions do not fit in the app's memory", "less")
        if (
            sw == SW_INVALID_DATA
            and ins in (INS_SIGN_TX, INS_SIGN_EIP712)
            and (self._state is not None and self._state.blind_signing is False)
        ):
            return _blind_signing_error(self._state, ins)
        return hw.DeviceProtocolError(
            "The Ledger's Ethereum app refused the request.", detail=f"status 0x{sw:04x}"
        )

    def open_app(self) -> str | None:
        """The name of the app the Ledger shows (its OS's GET APP AND VERSION, B0 01), or None."""
        try:
            response = self._transport.exchange(GET_APP_AND_VERSION)
        except (OSError, EOFError, TimeoutError, hw.HardwareError):
            return None
        data, sw = response[:-2], response[-2:]
        if sw != b"\x90\x00" or len(data) < 2 or data[0] != 0x01:
            return None
        return data[2 : 2 + data[1]].decode("ascii", "replace")

    def state(self) -> DeviceState:
        try:
            data = self._exchange(apdu(INS_GET_CONFIG, 0x00, 0x00))
        except hw.WrongAppError as exc:
            name = self.open_app()
            if name is None or name == "Ethereum":
                raise
            shown = "its dashboard" if name in DASHBOARD_NAMES else f"the {name} app open"
            raise hw.WrongAppError(
                f"Your Ledger shows {shown}. Open the Ethereum app on the device (install it "
                "with Ledger Live if it is missing), then try again.",
                detail=exc.detail,
            ) from None
        if len(data) < 4:
            raise hw.DeviceProtocolError("The Ledger sent a malformed app configuration.")
        version = (data[1], data[2], data[3])
        self._state = DeviceState(
            model=self.model,
            version=version,
            full_eip712=version >= FULL_EIP712_SINCE,
            hash_eip712=version >= HASH_EIP712_SINCE,
            blind_signing=bool(data[0] & FLAG_BLIND_SIGNING),
        )
        return self._state

    def _current_state(self) -> DeviceState:
        return self._state or self.state()

    def get_address(self, path: str, *, show: bool = False) -> str:
        return parse_address_response(
            self._exchange(get_address_apdu(path, show=show), confirming=show)
        )

    def sign_typed_data(self, path: str, typed_data: dict[str, Any], *, full: bool) -> bytes:
        state = self._current_state()
        if not state.hash_eip712:
            raise hw.FirmwareTooOldError(
                f"Your Ledger's Ethereum app (version {_version_text(state.version)}) cannot "
                "sign EIP-712 messages. Update it in Ledger Live (My Ledger), then try again."
            )
        if full:
            commands = sign_eip712_full_apdus(path, typed_data)
        else:
            if state.blind_signing is False:
                raise _blind_signing_error(state, INS_SIGN_EIP712)
            commands = [sign_eip712_hashes_apdu(path, typed_data)]
        data = b""
        for command in commands:
            data = self._exchange(command, confirming=command[1] == INS_SIGN_EIP712)
        return parse_signature(data)

    def sign_transaction(self, path: str, transaction: dict[str, Any]) -> bytes:
        state = self._current_state()
        if state.version < EIP1559_SINCE:
            raise hw.FirmwareTooOldError(
                f"Your Ledger's Ethereum app (version {_version_text(state.version)}) cannot sign "
                "EIP-1559 transactions. Update it in Ledger Live (My Ledger), then try again."
            )
        if transaction.get("data") not in (None, "", "0x") and state.blind_signing is False:
            raise _blind_signing_error(state, INS_SIGN_TX)
        unsigned = encode_unsigned(transaction)
        data = b""
        for command in sign_transaction_apdus(path, unsigned):
            data = self._exchange(command, confirming=True)
        return attach_signature(unsigned, parse_signature(data, typed_tx=True))


def _blind_signing_error(state: DeviceState, ins: int) -> hw.BlindSigningDisabledError:
    if ins == INS_SIGN_TX:
        why = "This transaction calls a contract, which the Ledger can only sign blind"
    elif not state.full_eip712:
        why = (
            f"Your Ledger's Ethereum app (version {_version_text(state.version)}) is too old to "
            "show this message in full, so it signs its hashes, which needs blind signing"
        )
    else:
        why = "The Ledger signs this message by its hashes, which needs blind signing"
    return hw.BlindSigningDisabledError(
        f"{why}. On the device open the Ethereum app, go to Settings and enable Blind signing "
        "(or update the app in Ledger Live to sign in full), then try again. Compare the hashes "
        "on the device with the ones govdesk shows."
    )


# --- USB HID ----------------------------------------------------------------------------------

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

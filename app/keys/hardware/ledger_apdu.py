"""Ledger's Ethereum app, the commands: APDUs built and answers parsed (pure, byte for byte).

From LedgerHQ/app-ethereum ``doc/ethapp.adoc``; EIP-712 is in ``ledger_eip712``, the client in
``ledger``, the USB link in ``ledger_hid``.
"""

from __future__ import annotations

import struct
from typing import Protocol

from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak

from app.keys.hardware import errors as hw
from app.keys.hardware.base import (
    parse_path,
)

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

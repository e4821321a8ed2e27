"""Ledger's Ethereum app over APDUs: a thin client of LedgerHQ/app-ethereum ``doc/ethapp.adoc``.

Why not a library: ``ledgereth`` pins ``ledgerblue`` 0.1.48 (and its image and crypto deps), and
Ledger's ``ledger-app-clients-ethereum`` is a test client built on ``ragger[speculos]`` that wants
web3 7 (we ship web3 8). The app's protocol is small and documented, so the APDUs are built here
(pure functions, tested byte for byte) and only the USB HID link uses a library (``hidapi``).

The boundary is ``LedgerTransport.exchange(apdu) -> response data ‖ status word``: the HID
transport (``ledger_hid``) in the app, recorded exchanges in tests. This module is the client
(``LedgerEthApp``); the commands are built in ``ledger_apdu`` and ``ledger_eip712``.
"""

from __future__ import annotations

from typing import Any

from app.keys.hardware import errors as hw
from app.keys.hardware.base import (
    DeviceState,
)
from app.keys.hardware.ledger_apdu import (
    DASHBOARD_NAMES,
    EIP1559_SINCE,
    FLAG_BLIND_SIGNING,
    FULL_EIP712_SINCE,
    GET_APP_AND_VERSION,
    HASH_EIP712_SINCE,
    INS_GET_CONFIG,
    INS_SIGN_EIP712,
    INS_SIGN_TX,
    SW_APP_NOT_OPEN,
    SW_CLA_UNSUPPORTED,
    SW_DENIED,
    SW_INS_UNSUPPORTED,
    SW_INVALID_DATA,
    SW_LOCKED,
    SW_NO_MEMORY,
    SW_OK,
    SW_SECURITY,
    SW_TX_TYPE,
    VENDOR,
    LedgerTransport,
    apdu,
    get_address_apdu,
    parse_address_response,
    parse_signature,
    sign_transaction_apdus,
)
from app.keys.hardware.ledger_eip712 import sign_eip712_full_apdus, sign_eip712_hashes_apdu
from app.keys.transaction_bytes import attach_signature, encode_unsigned


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

"""Trezor's Ethereum support over its protobuf messages (trezor-firmware ``common/protob``
``messages-ethereum.proto`` and ``messages-ethereum-eip712.proto``), through ``trezorlib``.

trezorlib gives the message classes and the USB link (WebUSB / HID, protocol v1 or THP). The
request loops (struct and value requests of EIP-712, data requests of a transaction) run here
over the boundary ``TrezorWire.call(message) -> message`` — one raw round trip, so tests replay
recorded messages and check each one we send, field for field and byte for byte.
"""

from __future__ import annotations

from typing import Any, Protocol

from eth_utils.address import to_checksum_address
from trezorlib import messages as m
from trezorlib.ethereum import encode_data, get_field_type, typeof_array
from trezorlib.protobuf import MessageType

from app.keys.hardware import errors as hw
from app.keys.hardware.base import (
    DeviceDescription,
    DeviceState,
    complete_types,
    parse_path,
    typed_data_hashes,
)
from app.keys.transaction_bytes import attach_signature, encode_unsigned
from app.keys.transaction_fields import normalize_transaction

VENDOR = "trezor"
MAX_LEAF_BYTES = 1024  # EthereumTypedDataValueAck.value max_size (messages-ethereum.options)
MAX_BUTTON_ROUNDS = 200
FULL_EIP712_SINCE_CORE = (2, 4, 3)  # Model T / Safe: EthereumSignTypedData
HASH_EIP712_SINCE_ONE = (1, 10, 5)  # Model One: EthereumSignTypedHash only
EIP1559_SINCE = {"1": (1, 10, 4), "core": (2, 4, 2)}
MODEL_NAMES = {"1": "Model One", "T": "Model T"}


class TrezorWire(Protocol):
    """Write one message, read the device's next message (no callbacks, no error mapping)."""

    def call(self, message: MessageType) -> MessageType: ...

    def close(self) -> None: ...


def _big_endian(value: int) -> bytes:
    return value.to_bytes((value.bit_length() + 7) // 8, "big")


def _failure(failure: m.Failure, *, model: str) -> hw.HardwareError:
    code, text = failure.code, failure.message or ""
    if code == m.FailureType.ActionCancelled:
        return hw.rejected(VENDOR)
    if code in (m.FailureType.PinCancelled, m.FailureType.PinExpected, m.FailureType.PinInvalid):
        return _locked(model)
    if code == m.FailureType.UnexpectedMessage:
        return hw.FirmwareTooOldError(
            "Your Trezor's firmware does not know this request. Update it in Trezor Suite, "
            "then try again.",
            detail=text,
        )
    if code == m.FailureType.NotInitialized:
        return hw.HardwareError("This Trezor is not set up yet: set it up in Trezor Suite first.")
    if code == m.FailureType.Busy:
        return hw.HardwareError(
            "Your Trezor is busy with another app. Close Trezor Suite or the other wallet, "
            "then try again."
        )
    if code == m.FailureType.DataError and "too" in text.lower():
        return hw.too_large(VENDOR, text, f"at most {MAX_LEAF_BYTES} bytes per field")
    return hw.DeviceProtocolError("Your Trezor refused the request.", detail=f"{code}: {text}")


def _locked(model: str) -> hw.DeviceLockedError:
    if model == "1":
        return hw.DeviceLockedError(
            "Your Trezor Model One is locked, and its PIN is entered on the computer: unlock "
            "it in Trezor Suite (leave it plugged in), close Suite, then try again."
        )
    return hw.locked(VENDOR)


class TrezorEth:
    """An opened Trezor; a ``HardwareDevice``."""

    vendor = VENDOR

    def __init__(self, wire: TrezorWire) -> None:
        self._wire = wire
        self._features: m.Features | None = None
        self._model = ""

    def close(self) -> None:
        self._wire.close()

    def _raw(self, message: MessageType) -> MessageType:
        try:
            return self._wire.call(message)
        except hw.HardwareError:
            raise
        except (OSError, EOFError, TimeoutError) as exc:
            raise hw.disconnected(VENDOR, str(exc)) from None

    def _call(self, message: MessageType) -> MessageType:
        """One request, answering the device's ButtonRequests until its real answer."""
        response = self._raw(message)
        for _ in range(MAX_BUTTON_ROUNDS):
            if isinstance(response, m.ButtonRequest):
                response = self._raw(m.ButtonAck())
            elif isinstance(response, m.PinMatrixRequest):
                self._raw(m.Cancel())  # no PIN matrix on our side; the device stays locked
                raise _locked(self._model)
            elif isinstance(response, m.PassphraseRequest):
                response = self._raw(m.PassphraseAck(on_device=True))
            elif isinstance(response, m.Failure):
                raise _failure(response, model=self._model)
            else:
                return response
        raise hw.DeviceProtocolError("Your Trezor kept asking for button presses.")

    def _expect(self, message: MessageType, kind: type[Any]) -> Any:
        response = self._call(message)
        if not isinstance(response, kind):
            raise hw.DeviceProtocolError(
                "Your Trezor answered with an unexpected message.",
                detail=f"{type(response).__name__}, expected {kind.__name__}",
            )
        return response

    def features(self) -> m.Features:
        if self._features is None:
            self._features = self._expect(m.GetFeatures(), m.Features)
            self._model = str(self._features.model or "")
        return self._features

    def state(self) -> DeviceState:
        f = self.features()
        version = (f.major_version, f.minor_version, f.patch_version)
        one = self._model == "1"
        if f.initialized is False:
            raise hw.HardwareError(
                "This Trezor is not set up yet: set it up in Trezor Suite first."
            )
        if one and f.unlocked is False:
            raise _locked(self._model)
        return DeviceState(
            model=MODEL_NAMES.get(self._model, self._model),
            version=version,
            full_eip712=not one and version >= FULL_EIP712_SINCE_CORE,
            hash_eip712=version >= HASH_EIP712_SINCE_ONE
            if one
            else version >= FULL_EIP712_SINCE_CORE,
            blind_signing=None,
        )

    def get_address(self, path: str, *, show: bool = False) -> str:
        request = m.EthereumGetAddress(address_n=parse_path(path), show_display=show)
        answer = self._expect(request, m.EthereumAddress)
        if not answer.address:
            raise hw.DeviceProtocolError("Your Trezor sent no address.")
        return str(to_checksum_address(answer.address))

    def sign_typed_data(self, path: str, typed_data: dict[str, Any], *, full: bool) -> bytes:
        state = self.state()
        if not state.hash_eip712:
            raise hw.FirmwareTooOldError(
                f"Your Trezor's firmware ({'.'.join(map(str, state.version))}) cannot sign "
                "EIP-712 messages. Update it in Trezor Suite, then try again."
            )
        if not full:
            hashes = typed_data_hashes(typed_data)
            request = m.EthereumSignTypedHash(
                address_n=parse_path(path),
                domain_separator_hash=hashes.domain_hash,
                message_hash=hashes.message_hash,
            )
            return bytes(self._expect(request, m.EthereumTypedDataSignature).signature)
        _check_leaves(typed_data)
        return self._sign_typed_full(path, typed_data)

    def _sign_typed_full(self, path: str, typed_data: dict[str, Any]) -> bytes:
        types = complete_types(typed_data)
        response = self._call(
            m.EthereumSignTypedData(
                address_n=parse_path(path),
                primary_type=typed_data["primaryType"],
                metamask_v4_compat=True,
            )
        )
        while isinstance(response, m.EthereumTypedDataStructRequest):
            if response.name not in types:
                raise hw.DeviceProtocolError(
                    f"Your Trezor asked for an unknown type {response.name}."
                )
            members = [
                m.EthereumStructMember(type=get_field_type(f["type"], types), name=f["name"])
                for f in types[response.name]
            ]
            response = self._call(m.EthereumTypedDataStructAck(members=members))
        while isinstance(response, m.EthereumTypedDataValueRequest):
            value = _value_at(typed_data, types, list(response.member_path))
            response = self._call(m.EthereumTypedDataValueAck(value=value))
        if not isinstance(response, m.EthereumTypedDataSignature):
            raise hw.DeviceProtocolError(
                "Your Trezor answered with an unexpected message.", detail=type(response).__name__
            )
        return bytes(response.signature)

    def sign_transaction(self, path: str, transaction: dict[str, Any]) -> bytes:
        f = self.features()
        version = (f.major_version, f.minor_version, f.patch_version)
        if version < EIP1559_SINCE["1" if self._model == "1" else "core"]:
            raise hw.FirmwareTooOldError(
                f"Your Trezor's firmware ({'.'.join(map(str, version))}) cannot sign EIP-1559 "
                "transactions. Update it in Trezor Suite, then try again."
            )
        tx = normalize_transaction(transaction)
        data = bytes.fromhex(tx["data"][2:])
        request = m.EthereumSignTxEIP1559(
            address_n=parse_path(path),
            nonce=_big_endian(tx["nonce"]),
            max_gas_fee=_big_endian(tx["maxFeePerGas"]),
            max_priority_fee=_big_endian(tx["maxPriorityFeePerGas"]),
            gas_limit=_big_endian(tx["gas"]),
            to=tx.get("to") or "",
            value=_big_endian(tx["value"]),
            data_initial_chunk=data[:1024],
            data_length=len(data),
            chain_id=tx["chainId"],
            access_list=[],
        )
        rest = data[1024:]
        response = self._expect(request, m.EthereumTxRequest)
        while response.data_length:
            chunk, rest = rest[: response.data_length], rest[response.data_length :]
            response = self._expect(m.EthereumTxAck(data_chunk=chunk), m.EthereumTxRequest)
        if response.signature_v is None or not response.signature_r or not response.signature_s:
            raise hw.DeviceProtocolError("Your Trezor sent no signature.")
        signature = (
            bytes(response.signature_r).rjust(32, b"\x00")
            + bytes(response.signature_s).rjust(32, b"\x00")
            + bytes([response.signature_v % 27])
        )
        return attach_signature(encode_unsigned(tx), signature)


def _value_at(typed_data: dict[str, Any], types: dict[str, Any], path: list[int]) -> bytes:
    """The bytes for an EthereumTypedDataValueRequest's ``member_path`` (0 domain, 1 message)."""
    if not path or path[0] not in (0, 1):
        raise hw.DeviceProtocolError("Your Trezor asked for a value outside the message.")
    type_name = "EIP712Domain" if path[0] == 0 else typed_data["primaryType"]
    value: Any = typed_data["domain"] if path[0] == 0 else typed_data["message"]
    try:
        for index in path[1:]:
            if isinstance(value, dict):
                member = types[type_name][index]
                type_name, value = member["type"], value[member["name"]]
            elif isinstance(value, list):
                type_name, value = typeof_array(type_name), value[index]
            else:
                raise IndexError(index)
    except (IndexError, KeyError):
        raise hw.DeviceProtocolError(
            "Your Trezor asked for a value the message does not have."
        ) from None
    if isinstance(value, list):
        return len(value).to_bytes(2, "big")
    return encode_data(value, type_name)


def _leaves(type_name: str, value: Any, types: dict[str, Any], key: str) -> list[tuple[str, bytes]]:
    if type_name.endswith("]"):
        inner = typeof_array(type_name)
        return [leaf for item in (value or []) for leaf in _leaves(inner, item, types, key)]
    if type_name in types:
        return [
            leaf
            for f in types[type_name]
            for leaf in _leaves(f["type"], (value or {}).get(f["name"]), types, f["name"])
        ]
    return [(key, encode_data(value, type_name))]


def _check_leaves(typed_data: dict[str, Any]) -> None:
    """Refuse, before anything is sent, a field longer than one EthereumTypedDataValueAck."""
    types = complete_types(typed_data)
    for root, value in (
        ("EIP712Domain", typed_data["domain"]),
        (typed_data["primaryType"], typed_data["message"]),
    ):
        for key, raw in _leaves(root, value, types, root):
            if len(raw) > MAX_LEAF_BYTES:
                raise hw.too_large(
                    VENDOR,
                    f"the field {key!r} is {len(raw)} bytes",
                    f"at most {MAX_LEAF_BYTES} bytes per field",
                )


# --- the USB side (trezorlib's transports and client) ----------------------------------------


class TrezorlibWire:
    """A ``TrezorWire`` over a trezorlib session on a real device."""

    def __init__(self, path: str) -> None:
        from trezorlib.client import AppManifest, PassphraseSetting, get_client
        from trezorlib.exceptions import OutdatedFirmwareError, TrezorException
        from trezorlib.transport import get_transport

        try:
            transport = get_transport(path, prefix_search=True)
            self._client = get_client(AppManifest(app_name="govdesk"), transport)
            self._client.__enter__()
            _pair(self._client)
            self._session = self._client.get_session(passphrase=PassphraseSetting.AUTO)
        except OutdatedFirmwareError:
            raise hw.FirmwareTooOldError(
                "Your Trezor's firmware is older than trezorlib supports. Update it in Trezor "
                "Suite, then try again."
            ) from None
        except (TrezorException, OSError) as exc:
            raise hw.DeviceNotFoundError(
                "govdesk cannot open the Trezor. Close Trezor Suite and other wallets that may "
                "hold it, check the cable and (on Linux) Trezor's udev rules.",
                detail=str(exc),
            ) from None

    def call(self, message: MessageType) -> MessageType:
        from trezorlib.exceptions import TrezorException

        try:
            answer: MessageType = self._session.call_raw(message)
            return answer
        except (TrezorException, OSError) as exc:  # trezorlib wraps USB errors in these
            raise hw.disconnected(VENDOR, str(exc)) from None

    def close(self) -> None:
        self._client.__exit__(None, None, None)


def _pair(client: Any) -> None:
    """Trezor Host Protocol devices (Safe 7) pair with the host first. Without a pairing code
    screen here, only pairing the device allows to skip works; otherwise say so plainly."""
    from trezorlib.thp.pairing import default_pairing_flow

    if client.pairing.is_paired():
        return
    try:
        default_pairing_flow(client.pairing, request_credential=False)
    except Exception as exc:  # noqa: BLE001 - any failure here means "not paired"
        raise hw.HardwareError(
            "This Trezor asks to be paired with a code (Trezor Host Protocol), which govdesk "
            "cannot do yet. Use a Trezor that connects without pairing, or sign through an "
            "air-gapped account.",
            detail=str(exc),
        ) from None


def enumerate_trezors() -> list[DeviceDescription]:
    from trezorlib.transport import enumerate_devices

    try:
        devices = enumerate_devices()
    except Exception:  # noqa: BLE001 - no libusb or no bridge: no Trezor reachable
        return []
    return [DeviceDescription(VENDOR, "", d.get_path()) for d in devices]


def open_trezor(description: DeviceDescription) -> TrezorEth:
    return TrezorEth(TrezorlibWire(description.path))

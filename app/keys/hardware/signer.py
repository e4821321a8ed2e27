"""HardwareSigner: the ``Signer`` protocol over a Ledger or a Trezor.

Each signature opens the device, checks that it holds the account (its address at the stored
path), signs, closes it, and checks what came back before returning it: a typed-data signature
must recover to the account (eth-account), a transaction must be the one asked for, signed by the
account. USB I/O runs in a worker thread. Nothing is stored here, so a rejection or an unplugged
cable leaves nothing behind: the caller only ever sees a verified signature or an error.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils.address import to_checksum_address

from app.errors import SigningError
from app.keys.hardware import errors as hw
from app.keys.hardware.base import (
    FINGERPRINT_PATH,
    DeviceDescription,
    DeviceState,
    HardwareDevice,
    fingerprint_of,
    hardware_path,
)
from app.keys.mnemonic import MAX_LISTED, PATH_PRESETS, DerivedAddress
from app.keys.signer_protocol import check_domain_chain, check_transaction_chain
from app.keys.transaction_fields import decode_signed_transaction, normalize_transaction

VENDORS = ("ledger", "trezor")


class HardwareBackend:
    """Finds and opens devices. The default reaches USB; tests give one over recorded exchanges."""

    def discover(self) -> list[DeviceDescription]:
        from app.keys.hardware.ledger_hid import enumerate_ledgers
        from app.keys.hardware.trezor import enumerate_trezors

        return [*enumerate_ledgers(), *enumerate_trezors()]

    def open(self, description: DeviceDescription) -> HardwareDevice:
        if description.vendor == "ledger":
            from app.keys.hardware.ledger_hid import open_ledger

            return open_ledger(description)
        from app.keys.hardware.trezor import open_trezor

        return open_trezor(description)


def _not_found(vendor: str | None) -> hw.DeviceNotFoundError:
    what = hw.vendor_name(vendor) if vendor else "Ledger or Trezor"
    hint = " and open the Ethereum app" if vendor in (None, "ledger") else ""
    return hw.DeviceNotFoundError(
        f"No {what} found. Plug it in, unlock it{hint}, then try again. (On Linux, the "
        "vendor's udev rules must be installed.)"
    )


def find_device(backend: HardwareBackend, vendor: str | None = None) -> DeviceDescription:
    found = [d for d in backend.discover() if vendor is None or d.vendor == vendor]
    if not found:
        raise _not_found(vendor)
    return found[0]


@contextmanager
def opened(backend: HardwareBackend, description: DeviceDescription) -> Iterator[HardwareDevice]:
    device = backend.open(description)
    try:
        yield device
    finally:
        with suppress(OSError):  # closing an unplugged device is not another error
            device.close()


@dataclass(frozen=True)
class DeviceSummary:
    """What the "add a hardware wallet" picker shows about the plugged-in device."""

    description: DeviceDescription
    state: DeviceState
    fingerprint: str


def inspect_device(device: HardwareDevice, description: DeviceDescription) -> DeviceSummary:
    state = device.state()
    fingerprint = fingerprint_of(device.get_address(FINGERPRINT_PATH))
    return DeviceSummary(description, state, fingerprint)


def list_device_addresses(
    device: HardwareDevice, *, template: str = "bip44", start: int = 0, count: int = 5
) -> list[DerivedAddress]:
    """Addresses along a path template (``bip44``, ``ledger-live``, ``ledger-legacy`` or one with
    ``{i}``), for a person to pick from, as for a recovery phrase."""
    if not 1 <= count <= MAX_LISTED:
        raise SigningError(f"Choose between 1 and {MAX_LISTED} addresses to list.")
    fixed = "{i}" not in PATH_PRESETS.get(template, template)
    out: list[DerivedAddress] = []
    for index in range(start, start + (1 if fixed else count)):
        path = hardware_path(template, index)
        out.append(DerivedAddress(index, path, device.get_address(path)))
    return out


class HardwareSigner:
    """Signs as ``address`` with the key at ``path`` on a ``vendor`` device."""

    def __init__(
        self,
        address: str,
        *,
        vendor: str,
        path: str,
        chain_id: int | None,
        backend: HardwareBackend | None = None,
        on_device: Callable[[DeviceState], None] | None = None,
    ) -> None:
        if vendor not in VENDORS:
            raise SigningError(f"Unknown hardware wallet {vendor!r}.")
        self._address = to_checksum_address(address)
        self.vendor = vendor
        self.path = path
        self.chain_id = chain_id
        self._backend = backend or HardwareBackend()
        self._on_device = on_device
        self.last_state: DeviceState | None = None

    def __repr__(self) -> str:
        return f"HardwareSigner({self._address}, {self.vendor}, {self.path})"

    @property
    def address(self) -> str:
        return self._address

    def _with_device(self, work: Callable[[HardwareDevice, DeviceState], Any]) -> Any:
        description = find_device(self._backend, self.vendor)
        with opened(self._backend, description) as device:
            state = device.state()
            self.last_state = state
            held = device.get_address(self.path)
            if held != self._address:
                raise hw.WrongDeviceError(
                    f"This {hw.vendor_name(self.vendor)} does not hold {self._address} (at "
                    f"{self.path} it has {held}). Plug in the device this account was added "
                    "from, or check its passphrase."
                )
            if self._on_device is not None:
                self._on_device(state)
            return work(device, state)

    async def show_address(self) -> str:
        """Show the account's address on the device; returns it once confirmed."""

        def work(device: HardwareDevice, _state: DeviceState) -> str:
            return device.get_address(self.path, show=True)

        shown: str = await asyncio.to_thread(self._with_device, work)
        return shown

    async def sign_typed_data(self, typed_data: dict[str, Any]) -> str:
        check_domain_chain(typed_data, self.chain_id)
        signable = encode_typed_data(full_message=typed_data)

        def work(device: HardwareDevice, state: DeviceState) -> bytes:
            return device.sign_typed_data(self.path, typed_data, full=state.full_eip712)

        signature: bytes = await asyncio.to_thread(self._with_device, work)
        try:
            signer = Account.recover_message(signable, signature=signature)
        except Exception:  # noqa: BLE001 - a malformed signature is the device's fault
            signer = None
        if signer != self._address:
            raise hw.DeviceProtocolError(
                f"The {hw.vendor_name(self.vendor)}'s signature does not recover to "
                f"{self._address}; it was not used."
            )
        return "0x" + signature.hex()

    async def sign_transaction(self, transaction: dict[str, Any]) -> bytes:
        check_transaction_chain(transaction, self.chain_id)
        tx = normalize_transaction(transaction)
        if tx.get("type") != 2:
            raise SigningError(
                "Hardware wallets sign EIP-1559 transactions here; this one has a gas price "
                "instead of a max fee."
            )

        def work(device: HardwareDevice, _state: DeviceState) -> bytes:
            return device.sign_transaction(self.path, tx)

        raw: bytes = await asyncio.to_thread(self._with_device, work)
        try:
            sender, fields = decode_signed_transaction("0x" + raw.hex())
        except Exception:  # noqa: BLE001
            raise hw.DeviceProtocolError("The device's signed transaction is malformed.") from None
        if sender != self._address or any(fields.get(k) != v for k, v in tx.items()):
            raise hw.DeviceProtocolError(
                f"The {hw.vendor_name(self.vendor)} signed a different transaction than the one "
                "asked for; it was not used."
            )
        return raw


# --- what the accounts page and `govdesk account hw` do, in worker threads --------------------


async def scan_device(backend: HardwareBackend, vendor: str | None = None) -> DeviceSummary:
    """The first plugged-in device (of ``vendor``): its model, version and seed fingerprint."""

    def work() -> DeviceSummary:
        description = find_device(backend, vendor)
        with opened(backend, description) as device:
            return inspect_device(device, description)

    return await asyncio.to_thread(work)


async def device_addresses(
    backend: HardwareBackend,
    vendor: str | None,
    *,
    template: str = "bip44",
    start: int = 0,
    count: int = 5,
) -> tuple[DeviceSummary, list[DerivedAddress]]:
    """The device's summary and its addresses along ``template`` (for the address picker)."""

    def work() -> tuple[DeviceSummary, list[DerivedAddress]]:
        description = find_device(backend, vendor)
        with opened(backend, description) as device:
            summary = inspect_device(device, description)
            found = list_device_addresses(device, template=template, start=start, count=count)
            return summary, found

    return await asyncio.to_thread(work)


async def confirm_on_device(
    backend: HardwareBackend, vendor: str | None, path: str, *, show: bool = True
) -> tuple[DeviceSummary, str]:
    """Show the address at ``path`` on the device (the person confirms it there)."""

    def work() -> tuple[DeviceSummary, str]:
        description = find_device(backend, vendor)
        with opened(backend, description) as device:
            summary = inspect_device(device, description)
            return summary, device.get_address(path, show=show)

    return await asyncio.to_thread(work)

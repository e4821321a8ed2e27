"""What goes wrong with a hardware wallet, in plain words, each saying what to do.

    SigningError (app.errors)
    └── HardwareError                 anything a Ledger or Trezor reports, or failing to reach one
        ├── DeviceNotFoundError       no device plugged in (or no permission to open it)
        ├── DeviceLockedError         the device is locked with its PIN
        ├── WrongAppError             (Ledger) the Ethereum app is not the one open
        ├── BlindSigningDisabledError (Ledger) the request needs "Blind signing" switched on
        ├── FirmwareTooOldError       the firmware or app cannot do what is asked
        ├── MessageTooLargeError      the message does not fit what the device accepts
        ├── RejectedOnDeviceError     the person pressed Reject on the device
        ├── DeviceDisconnectedError   unplugged (or the USB link broke) during an exchange
        ├── WrongDeviceError          the device holds another seed than the account's
        └── DeviceProtocolError       the device answered something the protocol does not allow

All of them leave nothing half-done: a signature exists only once the device returned it and it
recovered to the account's address.
"""

from __future__ import annotations

from app.errors import SigningError


class HardwareError(SigningError):
    """A hardware wallet could not sign or answer."""


class DeviceNotFoundError(HardwareError):
    """No Ledger or Trezor is reachable."""


class DeviceLockedError(HardwareError):
    """The device is locked."""


class WrongAppError(HardwareError):
    """The Ledger shows another app than Ethereum (or its dashboard)."""


class BlindSigningDisabledError(HardwareError):
    """The Ledger's Ethereum app refuses hashes or contract data until Blind signing is enabled."""


class FirmwareTooOldError(HardwareError):
    """The firmware or Ethereum app is too old for the request."""


class MessageTooLargeError(HardwareError):
    """The message is larger than the device accepts."""


class RejectedOnDeviceError(HardwareError):
    """The person rejected the request on the device."""


class DeviceDisconnectedError(HardwareError):
    """The device went away (unplugged, USB error, timeout) during an exchange."""


class WrongDeviceError(HardwareError):
    """The plugged-in device does not hold the account's key."""


class DeviceProtocolError(HardwareError):
    """The device's answer breaks the protocol (or an unknown status came back)."""


def vendor_name(vendor: str) -> str:
    return {"ledger": "Ledger", "trezor": "Trezor"}.get(vendor, vendor)


def locked(vendor: str) -> DeviceLockedError:
    name = vendor_name(vendor)
    return DeviceLockedError(
        f"Your {name} is locked. Unlock it with your PIN on the device"
        + (", open the Ethereum app" if vendor == "ledger" else "")
        + ", then try again."
    )


def rejected(vendor: str) -> RejectedOnDeviceError:
    return RejectedOnDeviceError(
        f"You rejected the request on your {vendor_name(vendor)}; nothing was signed or sent."
    )


def disconnected(vendor: str, detail: str | None = None) -> DeviceDisconnectedError:
    return DeviceDisconnectedError(
        f"Your {vendor_name(vendor)} was disconnected before it answered; nothing was signed "
        "or sent. Plug it in again, unlock it and retry.",
        detail=detail,
    )


def too_large(vendor: str, what: str, limit: str) -> MessageTooLargeError:
    return MessageTooLargeError(
        f"This message is too large for your {vendor_name(vendor)}: {what} (the device takes "
        f"{limit}). Shorten it (for a vote, the reason) and sign again; nothing was signed.",
    )

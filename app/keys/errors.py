"""Errors of the keys package: vault, password, keyring and offline-signing failures.

    AppError (app.errors)
    └── KeysError                  anything about keys and accounts
        ├── KeyringUnavailableError no usable OS keyring; nothing is stored in plaintext instead
        ├── WrongPasswordError      the password does not open this account's keystore
        ├── AccountNotFoundError    no account with that address in this data directory
        ├── AccountExistsError      the account is already there
        ├── AccountLockedError      the account must be unlocked first
        ├── WatchOnlyError          the account has no key here (watch-only)
        │   └── OfflineSignatureRequired  carries the SigningRequest to sign offline
        ├── InvalidKeyMaterialError a private key, mnemonic, path or keystore file is not valid
        └── OfflineSigningError     an air-gapped request or response is malformed or does not match

``SigningError`` (app.errors) stays the error for "this must not be signed" (wrong chain and such).
Messages never contain key material: a bad mnemonic is reported without echoing its words.
"""

from __future__ import annotations

from app.errors import AppError


class KeysError(AppError):
    """Root of key, account and custody errors."""


class KeyringUnavailableError(KeysError):
    """No usable OS keyring (Secret Service, Keychain, Credential Manager) was found."""


class WrongPasswordError(KeysError):
    """The password does not decrypt the keystore."""


class AccountNotFoundError(KeysError):
    """No such account."""


class AccountExistsError(KeysError):
    """The account already exists."""


class AccountLockedError(KeysError):
    """The account is locked; unlock it with its password."""


class WatchOnlyError(KeysError):
    """The account is watch-only: this device holds no key for it."""


class InvalidKeyMaterialError(KeysError):
    """A private key, mnemonic, derivation path or keystore file is not valid."""


class OfflineSigningError(KeysError):
    """An air-gapped signing request or response is malformed or does not match."""


class OfflineSignatureRequired(WatchOnlyError):  # noqa: N818 - a request, not a failure
    """A watch-only signer was asked to sign: ``request`` is the file to take to the offline device.

    ``request`` is an ``app.keys.airgap.SigningRequest`` (typed loosely here to avoid an import
    cycle).
    """

    def __init__(self, user_message: str, *, request: object) -> None:
        super().__init__(user_message)
        self.request = request

"""KeyringVault: sealed keys in the OS keyring (Secret Service, macOS Keychain, Windows Credential
Manager) through the ``keyring`` library.

Service name is the app id, username the checksum address, secret the sealed envelope. The backend
is injectable: tests pass an in-memory ``KeyringBackend`` or the real Secret Service. There is no
plaintext fallback: if the chosen backend cannot hold secrets safely, every call raises
``KeyringUnavailableError``. keyring calls block (D-Bus round trips, OS prompts), so they run in a
worker thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

import keyring
import keyring.errors
from eth_utils.address import to_checksum_address
from keyring.backend import KeyringBackend

from app.errors import AppError
from app.keys.errors import AccountNotFoundError, KeyringUnavailableError
from app.keys.vault import SERVICE_NAME

_T = TypeVar("_T")

# Backends that store secrets in files we would call plaintext (or that prompt on a tty).
_REFUSED_MODULE_PREFIXES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")
_UNAVAILABLE_HINT = (
    "No usable system keyring was found, so govdesk cannot store keys safely. "
    "On Linux start a Secret Service provider (GNOME Keyring or KWallet) in your desktop session "
    "and unlock it; on macOS and Windows the system keychain is used. "
    "govdesk never stores keys in plaintext files instead."
)


def _refusal_reason(backend: KeyringBackend, *, chosen_by_keyring: bool) -> str | None:
    module = type(backend).__module__
    if module.startswith(_REFUSED_MODULE_PREFIXES):
        return f"backend {module}.{type(backend).__name__} is not a secure system keyring"
    if not chosen_by_keyring:
        return None  # an injected backend (tests, a settings choice) is the caller's decision
    try:
        priority = float(backend.priority)
    except Exception as exc:  # noqa: BLE001 - backends signal 'not usable here' by raising
        return f"backend {type(backend).__name__} is not usable: {exc}"
    if priority <= 0:
        return f"backend {type(backend).__name__} has priority {priority}"
    return None


class KeyringVault:
    """A KeyVault over one keyring backend (default: the one ``keyring`` selects)."""

    def __init__(
        self, backend: KeyringBackend | None = None, *, service: str = SERVICE_NAME
    ) -> None:
        self._backend = backend
        self._service = service

    def __repr__(self) -> str:
        return f"KeyringVault(service={self._service!r}, backend={type(self._backend).__name__})"

    def _resolve_backend(self) -> KeyringBackend:
        backend = self._backend if self._backend is not None else keyring.get_keyring()
        reason = _refusal_reason(backend, chosen_by_keyring=self._backend is None)
        if reason is not None:
            raise KeyringUnavailableError(_UNAVAILABLE_HINT, detail=reason)
        return backend

    async def _call(self, fn: Callable[[KeyringBackend], _T]) -> _T:
        def run() -> _T:
            try:
                return fn(self._resolve_backend())
            except AppError:
                raise
            except Exception as exc:  # noqa: BLE001 - see below
                # Locked collection, dismissed prompt, a D-Bus socket that vanished (OSError from
                # jeepney), a backend that fails its own checks (RuntimeError): to the person
                # they all mean "no usable keyring", and none of them may surface as a traceback.
                raise KeyringUnavailableError(
                    _UNAVAILABLE_HINT, detail=f"{type(exc).__name__}: {exc}"
                ) from None

        return await asyncio.to_thread(run)

    async def check_available(self) -> None:
        await self._call(lambda b: b.get_password(self._service, "govdesk-probe"))

    async def put(self, address: str, sealed: str) -> None:
        user = to_checksum_address(address)
        await self._call(lambda b: b.set_password(self._service, user, sealed))

    async def get(self, address: str) -> str:
        user = to_checksum_address(address)
        sealed = await self._call(lambda b: b.get_password(self._service, user))
        if sealed is None:
            raise AccountNotFoundError(f"No key for {user} is stored in the system keyring.")
        return sealed

    async def has(self, address: str) -> bool:
        user = to_checksum_address(address)
        return await self._call(lambda b: b.get_password(self._service, user)) is not None

    async def delete(self, address: str) -> None:
        user = to_checksum_address(address)

        def remove(backend: KeyringBackend) -> None:
            try:
                backend.delete_password(self._service, user)
            except keyring.errors.PasswordDeleteError:
                raise AccountNotFoundError(
                    f"No key for {user} is stored in the system keyring."
                ) from None

        await self._call(remove)

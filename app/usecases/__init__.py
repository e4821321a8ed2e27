"""Every user action as one Qt-free, async, typed use case; the CLI and the desktop call these.

``UseCases`` groups them over the composition root's parts (``app.services.Services.actions``):

- ``ideas``: create, edit and delete an idea (``app.usecases.ideas``);
- ``offchain``: publish a temperature or consensus check, vote on Snapshot (``offchain``);
- ``onchain``: vote, delegate, propose, queue, execute, cancel (``onchain``);
- ``accounts``: create, import, back up, remove, balances (``accounts``);
- ``safes``: follow a Safe, open its votes, approve as an owner, send or execute (``safes``);
- ``delegation``: the delegates page, who delegates to me, Snapshot delegation (``delegation``);
- ``simulation``: what a proposal would do, on a local fork, before voting or executing.

Signatures come from a ``SignerSource`` (``app.usecases.signing``) the front end supplies: the
signing dialog in the app, a local key in tests and scripts.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.usecases.accounts import Accounts
    from app.usecases.delegation import Delegation
    from app.usecases.ideas import Ideas
    from app.usecases.offchain import Offchain
    from app.usecases.onchain import Onchain
    from app.usecases.safes import Safes
    from app.usecases.simulation import Simulations

# Loaded on first use: a `govdesk governor` command needs only ``onchain``, not the key store
# that ``accounts`` brings (start-up, issue #13).
_MODULES = {
    "Accounts": "accounts",
    "Delegation": "delegation",
    "Ideas": "ideas",
    "Offchain": "offchain",
    "Onchain": "onchain",
    "Safes": "safes",
    "Simulations": "simulation",
}

__all__ = [
    "Accounts",
    "Delegation",
    "Ideas",
    "Offchain",
    "Onchain",
    "Safes",
    "Simulations",
    "UseCases",
]


@dataclass(frozen=True)
class UseCases:
    ideas: Ideas
    offchain: Offchain
    onchain: Onchain
    accounts: Accounts
    safes: Safes
    delegation: Delegation
    simulation: Simulations


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        value = getattr(importlib.import_module(f"app.usecases.{_MODULES[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'app.usecases' has no attribute {name!r}")

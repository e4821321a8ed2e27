"""Governor errors shown to people.

InputError (app.errors)
├── NotAGovernorError     the address has no code or no governor we recognise
├── TokenNotFoundError    no voting token found (or the one given answers no votes getter)
└── UnknownProposalError  no ProposalCreated event for this id
ActionNotAllowedError (AppError)  the proposal's state or the time forbids it (early execute)
"""

from __future__ import annotations

from app.errors import AppError, InputError


class NotAGovernorError(InputError):
    """The address is not a governor of a known family."""


class UnknownProposalError(InputError):
    """The governor has no such proposal."""


class ActionNotAllowedError(AppError):
    """Refused locally before signing: the proposal is not in a state that allows this."""


class TokenNotFoundError(InputError):
    """The governor's voting token could not be found; the message asks for its address."""

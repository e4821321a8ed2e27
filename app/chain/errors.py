"""Errors raised by ``app.chain``, all under the ``AppError`` tree.

NetworkError (app.errors)
├── ChainMismatchError (app.errors)  endpoint serves another chain
├── EndpointError                    every attempt on every endpoint failed
└── RpcError                         the node answered with a JSON-RPC error object
ContractRevertError (AppError)       a call or transaction reverted; reason decoded
TransactionError (AppError)          a transaction could not be sent or was not mined
"""

from __future__ import annotations

from typing import Any

from app.errors import AppError, NetworkError


class EndpointError(NetworkError):
    """No endpoint answered after retries (connection refused, timeouts, HTTP 5xx)."""


class RpcError(NetworkError):
    """A JSON-RPC error object (code, message, data) returned by a node."""

    def __init__(self, endpoint: str, method: str, code: int, message: str, data: Any) -> None:
        super().__init__(
            f"The RPC endpoint {endpoint} refused {method}: {message}",
            detail=f"code {code}",
        )
        self.endpoint = endpoint
        self.method = method
        self.code = code
        self.rpc_message = message
        self.data = data


class ContractRevertError(AppError):
    """A contract call reverted; ``reason`` is the decoded, human-readable reason."""

    def __init__(self, reason: str, *, revert_data: bytes = b"") -> None:
        super().__init__(f"The contract refused the call: {reason}")
        self.reason = reason
        self.revert_data = revert_data


class TransactionError(AppError):
    """A transaction could not be sent, or no receipt came in time."""

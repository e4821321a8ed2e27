"""Transaction dicts for signing: normalise an unsigned one, decode a signed one back to fields.

Both sides produce the same normalised shape (ints for quantities, checksum ``to``, lower-case
``0x`` data), so the online side can compare a signed transaction with the request field by field.
"""

from __future__ import annotations

from typing import Any

from eth_account import Account
from eth_account.typed_transactions.typed_transaction import TypedTransaction
from eth_utils.address import to_checksum_address
from hexbytes import HexBytes

from app.errors import SigningError
from app.keys.errors import OfflineSigningError

_QUANTITIES = (
    "chainId",
    "nonce",
    "gas",
    "value",
    "gasPrice",
    "maxFeePerGas",
    "maxPriorityFeePerGas",
    "type",
)
_KNOWN = {*_QUANTITIES, "to", "data", "accessList"}


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool):
        raise SigningError(f"Transaction field {name!r} must be a number.")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value, 16) if value.startswith("0x") else int(value)
        except ValueError:
            pass
    raise SigningError(f"Transaction field {name!r} must be a number, not {value!r}.")


def _data_hex(value: Any) -> str:
    if isinstance(value, bytes | bytearray):
        return "0x" + bytes(value).hex()
    if isinstance(value, str) and value.startswith("0x"):
        try:
            bytes.fromhex(value[2:])
        except ValueError:
            pass
        else:
            return value.lower()
    raise SigningError("Transaction 'data' must be 0x-prefixed hex.")


def normalize_transaction(transaction: dict[str, Any]) -> dict[str, Any]:
    """Validated, normalised copy; refuses a transaction without chain id, nonce, gas or fee."""
    unknown = set(transaction) - _KNOWN - {"from"}
    if unknown:
        raise SigningError(f"Unknown transaction fields: {', '.join(sorted(unknown))}.")
    for required in ("chainId", "nonce", "gas"):
        if transaction.get(required) is None:
            raise SigningError(f"Refusing to sign a transaction without {required!r}.")
    if transaction.get("gasPrice") is None and transaction.get("maxFeePerGas") is None:
        raise SigningError(
            "Refusing to sign a transaction without a fee (gasPrice or maxFeePerGas)."
        )
    tx: dict[str, Any] = {
        k: _int(v, k) for k, v in transaction.items() if k in _QUANTITIES and v is not None
    }
    tx.setdefault("value", 0)
    tx["data"] = _data_hex(transaction.get("data", "0x"))
    if transaction.get("to"):
        tx["to"] = to_checksum_address(transaction["to"])
    if "maxFeePerGas" in tx:
        tx["type"] = 2
        tx.setdefault("maxPriorityFeePerGas", 0)
    if transaction.get("accessList"):
        raise SigningError("Transactions with an access list are not supported yet.")
    return tx


def _legacy_fields(raw: bytes) -> dict[str, Any]:
    # Legacy RLP: [nonce, gasPrice, gas, to, value, data, v, r, s]; EIP-155 puts chainId in v.
    import rlp  # type: ignore[import-untyped]

    items = rlp.decode(raw)
    if not isinstance(items, list) or len(items) != 9:
        raise OfflineSigningError("The signed transaction is not a legacy transaction.")
    nonce, gas_price, gas, to, value, data, v = (
        int.from_bytes(items[i], "big") if i not in (3, 5) else items[i] for i in range(7)
    )
    if v < 35:
        raise OfflineSigningError("The signed transaction has no EIP-155 chain id.")
    fields: dict[str, Any] = {
        "chainId": (v - 35) // 2,
        "nonce": nonce,
        "gasPrice": gas_price,
        "gas": gas,
        "value": value,
        "data": "0x" + bytes(data).hex(),
    }
    if to:
        fields["to"] = to_checksum_address(bytes(to))
    return fields


def decode_signed_transaction(raw_hex: str) -> tuple[str, dict[str, Any]]:
    """The sender and the normalised fields of a signed raw transaction."""
    try:
        raw = bytes.fromhex(raw_hex.removeprefix("0x"))
        sender = str(Account.recover_transaction(raw))
        if raw and raw[0] <= 0x7F:
            signed = TypedTransaction.from_bytes(HexBytes(raw)).as_dict()
            fields = {k: v for k, v in signed.items() if k in _KNOWN and k != "accessList"}
            fields["type"] = raw[0]
        else:
            fields = _legacy_fields(raw)
        return sender, normalize_transaction(fields)
    except OfflineSigningError:
        raise
    except Exception as exc:
        raise OfflineSigningError("The signed transaction cannot be decoded.") from exc

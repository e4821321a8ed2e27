"""Unsigned transactions as bytes, the ``sign-data`` of ERC-4527, and signatures put back in.

Two shapes, both what wallets sign (their Keccak-256 is the signing hash):

- EIP-1559 (data type 4): ``0x02 || rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas,
  gas, to, value, data, accessList])``; the answer's ``v`` is the y-parity (0 or 1).
- legacy with EIP-155 (data type 1): ``rlp([nonce, gasPrice, gas, to, value, data, chainId, 0,
  0])``; the answer's ``v`` is ``chainId * 2 + 35 + parity`` (more than one byte on big chain ids).

Fields go in and come out in ``app.keys.transaction_fields``'s normalised form.
"""

from __future__ import annotations

from typing import Any

import rlp  # type: ignore[import-untyped]
from eth_utils.address import to_checksum_address

from app.errors import SigningError
from app.keys.errors import OfflineSigningError
from app.keys.transaction_fields import normalize_transaction

_DYNAMIC_FEE = 2
_TYPED_FIELDS = ("chainId", "nonce", "maxPriorityFeePerGas", "maxFeePerGas", "gas")
_LEGACY_FIELDS = ("nonce", "gasPrice", "gas")


def is_typed(tx: dict[str, Any]) -> bool:
    return tx.get("type") == _DYNAMIC_FEE


def _tail(tx: dict[str, Any]) -> list[Any]:
    to = bytes.fromhex(tx["to"][2:]) if tx.get("to") else b""
    return [to, tx["value"], bytes.fromhex(tx["data"][2:])]


def encode_unsigned(transaction: dict[str, Any]) -> bytes:
    """The unsigned serialisation of a transaction (normalised first)."""
    tx = normalize_transaction(transaction)
    if is_typed(tx):
        items = [tx[name] for name in _TYPED_FIELDS] + _tail(tx) + [[]]
        return bytes([_DYNAMIC_FEE]) + bytes(rlp.encode(items))
    items = [tx[name] for name in _LEGACY_FIELDS] + _tail(tx) + [tx["chainId"], 0, 0]
    return bytes(rlp.encode(items))


def _uint(raw: Any) -> int:
    if not isinstance(raw, bytes) or raw[:1] == b"\x00":
        raise OfflineSigningError("The unsigned transaction has a malformed number.")
    return int.from_bytes(raw, "big")


def _fields(names: tuple[str, ...], items: list[Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {name: _uint(raw) for name, raw in zip(names, items, strict=False)}
    to, value, data = items[len(names) : len(names) + 3]
    if not isinstance(to, bytes) or len(to) not in (0, 20) or not isinstance(data, bytes):
        raise OfflineSigningError("The unsigned transaction has a malformed target or data.")
    fields.update(value=_uint(value), data="0x" + data.hex())
    if to:
        fields["to"] = to_checksum_address(to)
    return fields


def _rlp_list(raw: bytes, length: int) -> list[Any]:
    try:
        items = rlp.decode(raw)
    except rlp.exceptions.DecodingError:
        raise OfflineSigningError("The unsigned transaction is not valid RLP.") from None
    if not isinstance(items, list) or len(items) != length:
        raise OfflineSigningError("The unsigned transaction has the wrong number of fields.")
    return items


def decode_unsigned(raw: bytes, *, typed: bool) -> dict[str, Any]:
    """The normalised fields of an unsigned EIP-1559 (``typed``) or legacy EIP-155 transaction."""
    if typed:
        if raw[:1] != bytes([_DYNAMIC_FEE]):
            raise OfflineSigningError("Only EIP-1559 (type 2) typed transactions are supported.")
        items = _rlp_list(raw[1:], 9)
        if items[8] != []:
            raise OfflineSigningError("Transactions with an access list are not supported yet.")
        fields = _fields(_TYPED_FIELDS, items) | {"type": _DYNAMIC_FEE}
    else:
        items = _rlp_list(raw, 9)
        fields = _fields(_LEGACY_FIELDS, items) | {"chainId": _uint(items[6])}
        if items[7:] != [b"", b""]:
            raise OfflineSigningError("The legacy transaction is not in EIP-155 form.")
    try:
        return normalize_transaction(fields)
    except SigningError as exc:
        raise OfflineSigningError(exc.user_message) from None


def _legacy_v(v: int, chain_id: int) -> int:
    if v in (0, 1, 27, 28):  # a bare parity: EIP-155 folds the chain id into v
        return chain_id * 2 + 35 + v % 27
    return v


def attach_signature(unsigned: bytes, signature: bytes) -> bytes:
    """The raw signed transaction from its unsigned bytes and an ``r || s || v`` signature."""
    if len(signature) < 65:
        raise OfflineSigningError("The signature is shorter than 65 bytes.")
    r, s = signature[:32], signature[32:64]
    v = int.from_bytes(signature[64:], "big")
    rs = [int.from_bytes(r, "big"), int.from_bytes(s, "big")]
    if unsigned[:1] == bytes([_DYNAMIC_FEE]):
        items = _rlp_list(unsigned[1:], 9)
        return bytes([_DYNAMIC_FEE]) + bytes(rlp.encode([*items, v % 27, *rs]))
    items = _rlp_list(unsigned, 9)
    return bytes(rlp.encode([*items[:6], _legacy_v(v, _uint(items[6])), *rs]))


def signature_of(raw_signed: bytes) -> bytes:
    """The ``r || s || v`` of a raw signed transaction, ``v`` as ERC-4527 wallets send it."""
    typed = raw_signed[:1] == bytes([_DYNAMIC_FEE])
    items = _rlp_list(raw_signed[1:] if typed else raw_signed, 12 if typed else 9)
    v, r, s = (int.from_bytes(x, "big") for x in items[-3:])
    v_bytes = v.to_bytes(max(1, (v.bit_length() + 7) // 8), "big")
    return r.to_bytes(32, "big") + s.to_bytes(32, "big") + v_bytes

"""The executor shim: lets a local EVM send each proposal action *from* the timelock.

EVMs refuse a transaction whose sender has code (EIP-3607), and the timelock is a contract. So the
simulator replaces the executor's code, in its local fork only, with this shim and keeps the
original code at a shadow address:

- called by the simulator's own key (``SIMULATOR``): ``CALL(target, value, data)`` from the
  executor's address, then return ``success (32 bytes) ‖ returndata`` — a failing action comes
  back as data, with its revert reason, instead of aborting the run;
- called by anyone else (a contract calling back into the timelock, or the timelock calling
  itself, e.g. Compound's ``setDelay``): ``DELEGATECALL`` the original code, so the executor
  behaves as before with its own storage, balance and ``msg.sender``.

Request layout: ``target (20 bytes) ‖ value (32 bytes) ‖ calldata``.
"""

from __future__ import annotations

from collections.abc import Sequence

from eth_utils.crypto import keccak

# An address nobody holds a key for: derived from a fixed phrase, like EIP-1967's slots.
SIMULATOR = "0x" + keccak(text="govdesk.simulate.sender").hex()[-40:]
VIEWER = "0x" + keccak(text="govdesk.simulate.viewer").hex()[-40:]  # read-only calls come from it
_OPCODES = {
    "STOP": 0x00, "ADD": 0x01, "SUB": 0x03, "EQ": 0x14, "SHR": 0x1C, "CALLER": 0x33,
    "CALLDATALOAD": 0x35, "CALLDATASIZE": 0x36, "CALLDATACOPY": 0x37, "RETURNDATASIZE": 0x3D,
    "RETURNDATACOPY": 0x3E, "MSTORE": 0x52, "JUMPI": 0x57, "GAS": 0x5A, "JUMPDEST": 0x5B,
    "CALL": 0xF1, "RETURN": 0xF3, "DELEGATECALL": 0xF4, "REVERT": 0xFD,
}  # fmt: skip

Op = str | int | bytes  # an opcode name, a PUSH1 constant, or a longer PUSH constant


def shadow_address(executor: str) -> str:
    """Where the executor's original code lives during a simulation."""
    return "0x" + keccak(text=f"govdesk.simulate.code:{executor.lower()}").hex()[-40:]


def shim_code(original_at: str) -> bytes:
    """The runtime code of the shim, delegating every other caller to ``original_at``."""
    delegate_ok = "delegate_ok"
    forward = "forward"
    program: list[Op | tuple[str, str]] = [
        "CALLER", bytes.fromhex(SIMULATOR[2:]), "EQ", ("push", forward), "JUMPI",
        # Anyone else: run the original code in the executor's context.
        "CALLDATASIZE", 0, 0, "CALLDATACOPY",
        0, 0, "CALLDATASIZE", 0, bytes.fromhex(original_at[2:]), "GAS", "DELEGATECALL",
        "RETURNDATASIZE", 0, 0, "RETURNDATACOPY",
        ("push", delegate_ok), "JUMPI",
        "RETURNDATASIZE", 0, "REVERT",
        ("label", delegate_ok), "RETURNDATASIZE", 0, "RETURN",
        # The simulator: one action as the executor.
        ("label", forward),
        52, "CALLDATASIZE", "SUB",
        "DUP1", 52, 0, "CALLDATACOPY",
        0, 0, "DUP3", 0, 20, "CALLDATALOAD", 0, "CALLDATALOAD", 96, "SHR", "GAS", "CALL",
        0, "MSTORE",
        "RETURNDATASIZE", 0, 32, "RETURNDATACOPY",
        "RETURNDATASIZE", 32, "ADD", 0, "RETURN",
    ]  # fmt: skip
    return _assemble(program)


def encode_request(target: str, value: int, calldata: bytes) -> bytes:
    return bytes.fromhex(target.removeprefix("0x")) + value.to_bytes(32, "big") + calldata


def decode_reply(reply: bytes) -> tuple[bool, bytes]:
    """(the action succeeded, its return data or revert data)."""
    return int.from_bytes(reply[:32], "big") == 1, reply[32:]


def _assemble(program: Sequence[Op | tuple[str, str]]) -> bytes:
    labels: dict[str, int] = {}
    size = 0
    for item in program:  # first pass: label offsets (label pushes are PUSH1 + 1 byte)
        if isinstance(item, tuple) and item[0] == "label":
            labels[item[1]] = size
        size += _size(item)
    out = bytearray()
    for item in program:
        if isinstance(item, tuple):
            if item[0] == "label":
                out.append(_OPCODES["JUMPDEST"])
            else:
                out += bytes([0x60, labels[item[1]]])
        elif isinstance(item, int):
            out += bytes([0x60, item])
        elif isinstance(item, bytes):
            out += bytes([0x5F + len(item)]) + item
        elif item == "DUP1" or item == "DUP3":
            out.append(0x80 + int(item[3:]) - 1)
        else:
            out.append(_OPCODES[item])
    return bytes(out)


def _size(item: Op | tuple[str, str]) -> int:
    if isinstance(item, tuple):
        return 1 if item[0] == "label" else 2
    if isinstance(item, int):
        return 2
    if isinstance(item, bytes):
        return 1 + len(item)
    return 1

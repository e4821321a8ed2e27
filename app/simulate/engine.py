"""A local EVM forked from the organisation's own RPC at one block (pyrevm, blocking calls).

``ForkedChain`` is synchronous: every method may fetch accounts and storage over JSON-RPC and
run EVM code, so callers run it in a worker thread (``app.simulate.runner`` does, through
``asyncio.to_thread``). Nothing is ever sent to the network: the fork lives in memory and is
dropped with the object.

What the EVM wrote is read from pyrevm's journal (its ``journal_str``): storage writes with the
value they replaced, and ETH moved between accounts. That text format belongs to the pinned
pyrevm release (see pyproject.toml); ``tests/app/simulate`` fails if it changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from eth_utils.address import to_checksum_address

from app.errors import NetworkError
from app.simulate import forwarder

if TYPE_CHECKING:
    from pyrevm import JournalCheckpoint

CALL_GAS = 30_000_000  # one action may use up to a mainnet block's gas
SPEC = "CANCUN"  # the newest hardfork pyrevm 0.3.7 (revm 8) implements completely
_STORAGE_WRITE = re.compile(
    r"StorageChange \{ address: (0x[0-9a-f]{40}), key: (\d+), had_value: Some\((\d+)\) \}"
)
_ETH_MOVE = re.compile(
    r"BalanceTransfer \{ from: (0x[0-9a-f]{40}), to: (0x[0-9a-f]{40}), balance: (\d+) \}"
)
_SIMULATOR_FUNDS = 10**30  # wei the simulator may attach when the executor lacks ETH


@dataclass(frozen=True)
class BlockContext:
    """The block the fork starts from; actions run as if in the block after it."""

    chain_id: int
    number: int
    timestamp: int
    gas_limit: int
    base_fee: int
    coinbase: str
    prevrandao: bytes
    hash: str = ""


@dataclass(frozen=True)
class RawLog:
    address: str  # EIP-55
    topics: tuple[bytes, ...]
    data: bytes


@dataclass(frozen=True)
class EthMove:
    sender: str
    recipient: str
    wei: int


@dataclass(frozen=True)
class SlotWrite:
    address: str
    slot: int
    before: int


@dataclass(frozen=True)
class RawCall:
    """One action as the EVM ran it."""

    success: bool
    output: bytes  # return data, or revert data when not ``success``
    gas_used: int
    logs: tuple[RawLog, ...]
    eth_moves: tuple[EthMove, ...]
    attached_wei: int  # ETH the executor lacked, sent along as with ``execute{value: …}``


class ForkedChain:
    """A pyrevm fork of ``rpc_url`` at ``block``, with ``executor`` able to send actions."""

    def __init__(self, rpc_url: str, block: BlockContext, executor: str) -> None:
        import pyrevm  # the Rust extension loads only when something is simulated

        self.block = block
        self.executor = to_checksum_address(executor)
        env = pyrevm.Env(
            cfg=pyrevm.CfgEnv(chain_id=block.chain_id),
            block=pyrevm.BlockEnv(
                number=block.number + 1,
                coinbase=block.coinbase,
                timestamp=block.timestamp + 1,
                prevrandao=block.prevrandao,
                basefee=block.base_fee,
                gas_limit=block.gas_limit,
            ),
        )
        try:
            self._evm = pyrevm.EVM(
                env=env, fork_url=rpc_url, fork_block=str(block.number), spec_id=SPEC
            )
            self._install_shim()
        except (RuntimeError, OSError) as exc:
            raise NetworkError(
                "The local EVM could not read the chain from the RPC endpoint.", detail=str(exc)
            ) from exc
        self._seen_writes = 0
        self._seen_moves = 0
        self._checkpoint: JournalCheckpoint | None = None

    def _install_shim(self) -> None:
        import pyrevm

        original = self._evm.basic(self.executor)
        code = self._evm.get_code(self.executor) or b""
        shadow = forwarder.shadow_address(self.executor)
        self._evm.insert_account_info(shadow, pyrevm.AccountInfo(code=code))
        # pyrevm 0.3.7's stub lacks ``balance``, which its AccountInfo takes (src/types/info.rs).
        shim = pyrevm.AccountInfo(  # type: ignore[call-arg]
            balance=original.balance,
            nonce=original.nonce,
            code=forwarder.shim_code(shadow),
        )
        self._evm.insert_account_info(self.executor, shim)
        self._evm.set_balance(forwarder.SIMULATOR, _SIMULATOR_FUNDS)

    # --- state checkpoints: effects are read after, then the state before ---

    def mark(self) -> None:
        """Remember the state before the actions (``rewind`` returns to it)."""
        self._checkpoint = self._evm.snapshot()

    def rewind(self) -> None:
        if self._checkpoint is None:
            raise RuntimeError("rewind() without mark()")
        self._evm.revert(self._checkpoint)
        self._checkpoint = None

    # --- running ---

    def execute(self, target: str, value: int, calldata: bytes) -> RawCall:
        """One action, sent by the executor; state changes stay for the next action."""
        missing = max(0, value - self.balance(self.executor))
        request = forwarder.encode_request(to_checksum_address(target), value, calldata)
        try:
            reply = bytes(
                self._evm.message_call(
                    forwarder.SIMULATOR, self.executor, request, value=missing, gas=CALL_GAS
                )
            )
        except RuntimeError as exc:  # the shim never reverts: this is the RPC or the EVM itself
            raise NetworkError(
                "The local EVM stopped while running an action.", detail=str(exc)
            ) from exc
        success, output = forwarder.decode_reply(reply)
        result = self._evm.result
        logs = tuple(_raw_log(log) for log in (result.logs if result else []))
        moves = self._new_moves()
        return RawCall(success, output, result.gas_used if result else 0, logs, moves, missing)

    def _journal(self) -> str:
        text: str = self._evm.journal_str
        return text[text.find("journal: [") :]

    def _new_moves(self) -> tuple[EthMove, ...]:
        found = _ETH_MOVE.findall(self._journal())
        fresh, self._seen_moves = found[self._seen_moves :], len(found)
        return tuple(
            EthMove(to_checksum_address(a), to_checksum_address(b), int(w))
            for a, b, w in fresh
            if int(w) and a != forwarder.SIMULATOR.lower()
        )

    def slot_writes(self) -> tuple[SlotWrite, ...]:
        """Every storage slot written since ``mark()``, with the value it had first."""
        first: dict[tuple[str, int], int] = {}
        for address, slot, before in _STORAGE_WRITE.findall(self._journal()):
            first.setdefault((address, int(slot)), int(before))
        return tuple(
            SlotWrite(to_checksum_address(a), s, v)
            for (a, s), v in first.items()
            if a != forwarder.SIMULATOR.lower()
        )

    # --- reading ---

    def view(self, to: str, data: bytes) -> bytes | None:
        """A read-only call's return data, or None when it reverts."""
        try:
            return bytes(
                self._evm.message_call(
                    forwarder.VIEWER, to_checksum_address(to), data, gas=CALL_GAS,
                    is_static=True,
                )
            )  # fmt: skip
        except RuntimeError:
            return None

    def balance(self, address: str) -> int:
        return int(self._evm.get_balance(to_checksum_address(address)))

    def code(self, address: str) -> bytes:
        address = to_checksum_address(address)
        if address == self.executor:
            return self._evm.get_code(forwarder.shadow_address(address)) or b""
        return self._evm.get_code(address) or b""

    def storage(self, address: str, slot: int) -> int:
        return int(self._evm.storage(to_checksum_address(address), slot))


def _raw_log(log: object) -> RawLog:
    topics, data = log.data  # type: ignore[attr-defined]
    return RawLog(
        to_checksum_address(log.address),  # type: ignore[attr-defined]
        tuple(bytes(t) for t in topics),
        bytes(data),
    )

"""Move a devnet through time: mine blocks, advance the clock, snapshot and revert its state.

For tests and the demo. These are anvil's (and hardhat's) debug RPC methods; a real network
rejects them. Calls are plain blocking JSON-RPC over loopback HTTP, so they work from sync tests
and, through ``asyncio.to_thread``, from async ones.
"""

from __future__ import annotations

import itertools
import json
import urllib.error
import urllib.request
from typing import Any

from app.errors import DevnetError

_ids = itertools.count(1)


class DevnetControl:
    """Debug controls for the devnet at ``rpc_url``."""

    def __init__(self, rpc_url: str, *, timeout: float = 10.0) -> None:
        self.rpc_url = rpc_url
        self.timeout = timeout

    def request(self, method: str, params: list[Any] | None = None) -> Any:
        """One JSON-RPC call; DevnetError if the node fails or returns an error."""
        body = {"jsonrpc": "2.0", "id": next(_ids), "method": method, "params": params or []}
        request = urllib.request.Request(  # noqa: S310 - the devnet's own loopback URL
            self.rpc_url,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.load(response)
        except (OSError, urllib.error.URLError, ValueError) as exc:
            raise DevnetError(f"The devnet did not answer {method}.", detail=str(exc)) from exc
        if "error" in answer:
            raise DevnetError(f"The devnet refused {method}.", detail=str(answer["error"]))
        return answer.get("result")

    def block_number(self) -> int:
        return int(self.request("eth_blockNumber"), 16)

    def timestamp(self) -> int:
        """Timestamp of the latest block."""
        block = self.request("eth_getBlockByNumber", ["latest", False])
        return int(block["timestamp"], 16)

    def mine(self, blocks: int = 1) -> int:
        """Mine ``blocks`` empty blocks at once; returns the new block number."""
        if blocks < 1:
            raise DevnetError(f"Cannot mine {blocks} blocks; give a positive number.")
        self.request("anvil_mine", [hex(blocks)])
        return self.block_number()

    def increase_time(self, seconds: int, *, mine: bool = True) -> int:
        """Move the clock forward; by default mine a block so the new time is visible on-chain.

        Returns the latest block's timestamp.
        """
        if seconds < 0:
            raise DevnetError("The devnet clock only moves forward.")
        self.request("evm_increaseTime", [seconds])
        if mine:
            self.request("evm_mine")
        return self.timestamp()

    def set_next_timestamp(self, timestamp: int) -> None:
        """The next mined block gets exactly this timestamp."""
        self.request("evm_setNextBlockTimestamp", [timestamp])

    def snapshot(self) -> str:
        """Save the chain state; pass the id to ``revert`` (an id works once)."""
        return str(self.request("evm_snapshot"))

    def revert(self, snapshot_id: str) -> None:
        if self.request("evm_revert", [snapshot_id]) is not True:
            raise DevnetError(f"The devnet could not revert to snapshot {snapshot_id}.")

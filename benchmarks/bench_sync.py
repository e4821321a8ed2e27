"""Cold load of 1,000 Governor proposals: our batched client against a naive one-call-per-field
client, on a private devnet (its own anvil + the OZ stack), counting JSON-RPC requests.

    python benchmarks/bench_sync.py [--proposals 1000] [--voters 3] [--json]

Targets: <= 25 requests, >= 20x fewer requests than naive, < 2 s for the cold load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Sequence
from typing import Any

from app.chain.abi_codec import Function
from app.chain.logs import LogScanner
from app.chain.rpc import HttpJsonRpc, RpcClient, RpcTransport
from app.devnet.control import DevnetControl
from app.devnet.network import Devnet
from app.governor import contract_interface as abi
from app.governor.client import GovernorClient
from app.governor.model import Support
from app.governor.writer import ProposedCall, build_cast_vote, build_propose

TARGET_REQUESTS, TARGET_RATIO, TARGET_SECONDS = 25, 20.0, 2.0


class CountingProvider(HttpJsonRpc):
    """Our JSON-RPC transport, counting requests (a batch counts each entry)."""

    count = 0

    async def make_request(self, method: str, params: Any, *, timeout_s: Any = None) -> Any:
        CountingProvider.count += 1
        return await super().make_request(method, params, timeout_s=timeout_s)

    async def make_batch_request(self, calls: Any) -> Any:
        CountingProvider.count += len(calls)
        return await super().make_batch_request(calls)


def counting_factory(url: str, timeout_s: float) -> RpcTransport:
    return CountingProvider(url, timeout_s)


def _batch_send(control: DevnetControl, txs: Sequence[dict[str, str]]) -> None:
    """Send in JSON-RPC batches with explicit nonces (anvil handles a batch concurrently)."""
    nonces: dict[str, int] = {}
    for tx in txs:
        sender = tx["from"]
        if sender not in nonces:
            nonces[sender] = int(
                control.request("eth_getTransactionCount", [sender, "pending"]), 16
            )
        tx["nonce"] = hex(nonces[sender])
        nonces[sender] += 1
    for start in range(0, len(txs), 200):
        body = [
            {"jsonrpc": "2.0", "id": i, "method": "eth_sendTransaction", "params": [tx]}
            for i, tx in enumerate(txs[start : start + 200])
        ]
        for answer in _post(control.rpc_url, body):
            if "error" in answer:
                raise RuntimeError(answer["error"])


def _post(url: str, body: Any) -> Any:
    import urllib.request

    req = urllib.request.Request(  # noqa: S310 - loopback devnet
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=120) as resp:  # noqa: S310
        return json.load(resp)


def _mine_until_empty(control: DevnetControl) -> None:
    while True:
        control.request("evm_mine")
        pending = control.request("eth_getBlockByNumber", ["pending", False])
        if not pending or not pending["transactions"]:
            return


async def populate(devnet: Devnet, proposals: int, voters: int) -> tuple[GovernorClient, str]:
    """Create the proposals and votes fast: automine off, batched sends, mine in bulk."""
    stack = devnet.stack("oz")
    control = devnet.control
    async with RpcClient([devnet.rpc_url], chain_id=31337) as rpc:
        gov = await GovernorClient.open(rpc, stack["governor"], multicall_address=devnet.multicall)
        proposer = devnet.accounts[0].address
        control.request("evm_setAutomine", [False])
        calls = [
            build_propose(
                gov.info,
                [ProposedCall(stack["target"], "setMarketplaceFee(uint8)", (i % 100,))],
                f"# Bench {i}",
            )
            for i in range(proposals)
        ]
        _batch_send(control, [_tx(proposer, c.to, c.data) for c in calls])
        _mine_until_empty(control)
        control.mine(gov.info.voting_delay + 1)
        ids = [p.proposal_id for p in await gov.reader.sync()]
        votes = [
            _tx(
                devnet.accounts[v].address,
                gov.info.address,
                build_cast_vote(gov.info, pid, Support(v % 3)).data,
            )
            for pid in ids
            for v in range(voters)
        ]
        _batch_send(control, votes)
        _mine_until_empty(control)
        control.request("evm_setAutomine", [True])
        return gov, stack["governor"]


def _tx(sender: str, to: str, data: bytes) -> dict[str, str]:
    return {"from": sender, "to": to, "data": "0x" + data.hex(), "gas": hex(1_000_000)}


async def cold_load_ours(devnet: Devnet, governor: str, account: str) -> dict[str, Any]:
    CountingProvider.count = 0
    started = time.perf_counter()
    async with RpcClient(
        [devnet.rpc_url], chain_id=31337, provider_factory=counting_factory
    ) as rpc:
        gov = await GovernorClient.open(rpc, governor, multicall_address=devnet.multicall)
        loaded = await gov.proposals(account=account)
    seconds = time.perf_counter() - started
    return {
        "proposals": len(loaded),
        "requests": CountingProvider.count,
        "seconds": seconds,
        "votes_total": sum(
            p.status.votes.for_ + p.status.votes.against + p.status.votes.abstain for p in loaded
        ),
    }


NAIVE_FIELDS: tuple[tuple[Function, str], ...] = (
    (abi.STATE, "id"),
    (abi.PROPOSAL_VOTES, "id"),
    (abi.PROPOSAL_SNAPSHOT, "id"),
    (abi.PROPOSAL_DEADLINE, "id"),
    (abi.PROPOSAL_ETA, "id"),
    (abi.QUORUM_AT, "snapshot"),
    (abi.HAS_VOTED, "id+account"),
    (abi.GET_VOTES_AT, "account+snapshot"),
)


async def cold_load_naive(devnet: Devnet, governor: str, account: str) -> dict[str, Any]:
    """Each field of each proposal with its own eth_call (32 in flight), as a simple client does."""
    CountingProvider.count = 0
    started = time.perf_counter()
    async with RpcClient(
        [devnet.rpc_url], chain_id=31337, provider_factory=counting_factory
    ) as rpc:
        head = int(await rpc.request("eth_blockNumber", []), 16)
        logs = await LogScanner(rpc).scan(
            address=governor, topics=[abi.PROPOSAL_CREATED.topic0], from_block=0, to_block=head
        )
        created = [abi.PROPOSAL_CREATED.decode(log.topics, log.data) for log in logs]
        gate = asyncio.Semaphore(32)

        async def one(function: Function, args: tuple[Any, ...]) -> Any:
            async with gate:
                raw = await rpc.request(
                    "eth_call",
                    [{"to": governor, "data": "0x" + function.encode(*args).hex()}, "latest"],
                )
                return function.decode(bytes.fromhex(raw[2:]))

        jobs = []
        for event in created:
            pid, snapshot = event[0], event[6]
            args = {
                "id": (pid,),
                "snapshot": (snapshot,),
                "id+account": (pid, account),
                "account+snapshot": (account, snapshot),
            }
            jobs += [one(f, args[kind]) for f, kind in NAIVE_FIELDS]
        await asyncio.gather(*jobs)
    seconds = time.perf_counter() - started
    return {"proposals": len(created), "requests": CountingProvider.count, "seconds": seconds}


async def run(proposals: int, voters: int) -> dict[str, Any]:
    with Devnet(stacks=("oz",)) as devnet:
        started = time.perf_counter()
        _, governor = await populate(devnet, proposals, voters)
        setup_s = time.perf_counter() - started
        account = devnet.accounts[0].address
        ours = await cold_load_ours(devnet, governor, account)
        naive = await cold_load_naive(devnet, governor, account)
    ratio = naive["requests"] / max(1, ours["requests"])
    return {
        "proposals": proposals,
        "voters_per_proposal": voters,
        "setup_seconds": round(setup_s, 2),
        "ours": ours,
        "naive": naive,
        "request_ratio": round(ratio, 1),
        "speedup": round(naive["seconds"] / ours["seconds"], 1),
        "targets": {"requests": TARGET_REQUESTS, "ratio": TARGET_RATIO, "seconds": TARGET_SECONDS},
        "meets_targets": ours["requests"] <= TARGET_REQUESTS
        and ratio >= TARGET_RATIO
        and ours["seconds"] < TARGET_SECONDS,
    }


def print_table(result: dict[str, Any]) -> None:
    ours, naive = result["ours"], result["naive"]
    print(
        f"cold load of {result['proposals']} proposals "
        f"({result['voters_per_proposal']} votes each; setup {result['setup_seconds']} s)"
    )
    print(f"{'client':<8} {'proposals':>9} {'requests':>9} {'seconds':>8}")
    for name, row in (("ours", ours), ("naive", naive)):
        print(f"{name:<8} {row['proposals']:>9} {row['requests']:>9} {row['seconds']:>8.3f}")
    print(f"requests: {result['request_ratio']}x fewer; time: {result['speedup']}x faster")
    verdict = "met" if result["meets_targets"] else "MISSED"
    print(
        f"targets (<= {TARGET_REQUESTS} requests, >= {TARGET_RATIO:.0f}x, "
        f"< {TARGET_SECONDS} s): {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=1000)
    parser.add_argument("--voters", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    result = asyncio.run(run(args.proposals, args.voters))
    if args.json:
        print(json.dumps(result))
    else:
        print_table(result)


if __name__ == "__main__":
    main()

"""ENS names for voters: the reverse record (``<addr>.addr.reverse``) of each address, kept only
when the name resolves back to the same address, cached per chain in the store for a day.

Only networks with an ENS registry are asked (``Factories.ens_registries``: mainnet and its test
networks by default; tests give their own). Names outside plain lower-case letters, digits,
hyphens and dots are dropped: a look-alike name must not pass for someone else.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence

from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak

from app.errors import AppError
from app.orgs import Organisation
from app.ports import Factories

CACHE_TTL_S = 24 * 3600
MAX_LOOKUPS = 200  # the most voters resolved per view (the largest first)
_PLAIN = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")
ZERO = "0x" + "0" * 40


def namehash(name: str) -> bytes:
    node = b"\0" * 32
    if name:
        for label in reversed(name.split(".")):
            node = keccak(node + keccak(text=label))
    return node


def reverse_node(address: str) -> bytes:
    return namehash(f"{address.lower().removeprefix('0x')}.addr.reverse")


class NameCache:
    def __init__(self, conn: sqlite3.Connection, clock: Callable[[], float]) -> None:
        self._conn, self._clock = conn, clock

    def fresh(self, chain_id: int, addresses: Iterable[str]) -> dict[str, str]:
        """Cached answers younger than a day ("" for "no name")."""
        found: dict[str, str] = {}
        oldest = int(self._clock()) - CACHE_TTL_S
        for address in addresses:
            row = self._conn.execute(
                "SELECT name FROM ens_names WHERE chain_id = ? AND address = ? AND checked_at >= ?",
                (chain_id, address, oldest),
            ).fetchone()
            if row is not None:
                found[address] = str(row[0])
        return found

    def put(self, chain_id: int, names: Mapping[str, str]) -> None:
        now = int(self._clock())
        self._conn.executemany(
            "INSERT OR REPLACE INTO ens_names (chain_id, address, name, checked_at)"
            " VALUES (?, ?, ?, ?)",
            [(chain_id, a, n, now) for a, n in names.items()],
        )


async def _lookup(factories: Factories, org: Organisation, registry: str,
                  addresses: Sequence[str]) -> dict[str, str]:  # fmt: skip
    from app.chain.abi_codec import fn
    from app.chain.multicall import Call, Multicall

    resolver_of, name_of = fn("resolver(bytes32)", "address"), fn("name(bytes32)", "string")
    addr_of = fn("addr(bytes32)", "address")

    async def resolvers(nodes: Sequence[bytes]) -> list[str]:
        results = await multicall.run([Call(registry, resolver_of.encode(n)) for n in nodes])
        return [str(resolver_of.decode_one(r.data)) if r.success and r.data else ZERO
                for r in results]  # fmt: skip

    found = dict.fromkeys(addresses, "")
    async with factories.chain(org) as rpc:
        multicall = await Multicall.discover(rpc, org.network.multicall or None)
        nodes = [reverse_node(a) for a in addresses]
        claimed: dict[str, str] = {}
        pairs = [(a, n, r) for a, n, r in zip(addresses, nodes, await resolvers(nodes),
                                              strict=True) if int(r, 16)]  # fmt: skip
        names = await multicall.run([Call(r, name_of.encode(n)) for _a, n, r in pairs])
        for (address, _node, _resolver), result in zip(pairs, names, strict=True):
            if result.success and result.data:
                name = str(name_of.decode_one(result.data))
                if _PLAIN.match(name):
                    claimed[address] = name
        forward = [namehash(n) for n in claimed.values()]
        back = await resolvers(forward)
        checks = await multicall.run(
            [Call(r, addr_of.encode(n)) for n, r in zip(forward, back, strict=True)]
        )
        for (address, name), result in zip(claimed.items(), checks, strict=True):
            points_to = addr_of.decode_one(result.data) if result.success and result.data else ""
            if points_to and to_checksum_address(str(points_to)) == address:
                found[address] = name
    return found


async def ens_names(
    factories: Factories,
    org: Organisation,
    addresses: Sequence[str],
    cache: NameCache | None = None,
) -> dict[str, str]:
    """``{address: name}`` for the addresses that have a verified primary ENS name (the
    registries per chain are ``factories.ens_registries``)."""
    registry = factories.ens_registries.get(org.network.chain_id)
    if registry is None or not org.network.rpc_urls:
        return {}
    wanted = list(dict.fromkeys(to_checksum_address(a) for a in addresses))[:MAX_LOOKUPS]
    known = cache.fresh(org.network.chain_id, wanted) if cache is not None else {}
    missing = [a for a in wanted if a not in known]
    if missing:
        try:
            looked = await _lookup(factories, org, registry, missing)
        except AppError:
            looked = {}  # names are a nicety: voters stay addresses, nothing else changes
        else:
            if cache is not None:
                cache.put(org.network.chain_id, looked)
        known |= looked
    return {a: n for a, n in known.items() if n}

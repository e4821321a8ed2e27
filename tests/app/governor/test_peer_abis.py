"""Every devnet contract's ABI against its published mainnet peer (../shared/peers).

Same function and event signatures (name, input types, output types, mutability; event inputs
with their indexed flags; constructor and fallback). Every difference that remains is listed
below with its reason; an unlisted difference, or a listed one that went away, fails.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest

from app.artifacts import artifact_names, load_artifact

PEERS = Path(__file__).resolve().parents[3].parent / "shared" / "peers"

# ours (one artifact, or several seen at one address) -> peer file, and the accepted differences:
# {entry: reason} for entries only we have ("+") and only the peer has ("-").
COMPARISONS: list[tuple[tuple[str, ...], str, Mapping[str, str]]] = [
    (("GovernorAlpha",), "braintrust-mainnet/GovernorAlpha", {}),
    (
        ("CompToken",),
        "braintrust-mainnet/BTRST",
        {
            "+constructor(string,string,address,uint96)": "one token contract serves every devnet "
            "stack, so its name, symbol, holder and supply are constructor arguments",
            "-constructor(address)": "BTRST hard-codes its name, symbol and 250M supply",
        },
    ),
    (
        ("CompToken",),
        "compound-mainnet/COMP",
        {
            "+constructor(string,string,address,uint96)": "as for BTRST: one contract, named per "
            "stack",
            "-constructor(address)": "COMP hard-codes its name, symbol and 10M supply",
        },
    ),
    (("CompTimelock",), "braintrust-mainnet/Timelock", {}),
    (("CompTimelock",), "compound-mainnet/Timelock", {}),
    (("GovernanceDecisions",), "braintrust-mainnet/GovernanceDecisions", {}),
    (("GovernorBravoDelegate",), "compound-mainnet/NewBravoDelegate", {}),
    (
        ("GovernorBravoDelegator", "GovernorBravoDelegate"),
        "compound-mainnet/GovernorBravo",
        {
            "-function initalProposalId() view returns (uint256)": "a stale entry in Compound's "
            "merged ABI: the first delegate's misspelt getter; the delegate behind the mainnet "
            "proxy (and ours) answers initialProposalId()",
        },
    ),
    (
        ("GovernorBravoDelegator",),
        "compound-mainnet/GovernorBravoDelegator",
        {
            # The peer is the proxy's ABI merged with the first (2021) delegate's; we follow the
            # current delegate (compared above), so only the proxy's own entries are ours here.
            "+event WhitelistAccountExpirationSet(address,uint256)": "our proxy shares the "
            "current GovernorBravoEvents, which gained the whitelist events after 2021",
            "+event WhitelistGuardianSet(address,address)": "the same",
        },
    ),
]
# The delegator-only comparison checks that each entry of ours is in the peer (a subset).
SUBSET_ONLY = {"compound-mainnet/GovernorBravoDelegator"}
NO_PEER = {
    "GovToken": "OpenZeppelin ERC20Votes token: no OpenZeppelin deployment is among the peers",
    "GovTokenTimestamp": "the same on the timestamp clock",
    "GovTokenV4": "the same built from OpenZeppelin 4.9",
    "OzGovernor": "OpenZeppelin Governor v5: no OZ governor is among the peers",
    "OzGovernorV4": "OpenZeppelin Governor 4.9: no OZ governor is among the peers",
    "OzTimelock": "OpenZeppelin TimelockController: no OZ deployment is among the peers",
    "OzTimelockV4": "the same from OpenZeppelin 4.9",
    "Multicall3": "the canonical Multicall3 bytecode's interface, not a governance peer",
    "DelegateRegistry": "Snapshot's Delegate Registry (v1): its ABI is not among the peers; "
    "written from reference/snapshot.md §5.4",
    "SplitDelegateRegistry": "split delegation (v2): its ABI is not among the peers",
}


def _type(param: Mapping[str, Any]) -> str:
    kind = str(param["type"])
    if kind.startswith("tuple"):
        return "(" + ",".join(_type(c) for c in param["components"]) + ")" + kind[5:]
    return kind


def _entry(item: Mapping[str, Any]) -> str | None:
    kind = item["type"]
    inputs = ",".join(_type(p) for p in item.get("inputs", []))
    if kind == "function":
        outputs = ",".join(_type(p) for p in item.get("outputs", []))
        return f"function {item['name']}({inputs}) {item['stateMutability']} returns ({outputs})"
    if kind == "event":
        params = ",".join(
            _type(p) + (" indexed" if p.get("indexed") else "") for p in item["inputs"]
        )
        return f"event {item['name']}({params})"
    if kind == "constructor":
        return f"constructor({inputs})"
    if kind in ("fallback", "receive"):
        return f"{kind}() {item.get('stateMutability', 'nonpayable')}"
    return None  # errors are not part of the comparison


def _entries(abi: Iterable[Mapping[str, Any]]) -> set[str]:
    return {e for e in (_entry(item) for item in abi) if e is not None}


def _peer(name: str) -> set[str]:
    path = PEERS / f"{name}.abi.json"
    if not path.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing (CI needs ../shared/peers)")
        pytest.skip(f"{path} is not here (../shared/peers is not checked out)")
    return _entries(json.loads(path.read_text(encoding="utf-8"))["abi"])


def _ours(names: tuple[str, ...]) -> set[str]:
    entries: set[str] = set()
    for index, name in enumerate(names):
        found = _entries(load_artifact(name).abi)
        if index:  # behind a proxy: the implementation's constructor is never seen
            found = {e for e in found if not e.startswith("constructor")}
        entries |= found
    return entries


@pytest.mark.parametrize(
    ("ours", "peer", "accepted"), COMPARISONS, ids=[f"{'+'.join(o)}~{p}" for o, p, _ in COMPARISONS]
)
def test_devnet_contract_has_its_peers_interface(
    ours: tuple[str, ...], peer: str, accepted: Mapping[str, str]
) -> None:
    mine, theirs = _ours(ours), _peer(peer)
    extra = {"+" + e for e in mine - theirs}
    missing = set() if peer in SUBSET_ONLY else {"-" + e for e in theirs - mine}
    assert extra | missing == set(accepted), (
        "unlisted differences: "
        + ", ".join(sorted((extra | missing) - set(accepted)))
        + "; listed but gone: "
        + ", ".join(sorted(set(accepted) - (extra | missing)))
    )


def test_every_devnet_contract_is_compared_or_says_why_not() -> None:
    compared = {name for ours, _, _ in COMPARISONS for name in ours}
    assert set(artifact_names()) == compared | set(NO_PEER)
    assert not compared & set(NO_PEER)


def test_braintrust_profile_is_the_published_deployment() -> None:
    from app.devnet.deploy import BRAINTRUST_PARAMS, TOKEN

    path = PEERS / "braintrust-mainnet" / "GovernorAlpha.abi.json"
    if not path.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing (CI needs ../shared/peers)")
        pytest.skip(f"{path} is not here")
    _, _, _, quorum, threshold, period = json.loads(path.read_text(encoding="utf-8"))["args"]
    assert (int(quorum), int(threshold), int(period)) == (
        BRAINTRUST_PARAMS.quorum,
        BRAINTRUST_PARAMS.proposal_threshold,
        BRAINTRUST_PARAMS.voting_period,
    )
    assert BRAINTRUST_PARAMS.quorum == 100_000 * TOKEN
    timelock = json.loads((path.parent / "Timelock.abi.json").read_text(encoding="utf-8"))
    assert int(timelock["args"][1]) == BRAINTRUST_PARAMS.timelock_delay == 7 * 86_400

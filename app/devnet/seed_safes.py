"""Create the devnet's Safes with voting power, for the app to follow, so a person running
govdesk on the devnet finds a 1-of-1 and a 2-of-3 Safe ready to vote as.

- On chain: Dev 0 hands each Safe some of the ``alpha`` token, and each Safe delegates its votes
  to itself through a Safe transaction its owners approve.
- On Snapshot: Dev 4 and Dev 5 delegate to the Treasury on the delegation space, and Dev 6 to
  Dev 1's Safe on every space (the Delegate Registry).

Dev 8 and Dev 9 are left alone: they stay the holders who never delegated. This is dev tooling:
sync web3 and the unlocked anvil accounts, off the UI thread.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from web3 import Web3

from app.artifacts import load_artifact
from app.devnet.deploy import TOKEN
from app.devnet.network import DELEGATION_SPACE, Devnet
from app.devnet.safes import DEVNET_SAFES, SafeDeployer
from app.snapshot.delegation import DELEGATE_REGISTRY, GLOBAL_ID, space_key

# Tokens each Safe receives from Dev 0 (of 100,000,000 BTRST it holds on the alpha stack).
SAFE_TOKENS: Final[Mapping[str, int]] = {"Dev 1's Safe": 500_000, "Treasury": 2_000_000}
# (dev account, Safe, space or None for every space)
SNAPSHOT_DELEGATIONS: Final = ((4, "Treasury", DELEGATION_SPACE), (5, "Treasury", DELEGATION_SPACE),
                               (6, "Dev 1's Safe", None))  # fmt: skip
_REGISTRY_ABI: Final = [
    {"name": "setDelegate", "type": "function", "stateMutability": "nonpayable",
     "inputs": [{"name": "id", "type": "bytes32"}, {"name": "delegate", "type": "address"}],
     "outputs": []},
]  # fmt: skip


def power_safes(devnet: Devnet, stack: str = "alpha") -> None:
    """Create the devnet's Safes; give them token votes on ``stack`` and Snapshot delegations."""
    if stack not in devnet.deployments:
        return
    devnet.create_safes()
    w3 = Web3(Web3.HTTPProvider(devnet.rpc_url, request_kwargs={"timeout": 30}))
    accounts = [a.address for a in devnet.accounts]
    deployer = SafeDeployer(w3, accounts[0])
    token = w3.eth.contract(address=Web3.to_checksum_address(devnet.stack(stack)["token"]),
                            abi=load_artifact("CompToken").abi)  # fmt: skip
    for spec in DEVNET_SAFES:
        safe = devnet.safes[spec.name]
        deployer.wait(token.functions.transfer(safe, SAFE_TOKENS[spec.name] * TOKEN)
                      .transact({"from": accounts[0]}), "funding a Safe")  # fmt: skip
        call = token.functions.delegate(safe)._encode_transaction_data()
        owners = [accounts[i] for i in spec.owners[: spec.threshold]]
        deployer.execute(safe, owners, token.address, bytes.fromhex(call[2:]))
    registry = w3.eth.contract(address=Web3.to_checksum_address(DELEGATE_REGISTRY),
                               abi=_REGISTRY_ABI)  # fmt: skip
    for index, name, space in SNAPSHOT_DELEGATIONS:
        key = GLOBAL_ID if space is None else space_key(space)
        sent = registry.functions.setDelegate(key, devnet.safes[name]).transact(
            {"from": accounts[index]}
        )
        deployer.wait(sent, "a Snapshot delegation")


# Delegate statements the seeded devnet has on the alpha space: (dev account, about, statement).
STATEMENTS: Final = (
    (1, "Builder. Votes for lower fees and open tooling.",
     "## Why delegate to me\n\nI build on the marketplace every day. I vote on every proposal "
     "and explain each vote on the forum."),
    (2, "Treasury steward: careful with spending.",
     "I vote For grants with milestones and Against open-ended spending."),
)  # fmt: skip


async def publish_statements(devnet: Devnet, space: str) -> None:
    """Sign and send the seeded delegates' statements to the devnet's sequencer."""
    from app.keys.signer_protocol import LocalKeySigner
    from app.snapshot.envelope import sign_message
    from app.snapshot.messages import build_statement
    from app.snapshot.sequencer import SequencerClient

    if devnet.hub is None:
        return
    async with SequencerClient(devnet.hub.sequencer_url) as sequencer:
        for index, about, text in STATEMENTS:
            signer = LocalKeySigner(devnet.accounts[index].dev_key)
            message = build_statement(signer.address, space, about, text)
            await sequencer.submit(await sign_message(signer, message))

"""Deploy Multicall3 and the governance stacks onto a fresh devnet, ready to vote on.

Five stacks, each a token, a governor, a timelock and a ``GovernanceDecisions`` target that only
the timelock may change:

- ``oz``: OpenZeppelin v5 Governor + ERC20Votes token + TimelockController, block-number clock;
- ``oz-timestamp``: the same on the timestamp clock (voting delay and period in seconds);
- ``oz-v4``: the same as ``oz`` built from OpenZeppelin 4.9 (v4 ballots, revert strings);
- ``bravo``: Compound's structure: a GovernorBravoDelegator proxy over a GovernorBravoDelegate,
  taking over (``_initiate``) from a GovernorAlpha that already made one proposal, so Bravo's ids
  continue after it; a Comp-style token; a Compound Timelock handed over by the Alpha's guardian;
- ``alpha``: the interface Braintrust runs: "BTRST Governor Alpha" (``BTRST()`` getter,
  For/Against only, settings stored at deployment, a guardian), a BTRST-like Comp token with
  Braintrust's quorum and threshold, a Compound Timelock; devnet-sized voting period and delay.

The ``braintrust`` profile (not part of "all") is the ``alpha`` stack with Braintrust's mainnet
parameters: quorum 100,000 BTRST, threshold 500, a 17,280-block voting period, a 7-day timelock.

Every stack hands the dev accounts the same uneven shares of its supply; the first eight delegate
to themselves and the last two do not, so tests see different weights and "not delegated".
This is dev tooling: it uses sync web3 and the unlocked anvil accounts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from eth_typing import ChecksumAddress, HexAddress
from web3 import Web3
from web3.types import Nonce, TxParams
from web3.utils.address import get_create_address

from app.artifacts import load_artifact
from app.devnet.control import DevnetControl
from app.devnet.dev_accounts import DevAccount
from app.errors import ConfigError, DevnetError

log = logging.getLogger(__name__)

STACK_NAMES = ("oz", "oz-timestamp", "oz-v4", "bravo", "alpha")
# Profiles: stacks with mainnet-sized settings, deployed only when asked for by name.
PROFILE_NAMES = ("braintrust",)
ALL_STACK_NAMES = STACK_NAMES + PROFILE_NAMES
TOKEN = 10**18
# Shares of each token's supply in basis points, by dev-account index (index 0 deploys and keeps
# its share). Accounts DELEGATED_ACCOUNTS and above hold tokens but never delegate.
SHARES_BPS = (4000, 2500, 1500, 1000, 500, 200, 150, 100, 30, 20)
DELEGATED_ACCOUNTS = 8
TIMELOCK_DELAY_S = 3600
ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"


@dataclass(frozen=True)
class StackParams:
    """The governance settings a stack is deployed with (clock units: blocks or seconds)."""

    supply: int
    voting_delay: int
    voting_period: int
    proposal_threshold: int
    quorum: int  # OZ: percent of supply; Compound: votes
    timelock_delay: int = TIMELOCK_DELAY_S  # seconds


OZ_PARAMS = StackParams(1_000_000 * TOKEN, 1, 30, 1_000 * TOKEN, 4)
OZ_TIMESTAMP_PARAMS = StackParams(1_000_000 * TOKEN, 60, 900, 1_000 * TOKEN, 4)
# Bravo's voting period is Compound's minimum (MIN_VOTING_PERIOD, 5,760 blocks): the contract
# enforces the real bounds. Its quorum is the delegate's constant (devnet-sized, see the source).
BRAVO_PARAMS = StackParams(1_000_000 * TOKEN, 1, 5_760, 1_000 * TOKEN, 40_000 * TOKEN)
# Braintrust's mainnet numbers (250M BTRST, quorum 100k, threshold 500); a devnet-sized period.
ALPHA_PARAMS = StackParams(250_000_000 * TOKEN, 1, 30, 500 * TOKEN, 100_000 * TOKEN)
# Braintrust's mainnet deployment as published (constructor arguments of 0x1a0D…dD01 and the
# timelock's delay): only the guardian and the addresses differ.
BRAINTRUST_PARAMS = StackParams(
    250_000_000 * TOKEN, 1, 17_280, 500 * TOKEN, 100_000 * TOKEN, timelock_delay=7 * 86_400
)
STACK_PARAMS: Mapping[str, StackParams] = MappingProxyType(
    {
        "oz": OZ_PARAMS,
        "oz-timestamp": OZ_TIMESTAMP_PARAMS,
        "oz-v4": OZ_PARAMS,
        "bravo": BRAVO_PARAMS,
        "alpha": ALPHA_PARAMS,
        "braintrust": BRAINTRUST_PARAMS,
    }
)


@dataclass(frozen=True)
class OzArtifacts:
    """Which compiled contracts make up an OpenZeppelin stack, and its timelock's admin role."""

    token: str
    governor: str
    timelock: str
    admin_role: str  # v5 DEFAULT_ADMIN_ROLE; v4 TIMELOCK_ADMIN_ROLE


OZ_V5 = OzArtifacts("GovToken", "OzGovernor", "OzTimelock", "DEFAULT_ADMIN_ROLE")
OZ_V5_TIMESTAMP = OzArtifacts("GovTokenTimestamp", "OzGovernor", "OzTimelock", "DEFAULT_ADMIN_ROLE")
OZ_V4 = OzArtifacts("GovTokenV4", "OzGovernorV4", "OzTimelockV4", "TIMELOCK_ADMIN_ROLE")
OZ_STACK_ARTIFACTS: Mapping[str, OzArtifacts] = MappingProxyType(
    {"oz": OZ_V5, "oz-timestamp": OZ_V5_TIMESTAMP, "oz-v4": OZ_V4}
)


@dataclass(frozen=True)
class DeployResult:
    """Checksum addresses of everything deployed.

    ``stacks[name]`` has "token", "governor", "timelock", "target", plus "kind" ("oz" for v5 and v4,
    "bravo" or "alpha") and "clock" ("blocknumber" or "timestamp").
    """

    multicall: str
    stacks: Mapping[str, Mapping[str, str]]


class _Sender:
    """Sends transactions from unlocked anvil accounts and insists that each one succeeded."""

    def __init__(self, w3: Web3, deployer: ChecksumAddress) -> None:
        self.w3 = w3
        self.deployer = deployer

    def deploy(self, name: str, *args: Any) -> ChecksumAddress:
        artifact = load_artifact(name)
        factory = self.w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
        tx_hash = factory.constructor(*args).transact({"from": self.deployer})
        receipt = self._receipt(tx_hash, f"deploying {name}")
        address = receipt["contractAddress"]
        if address is None:
            raise DevnetError(f"Deploying {name} on the devnet created no contract.")
        return Web3.to_checksum_address(address)

    def call(self, name: str, address: str, function: str, *args: Any, sender: str = "") -> None:
        contract = self.w3.eth.contract(
            address=Web3.to_checksum_address(address), abi=load_artifact(name).abi
        )
        params: TxParams = {"from": Web3.to_checksum_address(sender or self.deployer)}
        tx_hash = contract.functions[function](*args).transact(params)
        self._receipt(tx_hash, f"{name}.{function}")

    def read(self, name: str, address: str, function: str, *args: Any) -> Any:
        contract = self.w3.eth.contract(
            address=Web3.to_checksum_address(address), abi=load_artifact(name).abi
        )
        return contract.functions[function](*args).call()

    def rpc(self, method: str, params: list[Any]) -> Any:
        return self.w3.provider.make_request(method, params)  # type: ignore[arg-type]

    def next_address(self, ahead: int = 0) -> ChecksumAddress:
        """The address the deployer's CREATE will get ``ahead`` transactions from now."""
        nonce = self.w3.eth.get_transaction_count(self.deployer)
        return get_create_address(HexAddress(self.deployer), Nonce(nonce + ahead))

    def _receipt(self, tx_hash: Any, what: str) -> Any:
        receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash, timeout=30, poll_latency=0.01)
        if receipt["status"] != 1:
            raise DevnetError(f"The devnet transaction {what} reverted.")
        return receipt


def deploy_devnet(
    rpc_url: str, stacks: Sequence[str], accounts: Sequence[DevAccount]
) -> DeployResult:
    """Deploy Multicall3 once and each stack in ``stacks``; hand out and delegate the tokens."""
    unknown = [name for name in stacks if name not in ALL_STACK_NAMES]
    if unknown:
        raise ConfigError(
            f"Unknown devnet stack {', '.join(unknown)}; choose from {', '.join(ALL_STACK_NAMES)}."
        )
    if not accounts:
        raise ConfigError("The devnet needs at least one dev account to deploy from.")
    w3 = Web3(Web3.HTTPProvider(rpc_url, request_kwargs={"timeout": 30}))
    _require_unlocked(w3, accounts)
    sender = _Sender(w3, Web3.to_checksum_address(accounts[0].address))
    multicall = sender.deploy("Multicall3")
    deployed: dict[str, Mapping[str, str]] = {}
    for name in dict.fromkeys(stacks):  # keep order, drop duplicates
        deployed[name] = MappingProxyType(_STACK_DEPLOYERS[name](sender))
        _distribute(sender, name, deployed[name], accounts)
        log.info("deployed devnet stack %s: %s", name, dict(deployed[name]))
    # Timestamp governors read votes at `clock() - 1`: move one second on so the delegations
    # above count for a proposal made right away.
    DevnetControl(rpc_url).increase_time(1)
    return DeployResult(multicall=multicall, stacks=MappingProxyType(deployed))


def _require_unlocked(w3: Web3, accounts: Sequence[DevAccount]) -> None:
    unlocked = {address.lower() for address in w3.eth.accounts}
    missing = [a.address for a in accounts if a.address.lower() not in unlocked]
    if missing:
        raise DevnetError(
            "The devnet node does not hold the keys of every dev account "
            f"(missing {', '.join(missing)}); start it with the dev mnemonic."
        )


_OZ_SUFFIX = {"oz": "", "oz-timestamp": " (timestamp)", "oz-v4": " (v4)"}


def _deploy_oz(sender: _Sender, stack: str) -> dict[str, str]:
    params, names, suffix = STACK_PARAMS[stack], OZ_STACK_ARTIFACTS[stack], _OZ_SUFFIX[stack]
    timestamp = stack == "oz-timestamp"
    token = sender.deploy(names.token, f"Devnet Gov{suffix}", "GOV", sender.deployer, params.supply)
    timelock = sender.deploy(
        names.timelock, TIMELOCK_DELAY_S, [], [ZERO_ADDRESS], sender.deployer
    )  # executor 0x0: anyone may execute a ready operation
    governor = sender.deploy(
        names.governor,
        f"Devnet OZ Governor{suffix}",
        token,
        timelock,
        params.voting_delay,
        params.voting_period,
        params.proposal_threshold,
        params.quorum,
    )
    target = sender.deploy("GovernanceDecisions", timelock)
    _hand_timelock_to_governor(sender, names, timelock, governor)
    kind = {"kind": "oz", "clock": "timestamp" if timestamp else "blocknumber"}
    return {"token": token, "governor": governor, "timelock": timelock, "target": target, **kind}


def _hand_timelock_to_governor(
    sender: _Sender, names: OzArtifacts, timelock: str, governor: str
) -> None:
    abi = load_artifact(names.timelock).abi
    contract = sender.w3.eth.contract(address=Web3.to_checksum_address(timelock), abi=abi)
    for role in ("PROPOSER_ROLE", "CANCELLER_ROLE"):
        role_id = contract.functions[role]().call()
        sender.call(names.timelock, timelock, "grantRole", role_id, governor)
    # The deployer gives up the admin role last, so nobody but governance can change roles.
    admin_role = contract.functions[names.admin_role]().call()
    sender.call(names.timelock, timelock, "renounceRole", admin_role, sender.deployer)


def _compound_token(sender: _Sender, params: StackParams, *, btrst: bool) -> ChecksumAddress:
    names = ("Devnet BTRST", "BTRST") if btrst else ("Devnet Comp", "DCOMP")
    return sender.deploy("CompToken", *names, sender.deployer, params.supply)


def _deploy_alpha(sender: _Sender, stack: str) -> dict[str, str]:
    params = STACK_PARAMS[stack]
    token = _compound_token(sender, params, btrst=True)
    # The timelock's admin is the governor deployed right after it (Braintrust's deploy script
    # does the same), so no setPendingAdmin/acceptAdmin round through the delay is needed.
    governor_address = sender.next_address(ahead=1)
    timelock = sender.deploy("CompTimelock", governor_address, params.timelock_delay)
    governor = _deploy_governor_alpha(sender, timelock, token, params)
    if governor != governor_address:
        raise DevnetError("The governor was not deployed at its predicted address.")
    target = sender.deploy("GovernanceDecisions", timelock)
    return {
        "token": token,
        "governor": governor,
        "timelock": timelock,
        "target": target,
        "kind": "alpha",
        "clock": "blocknumber",
        "guardian": sender.deployer,
    }


def _deploy_governor_alpha(
    sender: _Sender, timelock: str, token: str, params: StackParams
) -> ChecksumAddress:
    # Braintrust's constructor order: timelock, BTRST, guardian, quorum, threshold, period.
    return sender.deploy(
        "GovernorAlpha",
        timelock,
        token,
        sender.deployer,  # guardian, as on Braintrust's mainnet deployment
        params.quorum,
        params.proposal_threshold,
        params.voting_period,
    )


def _deploy_bravo(sender: _Sender) -> dict[str, str]:
    """Compound's path to Bravo: an Alpha runs the timelock first, then Bravo takes over."""
    params = BRAVO_PARAMS
    token = _compound_token(sender, params, btrst=False)
    alpha_address = sender.next_address(ahead=1)
    timelock = sender.deploy("CompTimelock", alpha_address, params.timelock_delay)
    alpha = _deploy_governor_alpha(sender, timelock, token, replace(params, voting_period=30))
    if alpha != alpha_address:
        raise DevnetError("The predecessor Alpha was not deployed at its predicted address.")
    _alpha_history(sender, alpha, token)
    implementation = sender.deploy("GovernorBravoDelegate")
    governor = sender.deploy(
        "GovernorBravoDelegator",
        timelock,
        token,
        sender.deployer,  # admin (Compound hands it to the timelock later, by a proposal)
        implementation,
        params.voting_period,
        params.voting_delay,
        params.proposal_threshold,
    )
    _hand_timelock_to_bravo(sender, alpha, timelock, governor, params.timelock_delay)
    target = sender.deploy("GovernanceDecisions", timelock)
    return {
        "token": token,
        "governor": governor,
        "timelock": timelock,
        "target": target,
        "kind": "bravo",
        "clock": "blocknumber",
        "implementation": implementation,
        "predecessor": alpha,
    }


def _alpha_history(sender: _Sender, alpha: str, token: str) -> None:
    """One proposal on the predecessor Alpha (then cancelled), so Bravo's ids start at 2."""
    sender.call("CompToken", token, "delegate", sender.deployer)
    sender.rpc("anvil_mine", ["0x1"])  # votes count from the block before the proposal's
    description = "Devnet: the GovernorAlpha proposal that Bravo's ids continue after"
    sender.call("GovernorAlpha", alpha, "propose", [token], [0], ["name()"], [b""], description)
    sender.call("GovernorAlpha", alpha, "cancel", 1)  # the guardian may cancel any proposal


def _hand_timelock_to_bravo(
    sender: _Sender, alpha: str, timelock: str, bravo: str, delay: int
) -> None:
    """The Alpha's guardian names Bravo the timelock's pending admin; Bravo's ``_initiate``
    accepts it and continues the Alpha's proposal ids."""
    now = int(sender.w3.eth.get_block("latest")["timestamp"])
    eta = now + delay + 1
    sender.call("GovernorAlpha", alpha, "__queueSetTimelockPendingAdmin", bravo, eta)
    sender.rpc("evm_setNextBlockTimestamp", [eta])
    sender.rpc("evm_mine", [])
    sender.call("GovernorAlpha", alpha, "__executeSetTimelockPendingAdmin", bravo, eta)
    sender.call("GovernorBravoDelegate", bravo, "_initiate", alpha)
    if sender.read("CompTimelock", timelock, "admin") != bravo:
        raise DevnetError("The timelock did not accept GovernorBravo as its admin.")


_STACK_DEPLOYERS: dict[str, Callable[[_Sender], dict[str, str]]] = {
    "oz": lambda sender: _deploy_oz(sender, "oz"),
    "oz-timestamp": lambda sender: _deploy_oz(sender, "oz-timestamp"),
    "oz-v4": lambda sender: _deploy_oz(sender, "oz-v4"),
    "bravo": _deploy_bravo,
    "alpha": lambda sender: _deploy_alpha(sender, "alpha"),
    "braintrust": lambda sender: _deploy_alpha(sender, "braintrust"),
}


def _token_artifact(name: str) -> str:
    oz = OZ_STACK_ARTIFACTS.get(name)
    return oz.token if oz else "CompToken"


def token_shares(supply: int, count: int) -> list[int]:
    """Token amounts per dev account: SHARES_BPS of ``supply``; account 0 keeps the rest."""
    amounts = [supply * bps // 10_000 for bps in SHARES_BPS[:count]] + [0] * (
        count - len(SHARES_BPS)
    )
    amounts[0] = supply - sum(amounts[1:])
    return amounts


def _distribute(
    sender: _Sender, name: str, stack: Mapping[str, str], accounts: Sequence[DevAccount]
) -> None:
    token = stack["token"]
    artifact = _token_artifact(name)
    supply = STACK_PARAMS[name].supply
    for account, amount in zip(accounts[1:], token_shares(supply, len(accounts))[1:], strict=True):
        if amount:
            sender.call(artifact, token, "transfer", account.address, amount)
    for account in accounts[:DELEGATED_ACCOUNTS]:
        sender.call(artifact, token, "delegate", account.address, sender=account.address)

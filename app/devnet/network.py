"""A whole devnet: anvil plus the deployed governance stacks, started and stopped as one."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from app.devnet.anvil import AnvilOptions, AnvilProcess
from app.devnet.control import DevnetControl
from app.devnet.dev_accounts import DevAccount, dev_accounts
from app.errors import DevnetError

if TYPE_CHECKING:  # the hub pulls in graphql-core and web3: import it only when it starts
    from app.devnet.hub.server import LocalHub


def space_id_for(stack: str) -> str:
    """The Snapshot space the local hub serves for a stack (e.g. ``alpha.govdesk.eth``)."""
    return f"{stack}.govdesk.eth"


# A space whose power counts Snapshot delegations (the Delegate Registry), on one stack's token.
DELEGATION_SPACE = "delegation.govdesk.eth"
DELEGATION_STACK = "alpha"  # its token, when the devnet has this stack; else the first stack's


class Devnet:
    """anvil with our contracts deployed; a context manager that leaves no process behind."""

    def __init__(
        self,
        *,
        stacks: Sequence[str] = (),
        options: AnvilOptions | None = None,
        hub: bool = True,
        hub_clock: Callable[[], float] = time.time,
        state_dir: Path | None = None,
    ) -> None:
        self.stacks = tuple(stacks)
        # With ``state_dir``, the chain, the hub's messages and the deployed addresses are kept
        # there between runs; a devnet started on a kept folder does not deploy again.
        self.state_dir = state_dir
        if state_dir is not None:
            state_dir.mkdir(parents=True, exist_ok=True)
            options = replace(options or AnvilOptions(), state_path=str(state_dir / "chain.json"))
        self.anvil = AnvilProcess(options)
        self.resumed = False  # True when started from a kept state
        self.accounts: list[DevAccount] = []
        self.deployments: dict[str, dict[str, str]] = {}
        self._want_hub = hub
        self._hub_clock = hub_clock  # the demo fast-forwards chain time and hub time together
        self.hub: LocalHub | None = None
        self.multicall: str | None = None
        self.safes: dict[str, str] = {}  # name → address, once created (create_safes)

    @property
    def rpc_url(self) -> str:
        return self.anvil.rpc_url

    @property
    def chain_id(self) -> int:
        return self.anvil.options.chain_id

    @property
    def control(self) -> DevnetControl:
        """Mine blocks, advance time, snapshot/revert (see app.devnet.control)."""
        return DevnetControl(self.rpc_url)

    def stack(self, name: str) -> dict[str, str]:
        """Addresses of one deployed stack ("token", "governor", "timelock", "target", ...)."""
        if name not in self.deployments:
            deployed = ", ".join(self.deployments) or "none"
            raise DevnetError(f"The devnet has no {name!r} stack (deployed: {deployed}).")
        return self.deployments[name]

    def start(self) -> Devnet:
        self.anvil.start()
        try:
            self.accounts = dev_accounts(self.anvil.options.accounts, self.anvil.options.mnemonic)
            if not self._resume():
                self._forget_hub()  # its messages belong to the chain that is gone
                self._deploy()
                self._save_deployments()
            if self._want_hub:
                self.hub = self._start_hub()
        except BaseException:
            self.stop()
            raise
        return self

    @property
    def delegation_stack(self) -> str | None:
        """The stack whose token powers :data:`DELEGATION_SPACE` (None without stacks)."""
        if DELEGATION_STACK in self.deployments:
            return DELEGATION_STACK
        return next(iter(sorted(self.deployments)), None)

    def _start_hub(self) -> LocalHub:
        """The local Snapshot-compatible hub: one space per stack, power from its token; and
        :data:`DELEGATION_SPACE`, where Snapshot delegations count too."""
        from app.devnet.hub import ChainVotingPower, LocalHub, delegation_space, token_space

        spaces = []
        for name, addrs in sorted(self.deployments.items()):
            compound = addrs.get("kind", name) in {"alpha", "bravo"}
            spaces.append(
                token_space(
                    space_id_for(name),
                    addrs["token"],
                    chain_id=self.chain_id,
                    method="getPriorVotes" if compound else "getPastVotes",
                    clock=addrs.get("clock", "blocknumber"),
                    name=f"govdesk devnet ({name})",
                    admins=[self.accounts[0].address] if self.accounts else [],
                    tier="devnet",  # real rules, but no daily proposal limit for a dev session
                )
            )
        stack = self.delegation_stack
        if stack is not None:
            spaces.append(delegation_space(
                DELEGATION_SPACE, self.deployments[stack]["token"], chain_id=self.chain_id,
                name=f"govdesk devnet ({stack}, Snapshot delegation)",
                admins=[self.accounts[0].address] if self.accounts else [], tier="devnet",
            ))  # fmt: skip
        db = str(self.state_dir / "hub.sqlite3") if self.state_dir is not None else ":memory:"
        from app.devnet.hub.contract_signatures import ChainContractSignatures

        return LocalHub(
            spaces, ChainVotingPower(self.rpc_url), db_path=db, clock=self._hub_clock,
            contracts=ChainContractSignatures(self.rpc_url),
        ).start()  # fmt: skip

    def _kept(self) -> Path | None:
        return self.state_dir / "devnet.json" if self.state_dir is not None else None

    def _resume(self) -> bool:
        """Take the addresses of a kept devnet whose chain still has its contracts."""
        kept = self._kept()
        if kept is None or not kept.exists():
            return False
        try:
            saved = json.loads(kept.read_text("utf-8"))
            governor = saved["stacks"][self.stacks[0]]["governor"] if self.stacks else None
        except (OSError, ValueError, KeyError, IndexError, TypeError):
            return False
        if governor and self.control.request("eth_getCode", [governor, "latest"]) in ("0x", None):
            return False  # the chain was not kept (or is another one): deploy afresh
        self.deployments = {k: dict(v) for k, v in saved["stacks"].items()}
        self.multicall = saved.get("multicall")
        self.safes = dict(saved.get("safes") or {})
        self.resumed = True
        return True

    def _forget_hub(self) -> None:
        if self.state_dir is not None:
            (self.state_dir / "hub.sqlite3").unlink(missing_ok=True)

    def _save_deployments(self) -> None:
        kept = self._kept()
        if kept is not None:
            payload = {"stacks": self.deployments, "multicall": self.multicall, "safes": self.safes}
            kept.write_text(json.dumps(payload, indent=2), "utf-8")

    def _deploy(self) -> None:
        if not self.stacks:
            return
        from app.devnet.deploy import deploy_devnet

        result = deploy_devnet(self.rpc_url, self.stacks, self.accounts)
        self.multicall = result.multicall
        self.deployments = {name: dict(addrs) for name, addrs in result.stacks.items()}
        from app.devnet.delegate_registry import install_delegate_registry

        # Snapshot's Delegate Registry at its mainnet address (one transaction).
        install_delegate_registry(self.rpc_url, self.accounts[0].address)

    def create_safes(self) -> dict[str, str]:
        """The devnet's Safes (``app.devnet.safes.DEVNET_SAFES``), created once and kept with
        the devnet's addresses. Seeding creates them, so a plain devnet (tests, ``devnet up``)
        starts without the Safe contracts' deployment time."""
        if not self._safes_on_chain():
            from web3 import Web3

            from app.devnet.safes import create_devnet_safes

            w3 = Web3(Web3.HTTPProvider(self.rpc_url, request_kwargs={"timeout": 30}))
            self.safes = create_devnet_safes(w3, [a.address for a in self.accounts])
            self._save_deployments()
        return self.safes

    def _safes_on_chain(self) -> bool:
        """Whether the Safes recorded are there (a reverted chain may have lost them)."""
        return bool(self.safes) and all(
            self.control.request("eth_getCode", [a, "latest"]) not in ("0x", None)
            for a in self.safes.values()
        )

    def stop(self) -> None:
        hub, self.hub = self.hub, None
        if hub is not None:
            hub.stop()
        self.anvil.stop()

    def describe(self) -> dict[str, Any]:
        """The JSON that `govdesk devnet up --json` prints."""
        return {
            "rpc_url": self.rpc_url,
            "chain_id": self.chain_id,
            "multicall": self.multicall,
            "hub_url": self.hub.url if self.hub else None,
            "sequencer_url": self.hub.sequencer_url if self.hub else None,
            "spaces": {name: space_id_for(name) for name in self.deployments} if self.hub else {},
            "delegation_space": (
                {"id": DELEGATION_SPACE, "stack": self.delegation_stack}
                if self.hub and self.delegation_stack
                else None
            ),
            "safes": self.safes,
            "stacks": self.deployments,
            "accounts": [{"address": a.address, "dev_key": a.dev_key} for a in self.accounts],
        }

    def __enter__(self) -> Devnet:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

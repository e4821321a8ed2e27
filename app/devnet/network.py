"""A whole devnet: anvil plus the deployed governance stacks, started and stopped as one."""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Any

from app.devnet.anvil import AnvilOptions, AnvilProcess
from app.devnet.control import DevnetControl
from app.devnet.dev_accounts import DevAccount, dev_accounts
from app.errors import DevnetError


class Devnet:
    """anvil with our contracts deployed; a context manager that leaves no process behind."""

    def __init__(self, *, stacks: Sequence[str] = (), options: AnvilOptions | None = None) -> None:
        self.stacks = tuple(stacks)
        self.anvil = AnvilProcess(options)
        self.accounts: list[DevAccount] = []
        self.deployments: dict[str, dict[str, str]] = {}
        self.multicall: str | None = None

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
            self._deploy()
        except BaseException:
            self.anvil.stop()
            raise
        return self

    def _deploy(self) -> None:
        if not self.stacks:
            return
        from app.devnet.deploy import deploy_devnet

        result = deploy_devnet(self.rpc_url, self.stacks, self.accounts)
        self.multicall = result.multicall
        self.deployments = {name: dict(addrs) for name, addrs in result.stacks.items()}

    def stop(self) -> None:
        self.anvil.stop()

    def describe(self) -> dict[str, Any]:
        """The JSON that `govdesk devnet up --json` prints."""
        return {
            "rpc_url": self.rpc_url,
            "chain_id": self.chain_id,
            "multicall": self.multicall,
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

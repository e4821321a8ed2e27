"""Organisations: which network, Snapshot space, governor, token and timelock make up each one.

A user's organisations live in ``orgs.json`` in the platform's config folder (platformdirs),
written atomically. Presets cover Braintrust on Ethereum mainnet and each devnet stack; a preset
can be copied and edited but is never written over. Nothing here talks to the network.
"""

from __future__ import annotations

import ipaddress
import json
import math
import os
import re
import tempfile
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import platformdirs

from app.domain.endpoints import sequencer_for
from app.errors import ConfigError

ORGS_FILE = "orgs.json"
ORGS_FORMAT_VERSION = 2  # 2: snapshot_sequencer (version-1 files read with it resolved)
MAX_CHAIN_ID = 2**53 - 1  # EIP-2294; SQLite and JavaScript both hold it exactly
# Cloud metadata services: an RPC URL pointing there could read the machine's credentials.
_REFUSED_HOSTS = frozenset({"metadata.google.internal", "metadata", "instance-data"})
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


@dataclass(frozen=True)
class Network:
    chain_id: int
    name: str
    rpc_urls: tuple[str, ...] = ()  # in fallback order
    block_time_s: float = 12.0  # for wall-clock estimates under a block-number clock
    multicall: str = ""  # Multicall3 address; empty: the canonical one, if deployed


@dataclass(frozen=True)
class Conventions:
    """How an organisation marks its phases, and when a temperature check passes."""

    temperature_tags: tuple[str, ...] = ("[temperature check]", "[temp check]", "[tc]")
    consensus_tags: tuple[str, ...] = ("[consensus check]", "[cc]")
    temperature_yes_choice: int = 1
    temperature_quorum: float = 0.0  # 0: simple majority of yes, no quorum


@dataclass(frozen=True)
class Organisation:
    slug: str
    name: str
    network: Network
    snapshot_space: str = ""
    snapshot_hub: str = ""  # GraphQL hub base URL; empty: hub.snapshot.org
    snapshot_sequencer: str = ""  # where signed messages go; empty: resolved from the hub
    governor: str = ""
    token: str = ""
    timelock: str = ""
    forum_url: str = ""
    conventions: Conventions = field(default_factory=Conventions)
    preset: bool = False


MAINNET = Network(
    1, "Ethereum", ("https://ethereum-rpc.publicnode.com", "https://eth.llamarpc.com")
)

BRAINTRUST = Organisation(
    slug="braintrust",
    name="Braintrust (BTRST)",
    network=MAINNET,
    snapshot_space="usebraintrust.eth",
    snapshot_hub="https://hub.snapshot.org",
    snapshot_sequencer="https://seq.snapshot.org/",
    governor="0x1a0D3d5a43e53510f80F16905Bc96e907A47dD01",
    token="0x799ebfABE77a6E34311eeEe9825190B9ECe32824",  # noqa: S106 - an address, not a secret
    timelock="0xb6f1F016175588a049fDA12491cF3686De33990B",
    forum_url="https://www.usebraintrust.com/governance",
    preset=True,
)


def devnet_organisations(devnet: Mapping[str, Any]) -> list[Organisation]:
    """One preset per stack of a running devnet (the JSON of `govdesk devnet up --json`)."""
    network = Network(
        int(devnet["chain_id"]),
        "govdesk devnet",
        (str(devnet["rpc_url"]),),
        1.0,
        str(devnet.get("multicall") or ""),
    )
    orgs = []
    stacks = devnet.get("stacks", {})
    for stack, addrs in sorted(stacks.items()):
        orgs.append(_devnet_org(devnet, network, f"devnet-{stack}", f"Devnet ({stack})",
                                f"{stack}.govdesk.eth", addrs))  # fmt: skip
    delegation = devnet.get("delegation_space")
    if delegation and delegation.get("stack") in stacks:
        stack = str(delegation["stack"])
        orgs.append(_devnet_org(devnet, network, "devnet-delegation",
                                f"Devnet ({stack}, Snapshot delegation)", str(delegation["id"]),
                                stacks[stack]))  # fmt: skip
    return orgs


def _devnet_org(
    devnet: Mapping[str, Any], network: Network, slug: str, name: str, space: str,
    addrs: Mapping[str, str],
) -> Organisation:  # fmt: skip
    return Organisation(
        slug=slug,
        name=name,
        network=network,
        snapshot_space=space,
        snapshot_hub=str(devnet.get("hub_url") or ""),
        snapshot_sequencer=str(devnet.get("sequencer_url") or ""),
        governor=addrs["governor"],
        token=addrs["token"],
        timelock=addrs["timelock"],
        preset=True,
    )


def validate(org: Organisation) -> Organisation:
    """Check every field; return the organisation with checksummed addresses."""
    if not _SLUG.match(org.slug):
        raise ConfigError(
            f"“{org.slug}” is not a valid short name: "
            "use 1-40 lower-case letters, digits or dashes."
        )
    if not org.name.strip():
        raise ConfigError("An organisation needs a name.")
    chain_id = org.network.chain_id
    if isinstance(chain_id, bool) or not 0 < chain_id <= MAX_CHAIN_ID:
        raise ConfigError(f"Chain id {chain_id} is not valid: it must be 1 to {MAX_CHAIN_ID}.")
    block_time = org.network.block_time_s
    if not math.isfinite(block_time) or block_time <= 0:
        raise ConfigError(f"The block time {block_time} is not valid: give seconds above zero.")
    quorum = org.conventions.temperature_quorum
    if not math.isfinite(quorum) or quorum < 0:
        raise ConfigError(f"The quorum {quorum} is not valid: give a number of zero or more.")
    for url in (*org.network.rpc_urls, org.snapshot_hub, org.snapshot_sequencer, org.forum_url):
        _check_url(url)
    if not org.governor and not org.snapshot_space:
        raise ConfigError("An organisation needs a governor address, a Snapshot space, or both.")
    network = replace(org.network, multicall=_checksum("multicall", org.network.multicall))
    return replace(
        org,
        network=network,
        governor=_checksum("governor", org.governor),
        token=_checksum("token", org.token),
        timelock=_checksum("timelock", org.timelock),
    )


def sequencer_url(org: Organisation) -> str:
    """Where ``org``'s signed Snapshot messages are sent (never the GraphQL hub itself)."""
    return sequencer_for(org.snapshot_hub, org.snapshot_sequencer)


def _check_url(url: str) -> None:
    if not url:
        return
    if any(c.isspace() or unicodedata.category(c) in {"Cc", "Cf"} for c in url):
        raise ConfigError(f"The URL {url!r} has spaces, control or invisible characters.")
    try:
        parsed = urlparse(url)
        port = parsed.port  # raises ValueError when out of 0-65535
        host = parsed.hostname
    except ValueError as exc:
        raise ConfigError(f"“{url}” is not a valid URL ({exc}).") from None
    if parsed.scheme not in {"http", "https"} or not host:
        raise ConfigError(f"“{url}” is not an http(s) URL.")
    if port == 0:
        raise ConfigError(f"“{url}” has port 0; give a port from 1 to 65535.")
    if host in _REFUSED_HOSTS or _address_kind(host) == "refused":
        raise ConfigError(
            f"“{url}” points at {host}: link-local, cloud metadata and unspecified addresses"
            " are refused."
        )


def url_warnings(org: Organisation) -> list[str]:
    """Advice for a person saving ``org``: private-network endpoints are allowed but named."""
    warnings = []
    for url in (*org.network.rpc_urls, org.snapshot_hub, org.forum_url):
        host = urlparse(url).hostname if url else None
        if host and _address_kind(host) == "private":
            warnings.append(f"{url} is on a private network: other people cannot check it.")
    return warnings


def _address_kind(host: str) -> str:
    """ "refused", "private" or "public" for a literal IP host; names are "public"."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "public"
    if address.is_link_local or address.is_unspecified or address.is_multicast:
        return "refused"
    if address.is_private and not address.is_loopback:
        return "private"
    return "public"


def _checksum(name: str, value: str) -> str:
    if not value:
        return ""
    from eth_utils.address import is_address, to_checksum_address  # heavy: load when needed

    if not is_address(value):
        raise ConfigError(f"The {name} address “{value}” is not a valid Ethereum address.")
    return str(to_checksum_address(value))


def default_config_dir() -> Path:
    override = os.environ.get("GOVDESK_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir("govdesk"))


class OrgBook:
    """The user's organisations plus the presets, backed by ``orgs.json``."""

    def __init__(
        self, config_dir: Path | None = None, presets: Sequence[Organisation] = ()
    ) -> None:
        self.path = (config_dir or default_config_dir()) / ORGS_FILE
        self._presets = {o.slug: o for o in (BRAINTRUST, *presets)}
        # Parsed orgs.json, keyed by the file's (mtime, size): read again only when it changed
        # (the window asks for the current organisation often; the CLI may edit the file).
        self._cache: tuple[tuple[int, int], list[Organisation]] | None = None

    def add_presets(self, presets: Sequence[Organisation]) -> None:
        """Offer more presets for this session (e.g. the stacks of a devnet that just started)."""
        self._presets.update({o.slug: o for o in presets})

    def user_orgs(self) -> list[Organisation]:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return []
        stamp = (stat.st_mtime_ns, stat.st_size)
        if self._cache is not None and self._cache[0] == stamp:
            return list(self._cache[1])
        try:
            raw = json.loads(self.path.read_text("utf-8"))
            orgs = [_from_json(item) for item in raw["organisations"]]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigError(
                f"The organisations file {self.path} is damaged; fix or remove it.",
                detail=str(exc),
            ) from exc
        self._cache = (stamp, orgs)
        return list(orgs)

    def all(self) -> list[Organisation]:
        users = self.user_orgs()
        taken = {o.slug for o in users}
        return [*users, *(p for slug, p in self._presets.items() if slug not in taken)]

    def get(self, slug: str) -> Organisation:
        for org in self.all():
            if org.slug == slug:
                return org
        known = ", ".join(o.slug for o in self.all())
        raise ConfigError(f"No organisation “{slug}”. Known: {known}.")

    def save(self, org: Organisation) -> Organisation:
        org = replace(validate(org), preset=False)
        others = [o for o in self.user_orgs() if o.slug != org.slug]
        self._write([*others, org])
        return org

    def remove(self, slug: str) -> None:
        users = self.user_orgs()
        if slug not in {o.slug for o in users}:
            raise ConfigError(
                f"“{slug}” is not one of your organisations (presets cannot be removed)."
            )
        self._write([o for o in users if o.slug != slug])

    def _write(self, orgs: Sequence[Organisation]) -> None:
        payload = {
            "version": ORGS_FORMAT_VERSION,
            "organisations": [_to_json(o) for o in orgs],
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Write a sibling file, then rename over the old one: a crash leaves one or the other.
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".orgs-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, indent=2)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(self.path)
        self._cache = None


def _to_json(org: Organisation) -> dict[str, Any]:
    data = asdict(org)
    data.pop("preset")
    return data


def _from_json(item: Mapping[str, Any]) -> Organisation:
    network = dict(item["network"])
    network["rpc_urls"] = tuple(network.get("rpc_urls", ()))
    conventions = dict(item.get("conventions", {}))
    for key in ("temperature_tags", "consensus_tags"):
        if key in conventions:
            conventions[key] = tuple(conventions[key])
    fields = {k: v for k, v in item.items() if k not in {"network", "conventions", "preset"}}
    if not fields.get("snapshot_sequencer") and fields.get("snapshot_hub"):
        # A version-1 file knew one URL: Snapshot's own hubs get their sequencer; any other hub
        # (self-hosted, devnet) keeps taking POST / at the same URL, as it did.
        fields["snapshot_sequencer"] = sequencer_for(str(fields["snapshot_hub"]))
    return Organisation(
        network=Network(**network), conventions=Conventions(**conventions), **fields
    )

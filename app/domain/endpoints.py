"""Where Snapshot's reads and writes go: the GraphQL hub and the sequencer are separate services.

Snapshot's own hubs (mainnet and testnet) have a sequencer on another host; this module is the
one place that knows the pairs, used by the desktop app, the CLI and the outbox. Any other hub
(a self-hosted one, the devnet's) must be given its sequencer URL explicitly; without one, the
hub's own base URL is assumed (as in snapshot.js, whose ``Client712`` posts to the URL it is given).
"""

from __future__ import annotations

from typing import Final

DEFAULT_HUB: Final = "https://hub.snapshot.org"
DEFAULT_SEQUENCER: Final = "https://seq.snapshot.org/"
_SEQUENCERS: Final = {
    "https://hub.snapshot.org": "https://seq.snapshot.org/",
    "https://testnet.hub.snapshot.org": "https://testnet.seq.snapshot.org/",
}


def _base(url: str) -> str:
    base = url.strip().rstrip("/")
    return base.removesuffix("/graphql")


def known_sequencer(hub_url: str) -> str | None:
    """The sequencer of one of Snapshot's own hubs, or None for any other hub."""
    return _SEQUENCERS.get(_base(hub_url))


def sequencer_for(hub_url: str, explicit: str = "") -> str:
    """The URL signed messages are POSTed to, for a hub and an optional configured sequencer."""
    if explicit.strip():
        return _base(explicit) + "/"
    if not hub_url.strip():
        return DEFAULT_SEQUENCER
    return known_sequencer(hub_url) or _base(hub_url) + "/"


def hub_or_default(hub_url: str) -> str:
    return _base(hub_url) if hub_url.strip() else DEFAULT_HUB

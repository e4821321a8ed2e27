"""The built-in local devnet: anvil, our governance contracts, and (later) a local Snapshot hub.

Nothing else in ``app`` imports this package; the CLI, the demo and the tests do.
"""

"""Snapshot off-chain governance: typed data, choice rules, the sequencer, the outbox and the hub.

Messages are built as EIP-712 typed data exactly as snapshot.js signs them (``typed_data``),
checked against the sequencer's rules before anything is signed (``choices``, ``limits``),
signed into an envelope (``envelope``), kept in the outbox until the hub answers (``outbox``)
and sent to the sequencer (``sequencer``). Reads go through the hub's GraphQL API
(``hub_client``).
"""

"""Ledger (Ethereum app) and Trezor as signers: ``HardwareSigner`` behind the ``Signer`` protocol.

- ``base``: paths, EIP-712 hashes, the ``HardwareDevice`` interface;
- ``ledger``: our APDU client of the Ethereum app and its USB HID transport (hidapi);
- ``trezor``: the Ethereum message loops over trezorlib's protobuf messages and transports;
- ``signer``: discovery, the address picker's listing, and ``HardwareSigner``;
- ``errors``: what goes wrong, in plain words with what to do.
"""

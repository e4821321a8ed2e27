"""Safe (multisig) accounts: the hashes owners sign, their signatures combined, the Safe read.

- :mod:`app.safe.hashes` — EIP-712 hashes of a Safe message (EIP-1271) and a Safe transaction,
  exactly as Safe v1.3/v1.4 contracts compute them (pure; no I/O).
- :mod:`app.safe.signatures` — owner signatures checked, sorted and packed as ``checkSignatures``
  requires.
- :mod:`app.safe.client` — a Safe's owners, threshold and nonce read from the chain, EIP-1271
  checks, and ``execTransaction`` calls.

No key lives here: owners sign the typed data from :mod:`app.safe.hashes` through their own
signer (this device, air-gapped, or another owner's file), and this package only combines.
"""

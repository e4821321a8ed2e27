"""Talking to an EVM chain: RPC endpoints with fallback and retries, Multicall3 batching, log
scanning with adaptive block ranges, revert decoding and transaction sending.

Qt-free and async. Nothing here knows about governance; ``app.governor`` builds on it.
"""

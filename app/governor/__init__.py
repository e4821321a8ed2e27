"""On-chain governance: Governor contracts of the OpenZeppelin (v4, v5) and Compound (Alpha,
Bravo) families, detected from the chain, read in batches, and written through unsigned
transactions that ``app.chain.transactions`` signs and sends.
"""

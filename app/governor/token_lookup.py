"""Find a governor's voting token by what it does, not by what its getter is called.

Deployments name the getter differently: our OpenZeppelin governors ``token()``, Compound's
``comp()``, Braintrust's GovernorAlpha ``BTRST()``. A token is any contract that answers
``getPriorVotes(address,uint256)`` (Comp style) or ``getPastVotes(address,uint256)`` (ERC-5805)
with one 32-byte word. In order:

1. the organisation's own token, when it is known (checked, never guessed over);
2. the known getters, in one batch;
3. every zero-argument function whose selector appears in the governor's bytecode, called in
   one batch; each 32-byte answer that reads as an address is a candidate, checked the same way.

Failing all of them, ``TokenNotFoundError`` asks for the address (``--token``, or the Token
field of the organisation).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from eth_utils.address import to_checksum_address

from app.chain.abi_codec import checksum_address, fn
from app.chain.multicall import Call, CallResult, Multicall
from app.governor.errors import TokenNotFoundError

TOKEN_GETTERS = (fn("token()", "address"), fn("comp()", "address"), fn("BTRST()", "address"))
_PRIOR_VOTES = fn("getPriorVotes(address,uint256)", "uint96")
_PAST_VOTES = fn("getPastVotes(address,uint256)", "uint256")
_PROBE_ACCOUNT = "0x000000000000000000000000000000000000dEaD"
_PUSH4, _PUSH1, _PUSH32 = 0x63, 0x60, 0x7F
MAX_SELECTORS = 256  # a dispatcher rarely has more; bounds the batch on odd bytecode


async def find_token(
    multicall: Multicall,
    governor: str,
    code: str,
    *,
    token: str | None,
    named: Sequence[object],
    not_token: object = None,
) -> str:
    """The voting token of ``governor`` (EIP-55). ``named``: what the known getters answered."""
    if token:
        given = checksum_address(token, "token address")
        if not await _answering_votes(multicall, [given]):
            raise TokenNotFoundError(
                f"The token {given} given for the governor at {governor} does not answer "
                "getPriorVotes or getPastVotes, so it cannot be its voting token. Check the "
                "address (--token, or the organisation's Token field)."
            )
        return given
    excluded = {governor.lower(), str(not_token or "").lower()}
    candidates = _unique(a for a in named if isinstance(a, str) and a.lower() not in excluded)
    found = await _answering_votes(multicall, candidates)
    if found:
        return found[0]
    candidates = await _address_getters(multicall, governor, code, excluded | set(candidates))
    found = await _answering_votes(multicall, candidates)
    if found:
        return found[0]
    raise TokenNotFoundError(
        f"The governor at {governor} names no voting token govdesk can recognise (it tried "
        "token(), comp(), BTRST() and every other address getter). Give the token's address: "
        "--token ADDR on the command line, or the Token field of the organisation."
    )


async def _answering_votes(multicall: Multicall, candidates: Sequence[str]) -> list[str]:
    """The candidates (in order) that answer a votes getter with one word."""
    if not candidates:
        return []
    calls = [
        Call(c, f.encode(_PROBE_ACCOUNT, 0))
        for c in candidates
        for f in (_PRIOR_VOTES, _PAST_VOTES)
    ]
    results = await multicall.run(calls)
    return [
        c
        for i, c in enumerate(candidates)
        if _is_word(results[2 * i]) or _is_word(results[2 * i + 1])
    ]


async def _address_getters(
    multicall: Multicall, governor: str, code: str, excluded: set[str]
) -> list[str]:
    selectors = bytecode_selectors(bytes.fromhex(code.removeprefix("0x")))
    if not selectors:
        return []
    results = await multicall.run([Call(governor, s) for s in selectors])
    found = (_as_address(r) for r in results)
    return _unique(a for a in found if a is not None and a.lower() not in excluded)


def bytecode_selectors(code: bytes) -> list[bytes]:
    """Every PUSH4 operand in ``code`` (push data skipped), in order, at most MAX_SELECTORS.

    Solidity's dispatcher compares the call's selector with each function's as a PUSH4, so this
    finds the functions (and some other constants, which are harmless to call).
    """
    found: dict[bytes, None] = {}
    i = 0
    while i < len(code) and len(found) < MAX_SELECTORS:
        op = code[i]
        if op == _PUSH4:
            found[code[i + 1 : i + 5]] = None
        i += 1 + (op - _PUSH1 + 1 if _PUSH1 <= op <= _PUSH32 else 0)
    return [s for s in found if len(s) == 4]


def _is_word(result: CallResult) -> bool:
    return result.success and len(result.data) == 32


def _as_address(result: CallResult) -> str | None:
    """A 32-byte answer that is a left-padded, non-zero address."""
    if not _is_word(result) or any(result.data[:12]) or not any(result.data[12:]):
        return None
    return str(to_checksum_address(result.data[12:]))


def _unique(addresses: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for address in addresses:
        seen.setdefault(address.lower(), str(to_checksum_address(address)))
    return list(seen.values())

"""The actions builder: functions from known ABIs, arguments parsed per type with clear errors."""

from __future__ import annotations

import re

import pytest

from app.chain.abi_codec import fn
from app.errors import InputError
from app.pipeline.actions_builder import (
    Parameter,
    build_action,
    known_contracts,
    parse_argument,
    writable_functions,
)

DECISIONS = "0x281E9a847338e77Ad834C68b0C42552c83d7d9Fb"


def _choice(contract: str, signature: str):  # type: ignore[no-untyped-def]
    abi = known_contracts()[contract]
    (found,) = [f for f in writable_functions(contract, abi) if f.signature == signature]
    return found


def test_known_contracts_include_ours_and_erc20_and_hide_views() -> None:
    contracts = known_contracts()
    assert {"ERC20", "GovernanceDecisions", "CompToken"} <= set(contracts)
    signatures = {
        f.signature
        for f in writable_functions("GovernanceDecisions", contracts["GovernanceDecisions"])
    }
    assert {"setMarketplaceFee(uint8)", "addMarketplaceCategory(string)"} <= signatures
    assert "marketplaceFee()" not in signatures


def test_build_action_encodes_a_braintrust_style_decision() -> None:
    call = build_action(
        DECISIONS.lower(), _choice("GovernanceDecisions", "setMarketplaceFee(uint8)"), ["8"]
    )
    assert call.target == DECISIONS
    assert call.calldata() == fn("setMarketplaceFee(uint8)").encode(8)
    assert call.value == 0


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [("uint8", " 255 ", 255), ("uint256", "0x10", 16), ("int8", "-128", -128), ("bool", "TRUE", True),
     ("address", "0x281e9a847338e77ad834c68b0c42552c83d7d9fb", DECISIONS), ("bytes", "0xdead", b"\xde\xad"),
     ("bytes2", "beef", b"\xbe\xef"), ("string", " keep spaces ", " keep spaces "),
     ("uint8[]", "[1, \"2\"]", [1, 2]), ("address[]", f'["{DECISIONS}"]', [DECISIONS])],
)  # fmt: skip
def test_parse_argument_per_type(kind: str, text: str, value: object) -> None:
    assert parse_argument(Parameter("x", kind), text) == value


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [("uint8", "256", "256 is out of range (0 to 255)"), ("int8", "128", "out of range (-128 to 127)"),
     ("uint256", "1.5", "not a whole number"), ("address", "0x12", "not a valid Ethereum address"),
     ("bool", "yes", "write true or false"), ("bytes2", "0xbe", "needs exactly 2 bytes, got 1"),
     ("bytes", "zz", "not hex bytes"), ("uint8[]", "1,2", "write a JSON array")],
)  # fmt: skip
def test_parse_argument_errors_name_the_argument(kind: str, text: str, message: str) -> None:
    with pytest.raises(
        InputError, match=rf"Argument “fee” \({re.escape(kind)}\): .*{re.escape(message)}"
    ):
        parse_argument(Parameter("fee", kind), text)


def test_build_action_checks_target_arity_and_value() -> None:
    set_fee = _choice("GovernanceDecisions", "setMarketplaceFee(uint8)")
    with pytest.raises(InputError, match="target “nope” is not a valid"):
        build_action("nope", set_fee, ["1"])
    with pytest.raises(InputError, match="takes 1 arguments, got 2"):
        build_action(DECISIONS, set_fee, ["1", "2"])
    with pytest.raises(InputError, match="not payable"):
        build_action(DECISIONS, set_fee, ["1"], value_wei=1)

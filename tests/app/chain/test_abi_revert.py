"""Pure tests: signature parsing, ABI round trips, revert decoding."""

from __future__ import annotations

from eth_abi.abi import encode

from app.chain.abi_codec import event, fn, parse_signature, split_types
from app.chain.revert import ErrorRegistry, revert_data_from_error


def test_split_types_keeps_tuples_whole() -> None:
    assert split_types("(address,bool,bytes)[],uint256") == ("(address,bool,bytes)[]", "uint256")


def test_parse_signature_drops_parameter_names() -> None:
    name, types = parse_signature("transfer(address to, uint256 amount)")
    assert (name, types) == ("transfer", ("address", "uint256"))


def test_function_selector_matches_known_value() -> None:
    assert fn("castVote(uint256,uint8)").selector.hex() == "56781388"
    assert fn("propose(address[],uint256[],bytes[],string)").selector.hex() == "7d5e81e2"


def test_function_encode_decode_round_trip() -> None:
    f = fn("transfer(address,uint256)", "bool")
    data = f.encode("0x" + "11" * 20, 5)
    assert f.decode_input(data) == ("0x" + "11" * 20, 5)
    assert f.decode_one(encode(["bool"], [True])) is True


def test_event_decodes_indexed_and_plain_fields_in_order() -> None:
    ev = event("VoteCast(address,uint256,uint8,uint256,string)", "1")
    assert ev.topic0.hex() == "b8e138887d0aa13bab447e82de9d5c1777041ecd21ca36ba824ff1e6c07ddda4"
    voter_topic = encode(["address"], ["0x" + "22" * 20])
    data = encode(["uint256", "uint8", "uint256", "string"], [7, 1, 100, "yes"])
    assert ev.decode([ev.topic0, voter_topic], data) == ("0x" + "22" * 20, 7, 1, 100, "yes")


def test_revert_decodes_error_string() -> None:
    data = bytes.fromhex("08c379a0") + encode(["string"], ["nope"])
    assert ErrorRegistry().describe(data) == "nope"


def test_revert_decodes_panic_code() -> None:
    data = bytes.fromhex("4e487b71") + encode(["uint256"], [0x12])
    assert ErrorRegistry().describe(data) == "panic 0x12: division or modulo by zero"


def test_revert_decodes_custom_error_from_abi_with_names() -> None:
    registry = ErrorRegistry()
    registry.add_abi(
        [
            {
                "type": "error",
                "name": "Unauthorized",
                "inputs": [
                    {"name": "caller", "type": "address"},
                    {"name": "needed", "type": "uint256"},
                ],
            }
        ]
    )
    data = fn("Unauthorized(address,uint256)").encode("0x" + "33" * 20, 42)
    assert registry.describe(data) == f"Unauthorized(caller={'0x' + '33' * 20}, needed=42)"


def test_revert_uses_registered_formatter() -> None:
    registry = ErrorRegistry()
    registry.add_signature("Stuck(uint256)")
    registry.add_formatter("Stuck", lambda values: f"stuck at {values[0]}")
    assert registry.describe(fn("Stuck(uint256)").encode(9)) == "stuck at 9"


def test_revert_unknown_selector_is_shown_raw() -> None:
    assert ErrorRegistry().describe(bytes.fromhex("deadbeef")) == "unknown error 0xdeadbeef"
    assert ErrorRegistry().describe(b"") == "reverted without a reason"


def test_revert_data_extraction_handles_node_shapes() -> None:
    assert revert_data_from_error("0x08c379a0") == bytes.fromhex("08c379a0")
    assert revert_data_from_error({"data": "0xdeadbeef"}) == bytes.fromhex("deadbeef")
    assert revert_data_from_error(None, "execution reverted") == b""
    assert revert_data_from_error(None, "nonce too low") is None

"""build_preview: Snapshot votes, Governor calls and ballots, unknown typed data, chain checks."""

from __future__ import annotations

import json
from typing import Any

import pytest
from eth_abi.abi import encode
from eth_utils.crypto import keccak

from app.artifacts import read_artifact_json
from app.keys.preview import Severity, SigningPreview, build_preview
from tests.app.keys.test_vault_signers import ballot

GOVERNOR = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
TOKEN = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"
ABIS = {
    GOVERNOR: read_artifact_json("OzGovernor")["abi"],
    TOKEN: read_artifact_json("GovToken")["abi"],
}
VOTER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"


def calldata(signature: str, types: list[str], values: list[Any]) -> str:
    return "0x" + (keccak(text=signature)[:4] + encode(types, values)).hex()


def snapshot_vote(choice_type: str, choice: Any) -> dict[str, Any]:
    vote_fields = [
        ("from", "string"),
        ("space", "string"),
        ("timestamp", "uint64"),
        ("proposal", "string"),
        ("choice", choice_type),
        ("reason", "string"),
        ("app", "string"),
        ("metadata", "string"),
    ]
    return {
        "types": {
            "EIP712Domain": [
                {"name": "name", "type": "string"},
                {"name": "version", "type": "string"},
            ],
            "Vote": [{"name": n, "type": t} for n, t in vote_fields],
        },
        "primaryType": "Vote",
        "domain": {"name": "snapshot", "version": "0.1.4"},
        "message": {
            "from": VOTER,
            "space": "braintrust.eth",
            "timestamp": 1700000000,
            "proposal": "0xabc",
            "choice": choice,
            "reason": "good for builders",
            "app": "govdesk",
            "metadata": "{}",
        },
    }


def preview(payload: dict[str, Any], **kwargs: Any) -> SigningPreview:
    options: dict[str, Any] = {"expected_chain_id": 31337, "network_name": "devnet"}
    return build_preview(payload, **(options | kwargs))


CONTEXT = {"proposal_title": "BIP-12: Fund the DAO", "choices": ["For", "Against", "Abstain"]}


def test_snapshot_single_choice_vote_names_the_option_and_proposal() -> None:
    result = preview(snapshot_vote("uint32", 2), context=CONTEXT)
    assert result.kind == "snapshot-vote"
    assert result.field("space") == "braintrust.eth"
    assert result.field("proposal") == "BIP-12: Fund the DAO (0xabc)"
    assert result.field("choice") == "Against (#2)"
    assert result.field("reason") == "good for builders"
    assert result.warnings == ()
    assert json.loads(result.raw_json)["message"]["choice"] == 2


def test_snapshot_approval_and_weighted_votes_are_named() -> None:
    approval = preview(snapshot_vote("uint32[]", [1, 3]), context=CONTEXT)
    assert approval.field("choice") == "For (#1) > Abstain (#3)"
    weighted = preview(snapshot_vote("string", '{"1": 3, "2": 1}'), context=CONTEXT)
    assert weighted.field("choice") == "For (#1): 3, Against (#2): 1"


def test_snapshot_vote_for_a_missing_option_is_dangerous() -> None:
    result = preview(snapshot_vote("uint32", 4), context=CONTEXT)
    assert result.dangerous
    assert "option the proposal does not have" in result.warnings[0].message


def test_snapshot_domain_with_a_chain_id_is_flagged() -> None:
    vote = snapshot_vote("uint32", 1)
    vote["domain"] = vote["domain"] | {"chainId": 1}
    assert preview(vote, context=CONTEXT).dangerous


def test_governor_cast_vote_transaction_is_decoded() -> None:
    tx = {
        "chainId": 31337,
        "nonce": 3,
        "to": GOVERNOR.lower(),
        "value": 0,
        "gas": 90000,
        "maxFeePerGas": 10**9,
        "maxPriorityFeePerGas": 10**8,
        "data": calldata(
            "castVoteWithReason(uint256,uint8,string)",
            ["uint256", "uint8", "string"],
            [42, 1, "yes"],
        ),
    }
    result = preview(tx, known_abis=ABIS)
    assert result.title == "Vote on proposal"
    assert result.field("contract") == GOVERNOR
    assert result.field("function") == "castVoteWithReason(uint256,uint8,string)"
    assert result.field("proposal id") == "42"
    assert result.field("support") == "For"
    assert result.field("reason") == "yes"
    assert result.field("network") == "devnet (chain 31337)"
    assert result.field("value") == "0 ETH"
    assert result.field("gas limit") == "90,000"
    assert result.field("max fee per gas") == "1 gwei"
    assert result.field("max fee") == "0.00009 ETH"
    assert result.warnings == ()


def test_governor_proposal_actions_are_decoded_one_by_one() -> None:
    transfer = calldata("transfer(address,uint256)", ["address", "uint256"], [VOTER, 5])
    data = calldata(
        "propose(address[],uint256[],bytes[],string)",
        ["address[]", "uint256[]", "bytes[]", "string"],
        [[TOKEN], [0], [bytes.fromhex(transfer[2:])], "Pay Alice"],
    )
    tx = {"chainId": 31337, "nonce": 0, "to": GOVERNOR, "gas": 1, "gasPrice": 1, "data": data}
    result = preview(tx, known_abis=ABIS)
    assert result.field("description") == "Pay Alice"
    assert result.field("title") == "Pay Alice"
    assert result.field("action 1") == f"{TOKEN}: transfer(to={VOTER}, value=5)"
    assert not result.dangerous


def test_transaction_on_another_chain_is_dangerous() -> None:
    tx = {"chainId": 1, "nonce": 0, "to": GOVERNOR, "gas": 1, "gasPrice": 1, "value": 10**18}
    result = preview(tx, network_name="Braintrust devnet")
    assert result.dangerous
    assert "chain 1, but Braintrust devnet is chain 31337" in result.warnings[0].message
    assert result.title == "Transfer"
    assert result.field("value") == "1 ETH (1000000000000000000 wei)"
    assert result.field("max total") == "1.000000000000000001 ETH"


def test_unknown_contract_and_unknown_function_are_warned() -> None:
    data = calldata("mystery()", [], [])
    unknown_contract = preview(
        {"chainId": 31337, "nonce": 0, "to": VOTER, "gas": 1, "gasPrice": 1, "data": data}
    )
    assert unknown_contract.warnings[0].severity is Severity.DANGER
    assert unknown_contract.field("calldata") == data
    unknown_fn = preview(
        {"chainId": 31337, "nonce": 0, "to": GOVERNOR, "gas": 1, "gasPrice": 1, "data": data},
        known_abis=ABIS,
    )
    assert unknown_fn.dangerous


def test_contract_deployment_is_dangerous() -> None:
    result = preview({"chainId": 31337, "nonce": 0, "gas": 1, "gasPrice": 1, "data": "0x6080"})
    assert result.dangerous
    assert result.title == "Contract deployment"


def test_governor_ballot_on_the_right_chain_and_contract_is_clean() -> None:
    result = preview(ballot(), known_abis=ABIS)
    assert result.kind == "governor-ballot"
    assert result.title == "Governor vote: For"
    assert result.field("proposal id") == "42"
    assert result.warnings == ()


def test_governor_ballot_with_wrong_chain_or_unknown_contract_is_flagged() -> None:
    assert preview(ballot(chain_id=10), known_abis=ABIS).dangerous
    unknown = preview(ballot())
    assert [w.severity for w in unknown.warnings] == [Severity.WARNING]
    assert "not a known contract" in unknown.warnings[0].message


def test_unknown_primary_type_gets_a_hard_warning_and_every_field() -> None:
    permit = {
        "types": {
            "EIP712Domain": [
                {"name": "name", "type": "string"},
                {"name": "chainId", "type": "uint256"},
                {"name": "verifyingContract", "type": "address"},
            ],
            "Permit": [
                {"name": "owner", "type": "address"},
                {"name": "spender", "type": "address"},
                {"name": "value", "type": "uint256"},
                {"name": "nonce", "type": "uint256"},
                {"name": "deadline", "type": "uint256"},
            ],
        },
        "primaryType": "Permit",
        "domain": {"name": "USD Coin", "chainId": 31337, "verifyingContract": TOKEN},
        "message": {
            "owner": VOTER,
            "spender": GOVERNOR,
            "value": 2**256 - 1,
            "nonce": 0,
            "deadline": 9,
        },
    }
    result = preview(permit, known_abis=ABIS)
    assert result.kind == "unknown-typed-data"
    assert result.dangerous
    assert "Permit" in result.warnings[0].message
    assert result.field("spender") == GOVERNOR
    assert result.field("value") == str(2**256 - 1)
    assert result.field("domain.name") == "USD Coin"
    assert '"primaryType": "Permit"' in result.raw_json


@pytest.mark.parametrize("chain", [None, 5])
def test_typed_data_without_or_with_foreign_chain_is_dangerous(chain: int | None) -> None:
    message = ballot()
    if chain is None:
        del message["domain"]["chainId"]
    else:
        message["domain"]["chainId"] = chain
    assert preview(message, known_abis=ABIS).dangerous

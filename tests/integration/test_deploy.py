"""What deploy_devnet leaves behind: uneven balances, who delegated, a working Multicall3, and the
devnet controls (mine, time, snapshot/revert)."""

from __future__ import annotations

import pytest
from web3 import Web3
from web3.exceptions import ContractLogicError

from app.devnet.deploy import (
    DELEGATED_ACCOUNTS,
    STACK_NAMES,
    STACK_PARAMS,
    TIMELOCK_DELAY_S,
    deploy_devnet,
    token_shares,
)
from app.devnet.network import Devnet
from app.errors import ConfigError, DevnetError
from tests.integration.helpers import contract, send, token_artifact

pytestmark = pytest.mark.integration


def test_token_shares_are_uneven_and_add_up_to_the_supply() -> None:
    shares = token_shares(1_000_000, 10)
    assert sum(shares) == 1_000_000
    assert shares == sorted(shares, reverse=True)
    assert len(set(shares)) == 10
    assert token_shares(1_000, 3) == [600, 250, 150]  # account 0 keeps what is not handed out
    assert token_shares(1_000, 12)[10:] == [0, 0]


@pytest.mark.parametrize("stack_name", sorted(STACK_NAMES))
def test_every_stack_hands_out_shares_and_delegates_the_first_accounts(
    devnet: Devnet, w3: Web3, stack_name: str
) -> None:
    stack = devnet.stack(stack_name)
    token = contract(w3, token_artifact(stack), stack["token"])
    expected = token_shares(STACK_PARAMS[stack_name].supply, len(devnet.accounts))
    for index, account in enumerate(devnet.accounts):
        assert token.functions.balanceOf(account.address).call() == expected[index]
        delegate = token.functions.delegates(account.address).call()
        if index < DELEGATED_ACCOUNTS:
            assert delegate == account.address
        else:
            assert int(delegate, 16) == 0


def test_compound_timelocks_are_administered_by_their_governor(devnet: Devnet, w3: Web3) -> None:
    for name in ("bravo", "alpha"):
        stack = devnet.stack(name)
        timelock = contract(w3, "CompTimelock", stack["timelock"])
        assert timelock.functions.admin().call() == stack["governor"]
        assert timelock.functions.delay().call() == TIMELOCK_DELAY_S
        assert timelock.functions.GRACE_PERIOD().call() == 14 * 24 * 3600


def test_multicall_aggregate3_batches_reads_and_reports_failures(devnet: Devnet, w3: Web3) -> None:
    multicall = contract(w3, "Multicall3", devnet.multicall or "")
    token = contract(w3, "GovToken", devnet.stack("oz")["token"])
    target = contract(w3, "GovernanceDecisions", devnet.stack("oz")["target"])
    holder = devnet.accounts[1].address
    calls = [
        (token.address, False, token.encode_abi("balanceOf", [holder])),
        (target.address, True, target.encode_abi("setMarketplaceFee", [1])),  # reverts
        (multicall.address, False, multicall.encode_abi("getBlockNumber", [])),
    ]
    results = multicall.functions.aggregate3(calls).call()
    assert results[0][0] is True
    assert int.from_bytes(results[0][1], "big") == token.functions.balanceOf(holder).call()
    assert results[1][0] is False
    assert int.from_bytes(results[2][1], "big") == w3.eth.block_number
    strict = [(target.address, False, target.encode_abi("setMarketplaceFee", [1]))]
    with pytest.raises(ContractLogicError, match="Multicall3: call failed"):
        multicall.functions.aggregate3(strict).call()


def test_control_mines_moves_time_and_reverts(isolated_devnet: Devnet) -> None:
    control = isolated_devnet.control
    start_block, start_time = control.block_number(), control.timestamp()
    snapshot = control.snapshot()
    assert control.mine(5) == start_block + 5
    assert control.increase_time(3600) >= start_time + 3600
    control.revert(snapshot)
    assert control.block_number() == start_block
    with pytest.raises(DevnetError):
        control.mine(0)


def test_deploy_rejects_unknown_stacks_before_touching_the_chain(devnet: Devnet) -> None:
    with pytest.raises(ConfigError, match="Unknown devnet stack compound"):
        deploy_devnet(devnet.rpc_url, ["compound"], devnet.accounts)


def test_devnet_names_missing_stacks_clearly(devnet: Devnet) -> None:
    with pytest.raises(DevnetError, match="no 'nouns' stack"):
        devnet.stack("nouns")


def test_comp_token_delegates_by_signature_under_a_domain_without_version(
    isolated_devnet: Devnet, w3: Web3
) -> None:
    from eth_account import Account

    token = contract(w3, "CompToken", isolated_devnet.stack("alpha")["token"])
    delegator = isolated_devnet.accounts[9]
    expiry = isolated_devnet.control.timestamp() + 3600
    typed_data = {
        "types": {
            "EIP712Domain": [
                {"name": "name", "type": "string"},
                {"name": "chainId", "type": "uint256"},
                {"name": "verifyingContract", "type": "address"},
            ],
            "Delegation": [
                {"name": "delegatee", "type": "address"},
                {"name": "nonce", "type": "uint256"},
                {"name": "expiry", "type": "uint256"},
            ],
        },
        "primaryType": "Delegation",
        "domain": {
            "name": "Devnet BTRST",
            "chainId": w3.eth.chain_id,
            "verifyingContract": token.address,
        },
        "message": {"delegatee": delegator.address, "nonce": 0, "expiry": expiry},
    }
    signed = Account.sign_typed_data(delegator.dev_key, full_message=typed_data)
    r, s = signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")
    call = token.functions.delegateBySig(delegator.address, 0, expiry, signed.v, r, s)
    send(w3, call, isolated_devnet.accounts[0].address)  # a relayer pays the gas
    assert token.functions.delegates(delegator.address).call() == delegator.address
    assert token.functions.nonces(delegator.address).call() == 1
    with pytest.raises(ContractLogicError, match="invalid nonce"):
        call.call({"from": isolated_devnet.accounts[0].address})

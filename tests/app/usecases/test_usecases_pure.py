"""Pure parts of the use cases: what a transaction may cost, balances as shown."""

from __future__ import annotations

from app.usecases.accounts import Balances
from app.usecases.signing import max_cost


def test_max_cost_is_gas_limit_times_max_fee_plus_value() -> None:
    tx = {"gas": 50_000, "maxFeePerGas": 3 * 10**9, "value": 10**18}
    assert max_cost(tx) == 50_000 * 3 * 10**9 + 10**18
    assert max_cost({"gas": 21_000, "gasPrice": 10**9}) == 21_000 * 10**9


def test_balances_round_down_and_never_show_dust_as_zero() -> None:
    assert Balances(9_999_987_767_320_143_560_836, None).eth_text == "9,999.9877 ETH"
    assert Balances(0, None).eth_text == "0 ETH"
    assert Balances(5, None).eth_text == "< 0.0001 ETH"
    assert Balances(10**18, 1250 * 10**18, "BTRST").token_text == "1,250 BTRST"

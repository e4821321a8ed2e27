"""The one retry policy: exact backoff for RPC, jittered with Retry-After for the sequencer."""

from __future__ import annotations

import random

import pytest

from app.chain.rpc import RpcClient
from app.domain.retry import RetryPolicy
from app.snapshot.sequencer import SEQUENCER_RETRY, SequencerClient


def test_without_a_random_source_the_backoff_doubles_up_to_its_cap() -> None:
    policy = RetryPolicy(attempts=5, base_delay_s=0.25, max_delay_s=1.5)
    assert [policy.delay(n) for n in range(5)] == [0.25, 0.5, 1.0, 1.5, 1.5]


def test_with_a_random_source_each_wait_is_in_the_upper_half_of_the_backoff() -> None:
    policy = RetryPolicy(attempts=8, base_delay_s=1.0, max_delay_s=16.0)
    rng = random.Random(3)
    waits = [policy.delay(n, rng=rng) for n in range(6)]
    for n, wait in enumerate(waits):
        ceiling = min(16.0, 2.0**n)
        assert ceiling / 2 <= wait <= ceiling
    assert len(set(waits)) == len(waits)


@pytest.mark.parametrize("rng", [None, random.Random(1)])
def test_a_servers_retry_after_is_a_lower_bound(rng: random.Random | None) -> None:
    policy = RetryPolicy(base_delay_s=0.5, max_delay_s=2.0)
    assert policy.delay(0, retry_after=30.0, rng=rng) == 30.0
    assert policy.delay(2, retry_after=0.1) == 2.0


@pytest.mark.parametrize(
    "fields",
    [{"attempts": 0}, {"base_delay_s": -1.0}, {"base_delay_s": 3.0, "max_delay_s": 1.0}],
)
def test_a_policy_that_cannot_work_is_refused(fields: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="retry policy"):
        RetryPolicy(**fields)  # type: ignore[arg-type]


async def test_the_rpc_client_and_the_sequencer_take_the_same_policy() -> None:
    policy = RetryPolicy(attempts=4, base_delay_s=0.1, max_delay_s=0.4)
    rpc = RpcClient(["http://127.0.0.1:1"], chain_id=1, retry=policy)
    assert rpc.retry is policy
    async with SequencerClient("http://127.0.0.1:1/", policy=policy) as sequencer:
        assert sequencer._policy is policy
    assert SEQUENCER_RETRY.attempts == 6

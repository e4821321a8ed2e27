"""`govdesk demo`: one initiative through all four phases on a fresh devnet, headless.

Idea -> temperature check (yes/no, simple majority) -> consensus check (ranked choice) ->
on-chain proposal -> votes -> queue -> timelock delay -> execute, with several dev accounts
voting with different weights. Snapshot messages are signed here and sent to the devnet's local
hub through the outbox; the on-chain part goes through the Governor client. The chain and the
hub share one clock, which the demo fast-forwards instead of waiting days.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.chain.abi_codec import fn
from app.chain.rpc import RpcClient
from app.devnet.deploy import STACK_PARAMS
from app.devnet.network import Devnet, space_id_for
from app.domain.voting import VotingType
from app.errors import DevnetError
from app.governor.client import GovernorClient
from app.governor.model import ProposalState, Support
from app.keys.signer_protocol import LocalKeySigner
from app.orgs import Conventions, devnet_organisations
from app.pipeline import advance
from app.pipeline.actions_builder import (
    FunctionChoice,
    build_action,
    known_contracts,
    writable_functions,
)
from app.pipeline.model import CheckKind, OffchainCheck, TemperatureRule
from app.pipeline.phases import consensus_winner
from app.services import Services
from app.snapshot.envelope import sign_message
from app.snapshot.messages import ProposalDraft, VoteRequest, build_proposal, build_vote
from app.snapshot.outbox import Outbox, deliver
from app.snapshot.sequencer import SequencerClient
from app.tally import TallyVote
from app.tally.hub_scores import ReportedScores, verify_scores

DEMO_STACKS = ("alpha", "bravo", "oz")
CHECK_DURATION_S = 3 * 24 * 3600
FEE_OPTIONS = ("5%", "8%", "10%")
# (account index, temperature choice, consensus ranking, on-chain support)
BALLOTS = (
    (0, 1, (2, 1, 3), Support.FOR),
    (1, 2, (1, 2, 3), Support.AGAINST),
    (2, 1, (2, 3, 1), Support.FOR),
    (3, 1, (3, 2, 1), Support.FOR),
    (4, 2, (1, 3, 2), Support.FOR),
)

Say = Callable[[str], None]


@dataclass
class SharedClock:
    """Wall time plus the seconds the demo fast-forwarded the chain (the hub uses it too)."""

    offset: float = 0.0

    def now(self) -> float:
        return time.time() + self.offset


@dataclass
class DemoResult:
    stack: str
    fee_before: int
    fee_after: int
    steps: list[str] = field(default_factory=list)


class Demo:
    def __init__(
        self, devnet: Devnet, stack: str, services: Services, say: Say, clock: SharedClock
    ):
        self.devnet, self.stack, self.services, self.say, self.clock = (
            devnet,
            stack,
            services,
            say,
            clock,
        )
        self.addrs = devnet.stack(stack)
        self.space = space_id_for(stack)
        self.signers = [
            LocalKeySigner(a.dev_key, chain_id=devnet.chain_id) for a in devnet.accounts
        ]
        hub_url = devnet.describe()["hub_url"]
        self.hub = services.hubs.client(hub_url)  # the stored API key, the store's cache
        self.sequencer = SequencerClient(devnet.describe()["sequencer_url"], clock=clock.now)
        self.outbox = Outbox(services.store.conn, clock=clock.now)

    async def close(self) -> None:
        await self.hub.aclose()
        await self.sequencer.aclose()

    def fast_forward(self, seconds: int) -> None:
        self.devnet.control.increase_time(seconds)
        self.clock.offset += seconds

    # --- Snapshot ---

    async def publish(self, title: str, body: str, choices: Sequence[str], voting_type: str) -> str:
        snapshot_block = self.devnet.control.block_number()
        self.devnet.control.mine(1)  # power is read at a block strictly before the head
        now = int(self.clock.now())
        draft = ProposalDraft(
            self.space,
            voting_type,
            title,
            body,
            tuple(choices),
            now,
            now + CHECK_DURATION_S,
            snapshot_block,
        )
        message = build_proposal(self.signers[0].address, draft, timestamp=now)
        receipt = await deliver(
            self.outbox, self.sequencer, await sign_message(self.signers[0], message)
        )
        return receipt.id

    async def vote(
        self, proposal_id: str, voting_type: str, index: int, choice: Any, n: int
    ) -> None:
        request = VoteRequest(self.space, proposal_id, voting_type, choice, n)
        signer = self.signers[index]
        message = build_vote(signer.address, request, timestamp=int(self.clock.now()))
        await deliver(self.outbox, self.sequencer, await sign_message(signer, message))

    async def _close_and_verify(self, proposal_id: str) -> OffchainCheck:
        self.fast_forward(CHECK_DURATION_S + 60)
        proposal = await self.hub.proposal(proposal_id)
        if proposal is None:
            raise DevnetError(f"The hub lost proposal {proposal_id}.")
        votes = await self.hub.votes(proposal_id)
        recount = verify_scores(
            proposal.type,
            proposal.choices,
            [TallyVote(v.choice, v.vp, tuple(v.vp_by_strategy)) for v in votes],
            1,
            ReportedScores(proposal.scores, None, proposal.scores_total),
        )
        verdict = "matches" if recount.matches else "DOES NOT MATCH"
        self.say(
            f"    hub scores {_fmt(proposal.scores)}; local recount of {len(votes)} votes {verdict}"
        )
        if not recount.matches:
            raise DevnetError("The local recount does not match the hub's scores.")
        kind = (
            CheckKind.TEMPERATURE
            if proposal.type == VotingType.SINGLE_CHOICE
            else CheckKind.CONSENSUS
        )
        return OffchainCheck(
            proposal.id,
            kind,
            proposal.type,
            proposal.choices,
            proposal.start,
            proposal.end,
            proposal.scores,
            proposal.scores_total,
        )

    async def offchain(self, idea_id: str, title: str, body: str) -> str:
        conventions = Conventions()
        tc = advance.temperature_check(
            initiative_id=idea_id, title=title, body=body, discussion="", conventions=conventions
        )
        tc_id = await self.publish(tc.title, tc.body, tc.choices, tc.voting_type)
        self.say(f"3/9 Temperature check published on {self.space}: {tc.title} ({tc_id[:10]}…)")
        for index, yes_no, _ranking, _support in BALLOTS:
            await self.vote(tc_id, tc.voting_type, index, yes_no, len(tc.choices))
            self.say(f"    {self._who(index)} voted {tc.choices[yes_no - 1]}")
        temperature = await self._close_and_verify(tc_id)
        if not TemperatureRule().passed(temperature):
            raise DevnetError("The temperature check did not pass.")
        self.say("4/9 Temperature check passed (simple majority of Yes)")
        cc = advance.consensus_check(
            initiative_id=idea_id,
            title="Marketplace fee level",
            body=body,
            discussion="",
            temperature_id=tc_id,
            options=FEE_OPTIONS,
            conventions=conventions,
        )
        cc_id = await self.publish(cc.title, cc.body, cc.choices, cc.voting_type)
        self.say(f"5/9 Consensus check (ranked choice) published: {', '.join(cc.choices)}")
        for index, _yes_no, ranking, _support in BALLOTS:
            await self.vote(cc_id, cc.voting_type, index, list(ranking), len(cc.choices))
            self.say(
                f"    {self._who(index)} ranked " + " > ".join(cc.choices[r - 1] for r in ranking)
            )
        consensus = await self._close_and_verify(cc_id)
        winner = consensus_winner(consensus)
        if winner is None:
            raise DevnetError("The consensus check has no winner.")
        self.say(f"6/9 Consensus: {cc.choices[winner - 1]} wins the instant runoff")
        return cc_id + "|" + cc.choices[winner - 1]

    # --- Governor ---

    async def propose_member(self, description: str, member: str) -> int:
        """An on-chain proposal adding a foundation member, left open for voting."""
        rpc = await RpcClient([self.devnet.rpc_url], chain_id=self.devnet.chain_id).connect()
        try:
            governor = await GovernorClient.open(
                rpc,
                self.addrs["governor"],
                multicall_address=self.devnet.multicall,
                token=self.addrs["token"],
            )
            add = build_action(
                self.addrs["target"], decision_function("addFoundationMember(string)"), [member]
            )
            created = await governor.propose(self.signers[0], [add], description)
        finally:
            await rpc.close()
        self.devnet.control.mine(STACK_PARAMS[self.stack].voting_delay + 1)
        return created.proposal_id

    async def onchain(self, idea_id: str, title: str, body: str, consensus: str) -> int:
        consensus_id, resolution = consensus.split("|")
        fee = int(resolution.rstrip("%"))
        rpc = await RpcClient([self.devnet.rpc_url], chain_id=self.devnet.chain_id).connect()
        try:
            governor = await GovernorClient.open(
                rpc,
                self.addrs["governor"],
                multicall_address=self.devnet.multicall,
                token=self.addrs["token"],
            )
            set_fee = decision_function("setMarketplaceFee(uint8)")
            call = build_action(self.addrs["target"], set_fee, [str(fee)])
            draft = advance.onchain_proposal(
                initiative_id=idea_id,
                title=f"Set the marketplace fee to {fee}%",
                body=body,
                consensus_id=consensus_id,
                resolution=resolution,
            )
            created = await governor.propose(self.signers[0], [call], draft.description)
            pid = created.proposal_id
            family = governor.info.family.value
            self.say(
                f"7/9 On-chain proposal {_short_id(pid)} on the {family} governor: "
                f"setMarketplaceFee({fee})"
            )
            self.devnet.control.mine(STACK_PARAMS[self.stack].voting_delay + 1)
            for index, _yes_no, _ranking, support in BALLOTS:
                await governor.cast_vote(self.signers[index], pid, support)
                self.say(f"    {self._who(index)} voted {support.name.title()} on-chain")
            self.devnet.control.mine(STACK_PARAMS[self.stack].voting_period + 1)
            status = (await governor.proposal(pid)).status
            self.say(
                f"8/9 Voting closed: {status.state.name.title()} "
                f"(for {_tokens(status.votes.for_)}, against {_tokens(status.votes.against)})"
            )
            if status.state is not ProposalState.SUCCEEDED:
                raise DevnetError(
                    f"The on-chain proposal ended {status.state.name}, not SUCCEEDED."
                )
            await governor.queue(self.signers[0], pid)
            eta = (await governor.proposal(pid)).status.eta
            head = self.devnet.control.timestamp()
            self.say(f"    queued in the timelock; eta in {eta - head} s — fast-forwarding")
            self.fast_forward(max(eta - head, 0) + 1)
            await governor.execute(self.signers[0], pid)
        finally:
            await rpc.close()
        return await self.read_fee()

    async def read_fee(self) -> int:
        """The target's marketplace fee, read straight from the chain."""
        marketplace_fee = fn("marketplaceFee()", "uint8")
        call = {"to": self.addrs["target"], "data": "0x" + marketplace_fee.encode().hex()}
        rpc = await RpcClient([self.devnet.rpc_url], chain_id=self.devnet.chain_id).connect()
        try:
            raw = await rpc.request("eth_call", [call, "latest"])
        finally:
            await rpc.close()
        value: int = marketplace_fee.decode_one(bytes.fromhex(str(raw).removeprefix("0x")))
        return value

    def _who(self, index: int) -> str:
        return f"account {index} ({self.devnet.accounts[index].address[:8]}…)"


def decision_function(signature: str) -> FunctionChoice:
    """A state-changing function of the devnet's GovernanceDecisions target."""
    functions = writable_functions("GovernanceDecisions", known_contracts()["GovernanceDecisions"])
    return next(f for f in functions if f.signature == signature)


def _short_id(proposal_id: int) -> str:
    """Sequential ids as they are; hash ids (OpenZeppelin) shortened for reading."""
    text = str(proposal_id)
    return text if len(text) <= 12 else f"{text[:6]}…{text[-4:]}"


def _fmt(scores: Sequence[float]) -> str:
    return "[" + ", ".join(f"{s:,.0f}" for s in scores) + "]"


def _tokens(amount: int) -> str:
    return f"{amount / 10**18:,.0f}"


async def run_demo(stack: str = "alpha", *, say: Say = print) -> DemoResult:
    """Run the whole pipeline once on a fresh devnet; the devnet is stopped on the way out."""
    if stack not in DEMO_STACKS:
        raise DevnetError(f"Unknown stack {stack!r}; choose one of {', '.join(DEMO_STACKS)}.")
    clock = SharedClock()
    with (
        tempfile.TemporaryDirectory(prefix="govdesk-demo-") as tmp,
        Devnet(stacks=(stack,), hub_clock=clock.now) as devnet,
        Services.open(
            data_dir=Path(tmp, "data"),
            config_dir=Path(tmp, "config"),
            presets=devnet_organisations(devnet.describe()),
            clock=clock.now,
        ) as services,
    ):
        hub_url = devnet.describe()["hub_url"]
        say(f"1/9 Devnet up: anvil {devnet.rpc_url}, hub {hub_url}, stack {stack}")
        demo = Demo(devnet, stack, services, say, clock)
        try:
            title = "Lower the marketplace fee"
            body = "The marketplace fee is 10%. Lowering it brings more clients to the network."
            idea = services.drafts.create(f"devnet-{stack}", title, body)
            say(f"2/9 Idea drafted: “{title}” ({idea.initiative_id})")
            before = await demo.read_fee()
            consensus = await demo.offchain(idea.initiative_id, title, body)
            after = await demo.onchain(idea.initiative_id, title, body, consensus)
            say(f"9/9 Executed: the marketplace fee went from {before}% to {after}%")
            return DemoResult(stack, before, after)
        finally:
            await demo.close()

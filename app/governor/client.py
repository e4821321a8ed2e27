"""``GovernorClient``: one governor on one chain — detect, read, and guarded writes.

Writes check the proposal's state (and, for execute, the eta against the chain's clock) before
anything is simulated or signed, so a person gets "executable after …" instead of a revert.
Typed-data signatures are only requested after the endpoint's chain id was checked again.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from eth_utils.address import to_checksum_address

from app.chain.abi_codec import checksum_address
from app.chain.multicall import Call, Multicall
from app.chain.rpc import RpcClient, parse_quantity
from app.errors import InputError
from app.governor import contract_interface as abi
from app.governor.actions import default_decoder
from app.governor.detect import detect_governor
from app.governor.errors import ActionNotAllowedError, UnknownProposalError
from app.governor.model import (
    GovernorInfo,
    Proposal,
    ProposalCreated,
    ProposalState,
    Support,
)
from app.governor.reader import ChainClock, GovernorReader, parse_proposal_created

# Writing (eth-account), signing and recounting (numpy) load on first use: a read-only command
# never pays for them (issue #13: `govdesk governor proposals` starts in well under 0.5 s).
if TYPE_CHECKING:
    from app.chain.revert import ErrorRegistry
    from app.chain.transactions import TxReceipt, TxRequest, TxSender
    from app.governor.writer import ProposedCall
    from app.keys.signer_protocol import Signer
    from app.tally.governor_votes import GovernorComparison


@dataclass(frozen=True)
class SignedBallot:
    """A ballot signed off-chain (EIP-712); anyone may relay it with ``relay_ballot``."""

    proposal_id: int
    support: Support
    voter: str
    signature: str


@dataclass(frozen=True)
class SignedDelegation:
    """A delegation signed off-chain, valid until ``expiry`` (unix seconds)."""

    delegatee: str
    nonce: int
    expiry: int
    signature: str


def _when(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


class GovernorClient:
    """Reads and guarded writes for one governor; build with ``await GovernorClient.open()``."""

    def __init__(self, rpc: RpcClient, multicall: Multicall, reader: GovernorReader) -> None:
        self.rpc = rpc
        self.multicall = multicall
        self.reader = reader
        self.info: GovernorInfo = reader.info
        self._errors: ErrorRegistry | None = None

    @property
    def errors(self) -> ErrorRegistry:
        """Revert decoding for this governor's calls (built on first use)."""
        if self._errors is None:
            self._errors = abi.governor_errors()
        return self._errors

    @classmethod
    async def open(
        cls,
        rpc: RpcClient,
        governor: str,
        *,
        multicall_address: str | None = None,
        from_block: int = 0,
        token: str | None = None,
    ) -> GovernorClient:
        """Detect the governor; ``token``: its voting token when known (else found by interface)."""
        multicall = await Multicall.discover(rpc, multicall_address)
        info = await detect_governor(rpc, multicall, governor, token=token or None)
        return cls(rpc, multicall, GovernorReader(rpc, multicall, info, from_block=from_block))

    def sender(self, signer: Signer) -> TxSender:
        from app.chain.transactions import TxSender

        return TxSender(self.rpc, signer, errors=self.errors)

    # --- reading ---

    async def proposals(self, account: str | None = None) -> list[Proposal]:
        account = checksum_address(account, "account") if account else None
        created = await self.reader.sync()
        statuses = await self.reader.statuses(created, account=account)
        decoder = default_decoder()
        return [Proposal(c, statuses[c.proposal_id], decoder.decode_proposal(c)) for c in created]

    async def proposal(self, proposal_id: int, account: str | None = None) -> Proposal:
        account = checksum_address(account, "account") if account else None
        created = await self.created(proposal_id)
        status = (await self.reader.statuses([created], account=account))[proposal_id]
        return Proposal(created, status, default_decoder().decode_proposal(created))

    async def created(self, proposal_id: int) -> ProposalCreated:
        for item in await self.reader.sync():
            if item.proposal_id == proposal_id:
                return item
        raise UnknownProposalError(f"Governor {self.info.address} has no proposal {proposal_id}.")

    async def voting_power(self, account: str, timepoint: int) -> int:
        """Votes of ``account`` at a past ``timepoint`` (a proposal's snapshot)."""
        account = checksum_address(account, "account")
        if self.info.token.comp_style:
            call = Call(self.info.token.address, abi.GET_PRIOR_VOTES.encode(account, timepoint))
            function = abi.GET_PRIOR_VOTES
        else:
            call = Call(self.info.address, abi.GET_VOTES_AT.encode(account, timepoint))
            function = abi.GET_VOTES_AT
        (result,) = await self.multicall.run([call])
        return int(function.decode_one(result.data)) if result.success else 0

    async def current_delegate(self, account: str) -> str:
        account = checksum_address(account, "account")
        (result,) = await self.multicall.run(
            [Call(self.info.token.address, abi.DELEGATES.encode(account))]
        )
        return str(to_checksum_address(abi.DELEGATES.decode_one(result.data)))

    async def _nonce(self, target: str, account: str) -> int:
        (result,) = await self.multicall.run(
            [Call(target, abi.GOVERNOR_NONCES.encode(account), allow_failure=False)]
        )
        return int(abi.GOVERNOR_NONCES.decode_one(result.data))

    # --- voting ---

    async def cast_vote(
        self, signer: Signer, proposal_id: int, support: Support, reason: str = ""
    ) -> TxReceipt:
        from app.governor import writer

        await self._require_state(proposal_id, {ProposalState.ACTIVE}, "vote on")
        tx = writer.build_cast_vote(self.info, proposal_id, support, reason)
        return await self.sender(signer).send_and_wait(tx)

    async def sign_ballot(self, signer: Signer, proposal_id: int, support: Support) -> SignedBallot:
        from app.governor import writer

        nonce = 0
        if self.info.adapter.ballot_names_voter:  # such ballots carry the governor's nonce
            nonce = await self._nonce(self.info.address, signer.address)
        typed = writer.build_ballot_typed_data(
            self.info, proposal_id, support, signer.address, nonce
        )
        await self.rpc.ensure_chain()
        signature = await signer.sign_typed_data(typed)
        return SignedBallot(proposal_id, support, signer.address, signature)

    async def relay_ballot(self, relayer: Signer, ballot: SignedBallot) -> TxReceipt:
        from app.governor import writer

        await self._require_state(ballot.proposal_id, {ProposalState.ACTIVE}, "vote on")
        self._check_ballot_signer(ballot)
        tx = writer.build_cast_vote_by_sig(
            self.info, ballot.proposal_id, ballot.support, ballot.voter, ballot.signature
        )
        return await self.sender(relayer).send_and_wait(tx)

    def _check_ballot_signer(self, ballot: SignedBallot) -> None:
        """Ballots without a voter field (OZ v4, Bravo, Alpha) count for whoever recovers."""
        from app.governor import writer

        if self.info.adapter.ballot_names_voter:
            return  # the contract checks the named voter itself
        voter = checksum_address(ballot.voter, "voter")
        signed_by = writer.recover_ballot_signer(
            self.info, ballot.proposal_id, ballot.support, ballot.signature
        )
        if signed_by != voter:
            raise InputError(
                f"This signed ballot was not signed by {voter} for proposal {ballot.proposal_id} "
                f"({'signed by ' + signed_by if signed_by else 'the signature is unreadable'}); "
                "relaying it would count a vote for another address. Nothing was sent."
            )

    # --- delegation ---

    async def delegate(self, signer: Signer, delegatee: str) -> TxReceipt:
        from app.governor import writer

        return await self.sender(signer).send_and_wait(writer.build_delegate(self.info, delegatee))

    async def sign_delegation(
        self, signer: Signer, delegatee: str, *, valid_for_s: int = 3600
    ) -> SignedDelegation:
        from app.governor import writer

        nonce = await self._nonce(self.info.token.address, signer.address)
        head = await self.reader.chain_clock()
        expiry = max(head.timestamp, int(time.time())) + valid_for_s
        typed = writer.build_delegation_typed_data(self.info, delegatee, nonce, expiry)
        await self.rpc.ensure_chain()
        return SignedDelegation(delegatee, nonce, expiry, await signer.sign_typed_data(typed))

    async def relay_delegation(self, relayer: Signer, signed: SignedDelegation) -> TxReceipt:
        from app.governor import writer

        tx = writer.build_delegate_by_sig(
            self.info, signed.delegatee, signed.nonce, signed.expiry, signed.signature
        )
        return await self.sender(relayer).send_and_wait(tx)

    # --- proposal lifecycle ---

    async def propose(
        self,
        signer: Signer,
        calls: Sequence[ProposedCall],
        description: str,
        *,
        proposer_suffix: bool = True,
    ) -> ProposalCreated:
        from app.governor import writer

        proposer = signer.address if proposer_suffix else None
        tx = writer.build_propose(self.info, calls, description, proposer=proposer)
        receipt = await self.sender(signer).send_and_wait(tx)
        return self._created_from_receipt(receipt)

    def _created_from_receipt(self, receipt: TxReceipt) -> ProposalCreated:
        for log in receipt.logs:
            if log.topics and log.topics[0] == abi.PROPOSAL_CREATED.topic0:
                return parse_proposal_created(log)
        raise ActionNotAllowedError("The proposal transaction emitted no ProposalCreated event.")

    async def check_proposal_id(self, created: ProposalCreated) -> None:
        """OZ: the id the contract derives from the event data must be the event's id.

        queue/execute/cancel send the full data, so a description that differs by one byte
        (e.g. re-rendered Markdown) would address another, unknown proposal.
        """
        from app.governor import writer

        if not self.info.adapter.ids_from_hash:
            return
        args = writer.oz_proposal_args(created)
        calls = [
            Call(self.info.address, abi.GET_PROPOSAL_ID.encode(*args)),
            Call(self.info.address, abi.HASH_PROPOSAL.encode(*args)),
        ]
        by_lookup, by_hash = await self.multicall.run(calls)
        answer = by_lookup if by_lookup.success else by_hash
        if not answer.success or abi.HASH_PROPOSAL.decode_one(answer.data) != created.proposal_id:
            raise ActionNotAllowedError(
                f"The governor does not derive proposal id {created.proposal_id} from this "
                "proposal's targets, values, calldata and description. Nothing was sent."
            )

    async def queue(self, signer: Signer, proposal_id: int) -> TxReceipt:
        from app.governor import writer

        created = await self._require_state(proposal_id, {ProposalState.SUCCEEDED}, "queue")
        await self.check_proposal_id(created)
        return await self._send(signer, writer.build_queue(self.info, created))

    async def execute(self, signer: Signer, proposal_id: int) -> TxReceipt:
        from app.governor import writer

        created = await self.created(proposal_id)
        status = (await self.reader.statuses([created]))[proposal_id]
        needs_queue = self.info.timelock is not None
        allowed = {ProposalState.QUEUED} if needs_queue else {ProposalState.SUCCEEDED}
        if status.state not in allowed:
            raise self._state_refusal(proposal_id, status.state, allowed, "execute")
        if status.eta:
            clock = await self.reader.chain_clock()
            if clock.timestamp < status.eta:
                raise ActionNotAllowedError(
                    f"Proposal {proposal_id} is queued in the timelock and can be executed "
                    f"after {_when(status.eta)} (in {status.eta - clock.timestamp} s)."
                )
        await self.check_proposal_id(created)
        return await self._send(signer, writer.build_execute(self.info, created))

    async def cancel(self, signer: Signer, proposal_id: int) -> TxReceipt:
        from app.governor import writer

        final = {ProposalState.CANCELED, ProposalState.EXECUTED, ProposalState.EXPIRED}
        created = await self._require_state(proposal_id, set(ProposalState) - final, "cancel")
        await self.check_proposal_id(created)
        return await self._send(signer, writer.build_cancel(self.info, created))

    async def _send(self, signer: Signer, tx: TxRequest) -> TxReceipt:
        return await self.sender(signer).send_and_wait(tx)

    async def _require_state(
        self, proposal_id: int, allowed: set[ProposalState], verb: str
    ) -> ProposalCreated:
        created = await self.created(proposal_id)
        status = (await self.reader.statuses([created]))[proposal_id]
        if status.state not in allowed:
            raise self._state_refusal(proposal_id, status.state, allowed, verb)
        return created

    @staticmethod
    def _state_refusal(
        proposal_id: int, state: ProposalState, allowed: set[ProposalState], verb: str
    ) -> ActionNotAllowedError:
        wanted = " or ".join(s.label for s in sorted(allowed))
        return ActionNotAllowedError(
            f"Cannot {verb} proposal {proposal_id}: it is {state.label}, and this needs it "
            f"to be {wanted}."
        )

    async def clock(self) -> ChainClock:
        return await self.reader.chain_clock()

    async def verify_votes(self, proposal_id: int) -> GovernorComparison:
        """Recount the proposal's VoteCast events and compare with the contract's tally."""
        proposal = await self.proposal(proposal_id)
        from app.governor.recount import verify_votes

        head = self.reader.last_block or await self.rpc.request(
            "eth_blockNumber", [], parse=parse_quantity
        )
        return await verify_votes(
            self.reader.scanner, self.info, proposal.created, proposal.status.votes, head
        )

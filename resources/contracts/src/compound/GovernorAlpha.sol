// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ICompTimelock, ICompVotes} from "./ICompound.sol";

/// @title GovernorAlpha
/// @notice The interface Braintrust's "BTRST Governor Alpha" has on mainnet
/// (0x1a0D3d5a43e53510f80F16905Bc96e907A47dD01): the token getter is `BTRST()`, votes are For/Against
/// only (`castVote(uint256,bool)`, no reason), quorum, threshold and voting period are stored at
/// deployment (Compound's Alpha hard-codes them), the voting delay is one block, at most ten
/// actions, and a guardian may cancel any proposal that has not been executed. Same function and
/// event signatures as the published ABI; tests/app/governor/test_peer_abis.py holds us to it.
contract GovernorAlpha {
    enum ProposalState {
        Pending,
        Active,
        Canceled,
        Defeated,
        Succeeded,
        Queued,
        Expired,
        Executed
    }

    struct Receipt {
        bool hasVoted;
        bool support;
        uint96 votes;
    }

    // Field order matches Compound's, so the public `proposals(id)` getter returns the same tuple.
    struct Proposal {
        uint256 id;
        address proposer;
        uint256 eta;
        address[] targets;
        uint256[] values;
        string[] signatures;
        bytes[] calldatas;
        uint256 startBlock;
        uint256 endBlock;
        uint256 forVotes;
        uint256 againstVotes;
        bool canceled;
        bool executed;
        mapping(address => Receipt) receipts;
    }

    bytes32 public constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,uint256 chainId,address verifyingContract)");
    bytes32 public constant BALLOT_TYPEHASH = keccak256("Ballot(uint256 proposalId,bool support)");

    string public constant name = "BTRST Governor Alpha";
    ICompTimelock public timelock;
    ICompVotes public BTRST;
    address public guardian;
    uint256 public quorumVotes;
    uint256 public proposalThreshold;
    uint256 public votingPeriod;

    uint256 public proposalCount;
    mapping(uint256 => Proposal) public proposals;
    mapping(address => uint256) public latestProposalIds;

    event ProposalCreated(
        uint256 id,
        address proposer,
        address[] targets,
        uint256[] values,
        string[] signatures,
        bytes[] calldatas,
        uint256 startBlock,
        uint256 endBlock,
        string description
    );
    event VoteCast(address voter, uint256 proposalId, bool support, uint256 votes);
    event ProposalCanceled(uint256 id);
    event ProposalQueued(uint256 id, uint256 eta);
    event ProposalExecuted(uint256 id);

    // Braintrust's constructor: (timelock, BTRST, guardian, quorumVotes, proposalThreshold,
    // votingPeriod), the settings stored here once.
    constructor(
        address timelock_,
        address BTRST_,
        address guardian_,
        uint256 quorumVotes_,
        uint256 proposalThreshold_,
        uint32 votingPeriod_
    ) {
        require(votingPeriod_ > 0, "GovernorAlpha::constructor: voting period must be positive");
        timelock = ICompTimelock(timelock_);
        BTRST = ICompVotes(BTRST_);
        guardian = guardian_;
        quorumVotes = quorumVotes_;
        proposalThreshold = proposalThreshold_;
        votingPeriod = votingPeriod_;
    }

    function proposalMaxOperations() public pure returns (uint256) {
        return 10;
    }

    function votingDelay() public pure returns (uint256) {
        return 1;
    }

    function propose(
        address[] memory targets,
        uint256[] memory values,
        string[] memory signatures,
        bytes[] memory calldatas,
        string memory description
    ) public returns (uint256) {
        require(
            BTRST.getPriorVotes(msg.sender, block.number - 1) > proposalThreshold,
            "GovernorAlpha::propose: proposer votes below proposal threshold"
        );
        require(
            targets.length == values.length && targets.length == signatures.length
                && targets.length == calldatas.length,
            "GovernorAlpha::propose: proposal function information arity mismatch"
        );
        require(targets.length != 0, "GovernorAlpha::propose: must provide actions");
        require(targets.length <= proposalMaxOperations(), "GovernorAlpha::propose: too many actions");
        _requireNoLiveProposal(msg.sender);

        uint256 startBlock = block.number + votingDelay();
        uint256 endBlock = startBlock + votingPeriod;
        uint256 id = ++proposalCount;
        Proposal storage p = proposals[id];
        p.id = id;
        p.proposer = msg.sender;
        p.targets = targets;
        p.values = values;
        p.signatures = signatures;
        p.calldatas = calldatas;
        p.startBlock = startBlock;
        p.endBlock = endBlock;
        latestProposalIds[msg.sender] = id;
        emit ProposalCreated(id, msg.sender, targets, values, signatures, calldatas, startBlock, endBlock, description);
        return id;
    }

    function _requireNoLiveProposal(address proposer) internal view {
        uint256 latest = latestProposalIds[proposer];
        if (latest != 0) {
            ProposalState s = state(latest);
            require(s != ProposalState.Active, "GovernorAlpha::propose: one live proposal per proposer, found an already active proposal");
            require(s != ProposalState.Pending, "GovernorAlpha::propose: one live proposal per proposer, found an already pending proposal");
        }
    }

    function queue(uint256 proposalId) public {
        require(state(proposalId) == ProposalState.Succeeded, "GovernorAlpha::queue: proposal can only be queued if it is succeeded");
        Proposal storage p = proposals[proposalId];
        uint256 eta = block.timestamp + timelock.delay();
        for (uint256 i = 0; i < p.targets.length; i++) {
            _queueOrRevert(p.targets[i], p.values[i], p.signatures[i], p.calldatas[i], eta);
        }
        p.eta = eta;
        emit ProposalQueued(proposalId, eta);
    }

    function _queueOrRevert(address target, uint256 value, string memory signature, bytes memory data, uint256 eta)
        internal
    {
        require(
            !timelock.queuedTransactions(keccak256(abi.encode(target, value, signature, data, eta))),
            "GovernorAlpha::_queueOrRevert: proposal action already queued at eta"
        );
        timelock.queueTransaction(target, value, signature, data, eta);
    }

    function execute(uint256 proposalId) public payable {
        require(state(proposalId) == ProposalState.Queued, "GovernorAlpha::execute: proposal can only be executed if it is queued");
        Proposal storage p = proposals[proposalId];
        p.executed = true;
        for (uint256 i = 0; i < p.targets.length; i++) {
            timelock.executeTransaction{value: p.values[i]}(p.targets[i], p.values[i], p.signatures[i], p.calldatas[i], p.eta);
        }
        emit ProposalExecuted(proposalId);
    }

    function cancel(uint256 proposalId) public {
        require(state(proposalId) != ProposalState.Executed, "GovernorAlpha::cancel: cannot cancel executed proposal");
        Proposal storage p = proposals[proposalId];
        require(
            msg.sender == guardian || BTRST.getPriorVotes(p.proposer, block.number - 1) < proposalThreshold,
            "GovernorAlpha::cancel: proposer above threshold"
        );
        p.canceled = true;
        for (uint256 i = 0; i < p.targets.length; i++) {
            timelock.cancelTransaction(p.targets[i], p.values[i], p.signatures[i], p.calldatas[i], p.eta);
        }
        emit ProposalCanceled(proposalId);
    }

    function getActions(uint256 proposalId)
        public
        view
        returns (address[] memory targets, uint256[] memory values, string[] memory signatures, bytes[] memory calldatas)
    {
        Proposal storage p = proposals[proposalId];
        return (p.targets, p.values, p.signatures, p.calldatas);
    }

    function getReceipt(uint256 proposalId, address voter) public view returns (Receipt memory) {
        return proposals[proposalId].receipts[voter];
    }

    function state(uint256 proposalId) public view returns (ProposalState) {
        require(proposalCount >= proposalId && proposalId > 0, "GovernorAlpha::state: invalid proposal id");
        Proposal storage p = proposals[proposalId];
        if (p.canceled) {
            return ProposalState.Canceled;
        } else if (block.number <= p.startBlock) {
            return ProposalState.Pending;
        } else if (block.number <= p.endBlock) {
            return ProposalState.Active;
        } else if (p.forVotes <= p.againstVotes || p.forVotes < quorumVotes) {
            return ProposalState.Defeated;
        } else if (p.eta == 0) {
            return ProposalState.Succeeded;
        } else if (p.executed) {
            return ProposalState.Executed;
        } else if (block.timestamp >= p.eta + timelock.GRACE_PERIOD()) {
            return ProposalState.Expired;
        }
        return ProposalState.Queued;
    }

    function castVote(uint256 proposalId, bool support) public {
        _castVote(msg.sender, proposalId, support);
    }

    function castVoteBySig(uint256 proposalId, bool support, uint8 v, bytes32 r, bytes32 s) public {
        bytes32 domainSeparator =
            keccak256(abi.encode(DOMAIN_TYPEHASH, keccak256(bytes(name)), block.chainid, address(this)));
        bytes32 structHash = keccak256(abi.encode(BALLOT_TYPEHASH, proposalId, support));
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
        address signatory = ecrecover(digest, v, r, s);
        require(signatory != address(0), "GovernorAlpha::castVoteBySig: invalid signature");
        _castVote(signatory, proposalId, support);
    }

    function _castVote(address voter, uint256 proposalId, bool support) internal {
        require(state(proposalId) == ProposalState.Active, "GovernorAlpha::_castVote: voting is closed");
        Proposal storage p = proposals[proposalId];
        Receipt storage receipt = p.receipts[voter];
        require(!receipt.hasVoted, "GovernorAlpha::_castVote: voter already voted");
        uint96 votes = BTRST.getPriorVotes(voter, p.startBlock);
        if (support) {
            p.forVotes += votes;
        } else {
            p.againstVotes += votes;
        }
        receipt.hasVoted = true;
        receipt.support = support;
        receipt.votes = votes;
        emit VoteCast(voter, proposalId, support, votes);
    }

    // Guardian powers, as in Compound's and Braintrust's GovernorAlpha.

    function __acceptAdmin() public {
        require(msg.sender == guardian, "GovernorAlpha::__acceptAdmin: sender must be gov guardian");
        timelock.acceptAdmin();
    }

    function __abdicate() public {
        require(msg.sender == guardian, "GovernorAlpha::__abdicate: sender must be gov guardian");
        guardian = address(0);
    }

    function __queueSetTimelockPendingAdmin(address newPendingAdmin, uint256 eta) public {
        require(msg.sender == guardian, "GovernorAlpha::__queueSetTimelockPendingAdmin: sender must be gov guardian");
        timelock.queueTransaction(address(timelock), 0, "setPendingAdmin(address)", abi.encode(newPendingAdmin), eta);
    }

    function __executeSetTimelockPendingAdmin(address newPendingAdmin, uint256 eta) public {
        require(msg.sender == guardian, "GovernorAlpha::__executeSetTimelockPendingAdmin: sender must be gov guardian");
        timelock.executeTransaction(address(timelock), 0, "setPendingAdmin(address)", abi.encode(newPendingAdmin), eta);
    }
}

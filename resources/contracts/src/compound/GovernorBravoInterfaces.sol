// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ICompTimelock, ICompVotes} from "./ICompound.sol";

/// @notice The events of Compound's GovernorBravo (delegator and delegate emit the same set).
abstract contract GovernorBravoEvents {
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
    event VoteCast(address indexed voter, uint256 proposalId, uint8 support, uint256 votes, string reason);
    event ProposalCanceled(uint256 id);
    event ProposalQueued(uint256 id, uint256 eta);
    event ProposalExecuted(uint256 id);
    event VotingDelaySet(uint256 oldVotingDelay, uint256 newVotingDelay);
    event VotingPeriodSet(uint256 oldVotingPeriod, uint256 newVotingPeriod);
    event NewImplementation(address oldImplementation, address newImplementation);
    event ProposalThresholdSet(uint256 oldProposalThreshold, uint256 newProposalThreshold);
    event NewPendingAdmin(address oldPendingAdmin, address newPendingAdmin);
    event NewAdmin(address oldAdmin, address newAdmin);
    event WhitelistAccountExpirationSet(address account, uint256 expiration);
    event WhitelistGuardianSet(address oldGuardian, address newGuardian);
}

/// @notice The proxy's own slots; the implementation's storage follows (same order as Compound's).
abstract contract GovernorBravoDelegatorStorage {
    address public admin;
    address public pendingAdmin;
    address public implementation;
}

/// @notice Compound's GovernorBravoDelegateStorageV1: never reorder, only append (V2 below).
abstract contract GovernorBravoDelegateStorageV1 is GovernorBravoDelegatorStorage {
    uint256 public votingDelay;
    uint256 public votingPeriod;
    uint256 public proposalThreshold;
    uint256 public initialProposalId;
    uint256 public proposalCount;
    ICompTimelock public timelock;
    ICompVotes public comp;
    mapping(uint256 => Proposal) public proposals;
    mapping(address => uint256) public latestProposalIds;

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
        uint256 abstainVotes;
        bool canceled;
        bool executed;
        mapping(address => Receipt) receipts;
    }

    struct Receipt {
        bool hasVoted;
        uint8 support;
        uint96 votes;
    }

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
}

/// @notice Compound's GovernorBravoDelegateStorageV2: the proposer whitelist.
abstract contract GovernorBravoDelegateStorageV2 is GovernorBravoDelegateStorageV1 {
    mapping(address => uint256) public whitelistAccountExpirations;
    address public whitelistGuardian;
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// One share of a split delegation: a delegate (an address as bytes32) and its relative weight.
struct Delegation {
    bytes32 delegate;
    uint256 ratio;
}

/// @title Split delegation registry (the v2 interface Snapshot's split delegation reads), for the
/// devnet.
/// @notice A delegator splits its power in a context (a space) among several delegates by ratio,
/// until an expiry; a delegate may opt out of a context. Same functions and events as the public
/// v2 registry; our own code.
contract SplitDelegateRegistry {
    mapping(address => mapping(string => Delegation[])) private _delegations;
    mapping(address => mapping(string => uint256)) private _expirations;
    mapping(address => mapping(string => bool)) public optouts;

    event DelegationUpdated(
        address indexed account,
        string context,
        Delegation[] previousDelegation,
        Delegation[] delegation,
        uint256 expirationTimestamp
    );
    event DelegationCleared(address indexed account, string context, Delegation[] delegatesCleared);
    event OptOutStatusSet(address indexed delegate, string context, bool optout);

    function setDelegation(
        string memory context,
        Delegation[] memory delegation,
        uint256 expirationTimestamp
    ) public {
        require(delegation.length > 0, "No delegates");
        require(expirationTimestamp > block.timestamp, "Expiration in the past");
        bytes32 self = bytes32(uint256(uint160(msg.sender)));
        for (uint256 i = 0; i < delegation.length; i++) {
            require(delegation[i].ratio > 0, "Ratio must be positive");
            require(delegation[i].delegate != self, "Can't delegate to self");
            require(delegation[i].delegate != bytes32(0), "Can't delegate to 0x0");
            if (i > 0) {
                require(delegation[i - 1].delegate < delegation[i].delegate, "Unsorted delegates");
            }
        }
        Delegation[] memory previous = _delegations[msg.sender][context];
        delete _delegations[msg.sender][context];
        for (uint256 i = 0; i < delegation.length; i++) {
            _delegations[msg.sender][context].push(delegation[i]);
        }
        _expirations[msg.sender][context] = expirationTimestamp;
        emit DelegationUpdated(msg.sender, context, previous, delegation, expirationTimestamp);
    }

    function clearDelegation(string memory context) public {
        Delegation[] memory previous = _delegations[msg.sender][context];
        require(previous.length > 0, "No delegation set");
        delete _delegations[msg.sender][context];
        delete _expirations[msg.sender][context];
        emit DelegationCleared(msg.sender, context, previous);
    }

    function optout(string memory context, bool _optout) public {
        optouts[msg.sender][context] = _optout;
        emit OptOutStatusSet(msg.sender, context, _optout);
    }

    function getDelegation(address account, string memory context)
        public
        view
        returns (Delegation[] memory delegation, uint256 expirationTimestamp)
    {
        return (_delegations[account][context], _expirations[account][context]);
    }
}

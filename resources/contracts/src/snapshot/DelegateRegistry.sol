// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title Snapshot's delegation registry (v1 interface), for the devnet.
/// @notice The same functions, events and refusals as the DelegateRegistry Snapshot reads on
/// mainnet: a delegator names one delegate per id, where the id is a space's name as bytes32
/// and the zero id delegates for every space. The devnet places it at the mainnet address.
contract DelegateRegistry {
    /// delegator => id => delegate (zero when none)
    mapping(address => mapping(bytes32 => address)) public delegation;

    event SetDelegate(address indexed delegator, bytes32 indexed id, address indexed delegate);
    event ClearDelegate(address indexed delegator, bytes32 indexed id, address indexed delegate);

    function setDelegate(bytes32 id, address delegate) public {
        require(delegate != msg.sender, "Can't delegate to self");
        require(delegate != address(0), "Can't delegate to 0x0");
        address previous = delegation[msg.sender][id];
        require(delegate != previous, "Already delegated to this address");
        delegation[msg.sender][id] = delegate;
        if (previous != address(0)) {
            emit ClearDelegate(msg.sender, id, previous);
        }
        emit SetDelegate(msg.sender, id, delegate);
    }

    function clearDelegate(bytes32 id) public {
        address previous = delegation[msg.sender][id];
        require(previous != address(0), "No delegate set");
        delegation[msg.sender][id] = address(0);
        emit ClearDelegate(msg.sender, id, previous);
    }
}

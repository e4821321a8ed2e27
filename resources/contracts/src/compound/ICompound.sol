// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice What the Compound-style governors need from their timelock.
interface ICompTimelock {
    function delay() external view returns (uint256);
    function GRACE_PERIOD() external view returns (uint256);
    function acceptAdmin() external;
    function queuedTransactions(bytes32 hash) external view returns (bool);
    function queueTransaction(address target, uint256 value, string calldata signature, bytes calldata data, uint256 eta)
        external
        returns (bytes32);
    function cancelTransaction(address target, uint256 value, string calldata signature, bytes calldata data, uint256 eta)
        external;
    function executeTransaction(address target, uint256 value, string calldata signature, bytes calldata data, uint256 eta)
        external
        payable
        returns (bytes memory);
}

/// @notice What the Compound-style governors need from their token.
interface ICompVotes {
    function getPriorVotes(address account, uint256 blockNumber) external view returns (uint96);
}

/// @notice What GovernorBravo's `_initiate` reads from the Alpha it takes over from.
interface IGovernorAlpha {
    function proposalCount() external view returns (uint256);
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TimelockController} from "@openzeppelin/contracts-v4/governance/TimelockController.sol";

/// @title OzTimelockV4
/// @notice OpenZeppelin 4.9's TimelockController, unchanged (admin role: TIMELOCK_ADMIN_ROLE),
/// under our own name so its artifact is compiled from our sources.
contract OzTimelockV4 is TimelockController {
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelay, proposers, executors, admin)
    {}
}

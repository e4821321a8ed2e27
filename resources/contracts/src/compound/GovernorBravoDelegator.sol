// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {GovernorBravoDelegatorStorage, GovernorBravoEvents} from "./GovernorBravoInterfaces.sol";

/// @title GovernorBravoDelegator
/// @notice Compound's GovernorBravo proxy: it holds the storage and forwards every call it does not
/// know to its implementation (a GovernorBravoDelegate) by delegatecall, so events come from this
/// address. The constructor initialises the implementation's settings through the proxy, then
/// hands the admin role to `admin_`.
contract GovernorBravoDelegator is GovernorBravoDelegatorStorage, GovernorBravoEvents {
    constructor(
        address timelock_,
        address comp_,
        address admin_,
        address implementation_,
        uint256 votingPeriod_,
        uint256 votingDelay_,
        uint256 proposalThreshold_
    ) {
        // Admin is the deployer while initialising, as in Compound's constructor.
        admin = msg.sender;
        _delegateTo(
            implementation_,
            abi.encodeWithSignature(
                "initialize(address,address,uint256,uint256,uint256)",
                timelock_,
                comp_,
                votingPeriod_,
                votingDelay_,
                proposalThreshold_
            )
        );
        _setImplementation(implementation_);
        admin = admin_;
    }

    function _setImplementation(address implementation_) public {
        require(msg.sender == admin, "GovernorBravoDelegator::_setImplementation: admin only");
        require(
            implementation_ != address(0), "GovernorBravoDelegator::_setImplementation: invalid implementation address"
        );
        address oldImplementation = implementation;
        implementation = implementation_;
        emit NewImplementation(oldImplementation, implementation);
    }

    function _delegateTo(address callee, bytes memory data) internal {
        (bool success, bytes memory returnData) = callee.delegatecall(data);
        assembly {
            if eq(success, 0) { revert(add(returnData, 0x20), mload(returnData)) }
        }
    }

    fallback() external payable {
        address target = implementation;
        assembly {
            calldatacopy(0, 0, calldatasize())
            let success := delegatecall(gas(), target, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            switch success
            case 0 { revert(0, returndatasize()) }
            default { return(0, returndatasize()) }
        }
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title GovernanceDecisions
/// @notice The decisions a DAO records on-chain, shaped like Braintrust's contract of the same name:
/// a marketplace fee, marketplace categories and foundation members. Only the governor's executor
/// (the timelock) may change them; everyone may read them.
contract GovernanceDecisions {
    /// @notice The only address allowed to change decisions (the timelock).
    address public immutable governor;

    /// @notice Marketplace fee in percent; always below 100.
    uint8 public marketplaceFee = 10;

    string[] private _categories;
    string[] private _members;

    event MarketplaceFeeChanged(uint8 oldFee, uint8 newFee);
    event MarketplaceCategoryAdded(string category);
    event FoundationMemberAdded(string member);

    modifier onlyGovernor() {
        require(msg.sender == governor, "GovernanceDecisions: caller is not the governor timelock");
        _;
    }

    constructor(address governor_) {
        require(governor_ != address(0), "GovernanceDecisions: governor is the zero address");
        governor = governor_;
    }

    function setMarketplaceFee(uint8 newFee) external onlyGovernor {
        require(newFee < 100, "GovernanceDecisions: fee must be below 100");
        emit MarketplaceFeeChanged(marketplaceFee, newFee);
        marketplaceFee = newFee;
    }

    function addMarketplaceCategory(string calldata category) external onlyGovernor {
        require(bytes(category).length > 0, "GovernanceDecisions: empty category");
        _categories.push(category);
        emit MarketplaceCategoryAdded(category);
    }

    function addFoundationMember(string calldata member) external onlyGovernor {
        require(bytes(member).length > 0, "GovernanceDecisions: empty member");
        _members.push(member);
        emit FoundationMemberAdded(member);
    }

    function getMarketplaceCategories() external view returns (string[] memory) {
        return _categories;
    }

    function getMemberships() external view returns (string[] memory) {
        return _members;
    }
}

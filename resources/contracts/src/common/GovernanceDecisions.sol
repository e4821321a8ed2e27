// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";

/// @notice Role-based access with enumerable members: the interface of OpenZeppelin's
/// AccessControlEnumerable as Braintrust's GovernanceDecisions exposes it (no ERC-165
/// `supportsInterface`, no `getRoleMembers`), with revert strings instead of custom errors.
abstract contract EnumerableRoles {
    using EnumerableSet for EnumerableSet.AddressSet;

    bytes32 public constant DEFAULT_ADMIN_ROLE = 0x00;

    mapping(bytes32 => EnumerableSet.AddressSet) private _members;
    mapping(bytes32 => bytes32) private _admins;

    event RoleAdminChanged(bytes32 indexed role, bytes32 indexed previousAdminRole, bytes32 indexed newAdminRole);
    event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender);
    event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender);

    modifier onlyRole(bytes32 role) {
        require(hasRole(role, msg.sender), "AccessControl: account is missing role");
        _;
    }

    function hasRole(bytes32 role, address account) public view returns (bool) {
        return _members[role].contains(account);
    }

    function getRoleAdmin(bytes32 role) public view returns (bytes32) {
        return _admins[role];
    }

    function getRoleMember(bytes32 role, uint256 index) public view returns (address) {
        return _members[role].at(index);
    }

    function getRoleMemberCount(bytes32 role) public view returns (uint256) {
        return _members[role].length();
    }

    function grantRole(bytes32 role, address account) public onlyRole(getRoleAdmin(role)) {
        _grantRole(role, account);
    }

    function revokeRole(bytes32 role, address account) public onlyRole(getRoleAdmin(role)) {
        _revokeRole(role, account);
    }

    function renounceRole(bytes32 role, address account) public {
        require(account == msg.sender, "AccessControl: can only renounce roles for self");
        _revokeRole(role, account);
    }

    function _grantRole(bytes32 role, address account) internal {
        if (_members[role].add(account)) emit RoleGranted(role, account, msg.sender);
    }

    function _revokeRole(bytes32 role, address account) internal {
        if (_members[role].remove(account)) emit RoleRevoked(role, account, msg.sender);
    }
}

/// @title GovernanceDecisions
/// @notice The decisions a DAO records on-chain, shaped like Braintrust's contract of the same name:
/// a marketplace fee, marketplace categories and foundation members. Only holders of GOVERNOR_ROLE
/// (the governor's executor, the timelock) may change them; everyone may read them. Roles are
/// OpenZeppelin's AccessControlEnumerable, as on Braintrust's mainnet contract; the timelock also
/// holds the admin role, so only governance can grant or revoke roles.
contract GovernanceDecisions is EnumerableRoles {
    bytes32 public constant GOVERNOR_ROLE = keccak256("GOVERNOR_ROLE");

    /// @notice Marketplace fee in percent; always below 100.
    uint8 public marketplaceFee = 10;

    string[] private _categories;
    string[] private _members;

    event MarketplaceFeeChanged(uint8 oldFee, uint8 newFee);
    event MarketplaceCategoryAdded(string category);
    event FoundationMemberAdded(string member);

    modifier onlyGovernor() {
        require(hasRole(GOVERNOR_ROLE, msg.sender), "GovernanceDecisions: caller is not the governor timelock");
        _;
    }

    constructor(address governor_) {
        require(governor_ != address(0), "GovernanceDecisions: governor is the zero address");
        _grantRole(DEFAULT_ADMIN_ROLE, governor_);
        _grantRole(GOVERNOR_ROLE, governor_);
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

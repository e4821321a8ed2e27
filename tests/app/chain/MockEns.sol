// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

// Test-only stand-ins for ENS's registry and public resolver: the four reads govdesk makes.
contract MockEnsRegistry {
    mapping(bytes32 => address) public resolver;

    function setResolver(bytes32 node, address value) external {
        resolver[node] = value;
    }
}

contract MockResolver {
    mapping(bytes32 => string) public name;
    mapping(bytes32 => address) public addr;

    function setName(bytes32 node, string calldata value) external {
        name[node] = value;
    }

    function setAddr(bytes32 node, address value) external {
        addr[node] = value;
    }
}

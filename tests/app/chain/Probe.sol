// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// A test-only contract for the chain layer: a Multicall3-style aggregate3, events to scan, and
/// the three kinds of revert (Error(string), custom error, Panic).
contract Probe {
    error Unauthorized(address caller, uint256 needed);

    event Ping(uint256 indexed n, address who, string note);

    struct Call3 {
        address target;
        bool allowFailure;
        bytes callData;
    }

    struct Result {
        bool success;
        bytes returnData;
    }

    uint256 public value;

    function aggregate3(Call3[] calldata calls) external returns (Result[] memory out) {
        out = new Result[](calls.length);
        for (uint256 i = 0; i < calls.length; ++i) {
            (bool ok, bytes memory data) = calls[i].target.call(calls[i].callData);
            require(ok || calls[i].allowFailure, "Multicall3: call failed");
            out[i] = Result(ok, data);
        }
    }

    function ping(uint256 count) external {
        for (uint256 i = 0; i < count; ++i) {
            emit Ping(i, msg.sender, "hi");
        }
    }

    function setValue(uint256 v) external {
        require(v != 13, "Probe: unlucky number");
        value = v;
    }

    function twice(uint256 x) external pure returns (uint256) {
        return 2 * x;
    }

    function failString() external pure {
        revert("Probe: nope");
    }

    function failCustom() external view {
        revert Unauthorized(msg.sender, 42);
    }

    function failPanic(uint256 d) external pure returns (uint256) {
        return 1 / d;
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title CompToken
/// @notice A Comp-style voting token (the shape of Compound's COMP and Braintrust's BTRST): uint96
/// amounts, block-number checkpoints read with `getPriorVotes`, `delegateBySig` under an EIP-712
/// domain without a version, and no ERC-6372 clock. The whole supply goes to `holder`.
contract CompToken {
    struct Checkpoint {
        uint32 fromBlock;
        uint96 votes;
    }

    bytes32 public constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,uint256 chainId,address verifyingContract)");
    bytes32 public constant DELEGATION_TYPEHASH =
        keccak256("Delegation(address delegatee,uint256 nonce,uint256 expiry)");

    string public name;
    string public symbol;
    uint8 public constant decimals = 18;
    uint256 public immutable totalSupply;

    mapping(address => mapping(address => uint96)) internal _allowances;
    mapping(address => uint96) internal _balances;
    mapping(address => address) public delegates;
    mapping(address => mapping(uint32 => Checkpoint)) public checkpoints;
    mapping(address => uint32) public numCheckpoints;
    mapping(address => uint256) public nonces;

    event DelegateChanged(address indexed delegator, address indexed fromDelegate, address indexed toDelegate);
    event DelegateVotesChanged(address indexed delegate, uint256 previousBalance, uint256 newBalance);
    event Transfer(address indexed from, address indexed to, uint256 amount);
    event Approval(address indexed owner, address indexed spender, uint256 amount);

    constructor(string memory name_, string memory symbol_, address holder, uint96 supply) {
        name = name_;
        symbol = symbol_;
        totalSupply = supply;
        _balances[holder] = supply;
        emit Transfer(address(0), holder, supply);
    }

    function balanceOf(address account) external view returns (uint256) {
        return _balances[account];
    }

    function allowance(address owner, address spender) external view returns (uint256) {
        return _allowances[owner][spender];
    }

    function approve(address spender, uint256 rawAmount) external returns (bool) {
        uint96 amount = rawAmount == type(uint256).max ? type(uint96).max : _safe96(rawAmount);
        _allowances[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transfer(address to, uint256 rawAmount) external returns (bool) {
        _transferTokens(msg.sender, to, _safe96(rawAmount));
        return true;
    }

    function transferFrom(address from, address to, uint256 rawAmount) external returns (bool) {
        uint96 amount = _safe96(rawAmount);
        uint96 allowed = _allowances[from][msg.sender];
        if (msg.sender != from && allowed != type(uint96).max) {
            require(allowed >= amount, "CompToken: transfer amount exceeds allowance");
            _allowances[from][msg.sender] = allowed - amount;
            emit Approval(from, msg.sender, allowed - amount);
        }
        _transferTokens(from, to, amount);
        return true;
    }

    function delegate(address delegatee) external {
        _delegate(msg.sender, delegatee);
    }

    function delegateBySig(address delegatee, uint256 nonce, uint256 expiry, uint8 v, bytes32 r, bytes32 s)
        external
    {
        bytes32 domainSeparator =
            keccak256(abi.encode(DOMAIN_TYPEHASH, keccak256(bytes(name)), block.chainid, address(this)));
        bytes32 structHash = keccak256(abi.encode(DELEGATION_TYPEHASH, delegatee, nonce, expiry));
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
        address signatory = ecrecover(digest, v, r, s);
        require(signatory != address(0), "CompToken: invalid signature");
        require(nonce == nonces[signatory]++, "CompToken: invalid nonce");
        require(block.timestamp <= expiry, "CompToken: signature expired");
        _delegate(signatory, delegatee);
    }

    function getCurrentVotes(address account) external view returns (uint96) {
        uint32 count = numCheckpoints[account];
        return count > 0 ? checkpoints[account][count - 1].votes : 0;
    }

    /// @notice Votes `account` had at the end of `blockNumber`, which must be in the past.
    function getPriorVotes(address account, uint256 blockNumber) public view returns (uint96) {
        require(blockNumber < block.number, "CompToken: not yet determined");
        uint32 count = numCheckpoints[account];
        if (count == 0 || checkpoints[account][0].fromBlock > blockNumber) {
            return 0;
        }
        if (checkpoints[account][count - 1].fromBlock <= blockNumber) {
            return checkpoints[account][count - 1].votes;
        }
        uint32 lower = 0;
        uint32 upper = count - 1;
        while (upper > lower) {
            uint32 center = upper - (upper - lower) / 2; // ceil, so the loop always advances
            Checkpoint memory cp = checkpoints[account][center];
            if (cp.fromBlock == blockNumber) {
                return cp.votes;
            } else if (cp.fromBlock < blockNumber) {
                lower = center;
            } else {
                upper = center - 1;
            }
        }
        return checkpoints[account][lower].votes;
    }

    function _delegate(address delegator, address delegatee) internal {
        address current = delegates[delegator];
        delegates[delegator] = delegatee;
        emit DelegateChanged(delegator, current, delegatee);
        _moveDelegates(current, delegatee, _balances[delegator]);
    }

    function _transferTokens(address from, address to, uint96 amount) internal {
        require(from != address(0), "CompToken: cannot transfer from the zero address");
        require(to != address(0), "CompToken: cannot transfer to the zero address");
        require(_balances[from] >= amount, "CompToken: transfer amount exceeds balance");
        _balances[from] -= amount;
        _balances[to] += amount;
        emit Transfer(from, to, amount);
        _moveDelegates(delegates[from], delegates[to], amount);
    }

    function _moveDelegates(address from, address to, uint96 amount) internal {
        if (from == to || amount == 0) {
            return;
        }
        if (from != address(0)) {
            uint32 count = numCheckpoints[from];
            uint96 old = count > 0 ? checkpoints[from][count - 1].votes : 0;
            _writeCheckpoint(from, count, old, old - amount);
        }
        if (to != address(0)) {
            uint32 count = numCheckpoints[to];
            uint96 old = count > 0 ? checkpoints[to][count - 1].votes : 0;
            _writeCheckpoint(to, count, old, old + amount);
        }
    }

    function _writeCheckpoint(address delegatee, uint32 count, uint96 oldVotes, uint96 newVotes) internal {
        uint32 blockNumber = uint32(block.number);
        if (count > 0 && checkpoints[delegatee][count - 1].fromBlock == blockNumber) {
            checkpoints[delegatee][count - 1].votes = newVotes;
        } else {
            checkpoints[delegatee][count] = Checkpoint(blockNumber, newVotes);
            numCheckpoints[delegatee] = count + 1;
        }
        emit DelegateVotesChanged(delegatee, oldVotes, newVotes);
    }

    function _safe96(uint256 n) internal pure returns (uint96) {
        require(n < 2 ** 96, "CompToken: amount exceeds 96 bits");
        return uint96(n);
    }
}

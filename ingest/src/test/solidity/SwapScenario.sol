// SPDX-License-Identifier: MIT
// Contracts for the Anvil swap scenario: a token with allowances, and a constant-product pool that
// buys it for ETH in one transaction (the token comes in with transferFrom, the ETH goes out as an
// internal transfer), as Uniswap V2-style pairs do.
pragma solidity 0.8.28;

/// Minimal ERC-20 with allowances: real Transfer logs with exact amounts.
contract SwapToken {
    string public constant symbol = "SWT";
    uint8 public constant decimals = 18;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;
    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    constructor(uint256 supply) {
        balanceOf[msg.sender] = supply;
        emit Transfer(address(0), msg.sender, supply);
    }

    function transfer(address to, uint256 value) external returns (bool) {
        return move(msg.sender, to, value);
    }

    function approve(address spender, uint256 value) external returns (bool) {
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }

    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        require(allowance[from][msg.sender] >= value, "allowance");
        allowance[from][msg.sender] -= value;
        return move(from, to, value);
    }

    function move(address from, address to, uint256 value) private returns (bool) {
        require(balanceOf[from] >= value, "balance");
        balanceOf[from] -= value;
        balanceOf[to] += value;
        emit Transfer(from, to, value);
        return true;
    }
}

/// A constant-product pool of SwapToken and ETH (x * y = k, no fee): sells ETH for tokens.
contract SwapPool {
    SwapToken public immutable token;

    constructor(SwapToken t) payable {
        token = t;
    }

    /// Takes amountIn tokens from the caller (approved beforehand) and pays it the ETH the curve gives.
    function sellTokens(uint256 amountIn) external returns (uint256 out) {
        uint256 reserveToken = token.balanceOf(address(this));
        uint256 reserveEth = address(this).balance;
        out = reserveEth * amountIn / (reserveToken + amountIn);
        require(token.transferFrom(msg.sender, address(this), amountIn), "transfer in");
        (bool ok, ) = payable(msg.sender).call{value: out}("");
        require(ok, "pay out");
    }
}

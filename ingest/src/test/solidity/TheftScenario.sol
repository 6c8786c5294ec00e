// SPDX-License-Identifier: MIT
// Contracts for the Anvil theft scenario: a token to steal, a mixing pool that forwards ETH
// internally, and contracts that make internal calls fail.
pragma solidity 0.8.28;

/// Minimal ERC-20: enough to emit real Transfer logs with exact amounts.
contract StolenToken {
    string public constant symbol = "STK";
    uint8 public constant decimals = 6;
    mapping(address => uint256) public balanceOf;
    event Transfer(address indexed from, address indexed to, uint256 value);

    constructor(uint256 supply) {
        balanceOf[msg.sender] = supply;
        emit Transfer(address(0), msg.sender, supply);
    }

    function transfer(address to, uint256 value) external returns (bool) {
        require(balanceOf[msg.sender] >= value, "balance");
        balanceOf[msg.sender] -= value;
        balanceOf[to] += value;
        emit Transfer(msg.sender, to, value);
        return true;
    }
}

/// A mixing pool: fixed deposits in, withdrawals paid out by the operator to fresh addresses.
contract FixedPool {
    uint256 public immutable denomination;
    address public immutable operator;

    constructor(uint256 amount) {
        denomination = amount;
        operator = msg.sender;
    }

    function deposit() external payable {
        require(msg.value == denomination, "wrong amount");
    }

    function withdraw(address payable to) external {
        require(msg.sender == operator, "operator only");
        (bool ok, ) = to.call{value: denomination}("");
        require(ok, "payout failed");
    }
}

/// Refuses every payment: a call to it with value fails.
contract RefusingSink {
    receive() external payable {
        revert("no");
    }
}

/// Forwards what it is sent; a failed forward is tolerated, so the transaction succeeds while
/// the inner call (and its value) is reverted.
contract Forwarder {
    event Forwarded(address to, bool ok);

    function forward(address payable to) external payable {
        (bool ok, ) = to.call{value: msg.value}("");
        emit Forwarded(to, ok);
        if (!ok) {
            payable(msg.sender).transfer(msg.value);
        }
    }
}

// Compiles Solidity sources with solc-js: node compile-contracts.js OUT.json FILE.sol...
// Writes {"ContractName": {"abi": [...], "bytecode": "0x..."}}.
const fs = require('fs');
const path = require('path');
const solc = require('solc');
const [out, ...files] = process.argv.slice(2);
const sources = {};
for (const f of files) sources[path.basename(f)] = { content: fs.readFileSync(f, 'utf8') };
const input = {
  language: 'Solidity',
  sources,
  settings: { optimizer: { enabled: true, runs: 200 }, outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } },
};
const result = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (result.errors || []).filter((e) => e.severity === 'error');
if (errors.length) {
  for (const e of errors) console.error(e.formattedMessage);
  process.exit(1);
}
const contracts = {};
for (const file of Object.keys(result.contracts)) {
  for (const [name, c] of Object.entries(result.contracts[file])) {
    contracts[name] = { abi: c.abi, bytecode: '0x' + c.evm.bytecode.object };
  }
}
fs.writeFileSync(out, JSON.stringify(contracts));

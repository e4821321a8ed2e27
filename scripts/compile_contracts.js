#!/usr/bin/env node
// Compile resources/contracts/src with the pinned solcjs into committed JSON artifacts.
//
//   node scripts/compile_contracts.js            write resources/contracts/artifacts/<Name>.json
//   node scripts/compile_contracts.js --out DIR  write them to DIR instead (used by a test)
//
// Every artifact records a sourceHash: sha256 over the pinned tool versions (from package.json) and
// every file under src/, so tests/app/test_artifacts.py notices a source edited without a
// recompile. Output is deterministic: sorted keys, two-space indent, trailing newline.
"use strict";

const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const SRC = path.join(ROOT, "resources", "contracts", "src");
const NODE_MODULES = process.env.GOVDESK_NODE_MODULES || path.join(ROOT, "node_modules");
const PINNED_PACKAGES = ["solc", "@openzeppelin/contracts", "@openzeppelin/contracts-v4"];
const MAX_CODE_SIZE = 24576; // EIP-170

function fail(message) {
  console.error(`compile_contracts: ${message}`);
  process.exit(1);
}

function listSources(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...listSources(full));
    else if (entry.name.endsWith(".sol")) found.push(full);
  }
  return found;
}

function relativeSourcePaths() {
  // Source unit names are "src/<relative path>" with forward slashes on every platform.
  return listSources(SRC)
    .map((full) => "src/" + path.relative(SRC, full).split(path.sep).join("/"))
    .sort();
}

function pinnedVersions() {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  return PINNED_PACKAGES.map((name) => `${name}=${pkg.dependencies[name]}`);
}

// Must match app/artifacts.py:compute_source_hash.
function sourceHash(sourceNames) {
  const hash = crypto.createHash("sha256");
  for (const line of pinnedVersions()) hash.update(`pin ${line}\n`);
  for (const name of sourceNames) {
    const content = fs.readFileSync(path.join(SRC, name.slice("src/".length)));
    hash.update(`file ${name} ${content.length}\n`);
    hash.update(content);
    hash.update("\n");
  }
  return hash.digest("hex");
}

function findImports(importPath) {
  const candidates = [path.join(NODE_MODULES, importPath)];
  if (importPath.startsWith("src/")) candidates.unshift(path.join(SRC, importPath.slice(4)));
  for (const file of candidates) {
    if (fs.existsSync(file)) return { contents: fs.readFileSync(file, "utf8") };
  }
  return { error: `import not found: ${importPath}` };
}

function loadSolc() {
  const solc = require(path.join(NODE_MODULES, "solc"));
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  const pinned = pkg.dependencies.solc;
  if (!solc.version().startsWith(pinned + "+")) {
    fail(`solc ${solc.version()} is installed but package.json pins ${pinned}; run scripts/setup`);
  }
  return solc;
}

// Sources under src/ozv4/ are built on OpenZeppelin 4.9 (the npm alias @openzeppelin/contracts-v4,
// whose files import each other by relative paths). A v4 source that imported the v5 package
// would compile and silently mix the two; refuse it.
const V4_DIR = "src/ozv4/";
const V5_IMPORT = /import\s[^;]*["']@openzeppelin\/contracts\//;

function checkV4Imports(name, content) {
  if (name.startsWith(V4_DIR) && V5_IMPORT.test(content)) {
    fail(`${name} imports @openzeppelin/contracts (v5); use @openzeppelin/contracts-v4/ there`);
  }
}

function compile(solc, sourceNames) {
  const sources = {};
  for (const name of sourceNames) {
    const content = fs.readFileSync(path.join(SRC, name.slice(4)), "utf8");
    checkV4Imports(name, content);
    sources[name] = { content };
  }
  const input = {
    language: "Solidity",
    sources,
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: "cancun",
      outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
  const errors = (output.errors || []).filter((e) => e.severity === "error");
  if (errors.length) fail("compilation failed:\n" + errors.map((e) => e.formattedMessage).join("\n"));
  // Warnings in our own sources are shown; OpenZeppelin's are its own business.
  for (const w of output.errors || []) {
    const file = w.sourceLocation && w.sourceLocation.file;
    if (w.severity === "warning" && file && file.startsWith("src/")) console.error(w.formattedMessage);
  }
  return output;
}

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    const out = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key]);
    return out;
  }
  return value;
}

function collectArtifacts(output, sourceNames, compiler, hash) {
  const artifacts = {};
  for (const name of sourceNames) {
    for (const [contractName, contract] of Object.entries(output.contracts[name] || {})) {
      const bytecode = contract.evm.bytecode.object;
      if (!bytecode) continue; // interfaces and abstract contracts
      if (artifacts[contractName]) fail(`two contracts are named ${contractName}`);
      const size = contract.evm.deployedBytecode.object.length / 2;
      if (size > MAX_CODE_SIZE) fail(`${contractName} is ${size} bytes, over the 24 KB limit`);
      artifacts[contractName] = {
        contractName,
        sourceName: name,
        abi: contract.abi,
        bytecode: "0x" + bytecode,
        compiler,
        sourceHash: hash,
      };
    }
  }
  return artifacts;
}

function main() {
  const outIndex = process.argv.indexOf("--out");
  const outDir = outIndex > 0 ? path.resolve(process.argv[outIndex + 1]) : path.join(ROOT, "resources", "contracts", "artifacts");
  const solc = loadSolc();
  const sourceNames = relativeSourcePaths();
  const output = compile(solc, sourceNames);
  const artifacts = collectArtifacts(output, sourceNames, solc.version(), sourceHash(sourceNames));
  fs.mkdirSync(outDir, { recursive: true });
  for (const file of fs.readdirSync(outDir)) {
    if (file.endsWith(".json") && !artifacts[file.slice(0, -5)]) fs.unlinkSync(path.join(outDir, file));
  }
  for (const [name, artifact] of Object.entries(artifacts).sort()) {
    fs.writeFileSync(path.join(outDir, `${name}.json`), JSON.stringify(sortKeys(artifact), null, 2) + "\n");
  }
  console.log(`compile_contracts: ${Object.keys(artifacts).length} artifacts in ${path.relative(ROOT, outDir) || outDir}`);
}

main();

"""Compile small test-only Solidity sources with solcjs from node_modules (real compiler)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from app.devnet.tools import node_binary, node_modules_dir

_SCRIPT = """
const solc = require(process.argv[1] + '/solc');
let input = '';
process.stdin.on('data', d => input += d);
process.stdin.on('end', () => process.stdout.write(solc.compile(input)));
"""


def compile_file(path: Path) -> dict[str, dict[str, Any]]:
    """``{contract: {"abi": [...], "bytecode": "0x..."}}`` for one source file."""
    request = {
        "language": "Solidity",
        "sources": {path.name: {"content": path.read_text()}},
        "settings": {
            "optimizer": {"enabled": True, "runs": 200},
            "evmVersion": "cancun",
            "outputSelection": {"*": {"*": ["abi", "evm.bytecode.object"]}},
        },
    }
    done = subprocess.run(
        [str(node_binary()), "-e", _SCRIPT, str(node_modules_dir())],
        input=json.dumps(request).encode(),
        capture_output=True,
        check=True,
        timeout=120,
    )
    output = json.loads(done.stdout)
    errors = [e for e in output.get("errors", []) if e["severity"] == "error"]
    if errors:
        raise RuntimeError(errors)
    return {
        name: {"abi": c["abi"], "bytecode": "0x" + c["evm"]["bytecode"]["object"]}
        for name, c in output["contracts"][path.name].items()
    }

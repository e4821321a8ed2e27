"""A persistent node process running tests/js/tally_reference.js (snapshot.js as the oracle)."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.devnet.tools import node_binary, project_root
from app.tally import TallyResult, TallyVote

SCRIPT = project_root() / "tests" / "js" / "tally_reference.js"


def legacy_package() -> Path | None:
    """Where snapshot.js 0.14.20 (legacy Copeland) is installed, if anywhere."""
    configured = os.environ.get("GOVDESK_SNAPSHOT_LEGACY")
    for candidate in (configured, project_root() / "node_modules" / "snapshot-js-legacy"):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def votes_json(votes: Sequence[TallyVote]) -> list[dict[str, Any]]:
    return [{"choice": v.choice, "balance": v.balance, "scores": list(v.scores)} for v in votes]


class ReferenceTally:
    """Ask snapshot.js for tallies and validity, one JSON line per request."""

    def __init__(self, *, max_old_space_mb: int | None = None) -> None:
        env = dict(os.environ)
        legacy = legacy_package()
        if legacy is not None:
            env["GOVDESK_SNAPSHOT_LEGACY"] = str(legacy)
        args = [str(node_binary())]
        if max_old_space_mb:
            args.append(f"--max-old-space-size={max_old_space_mb}")
        self._process = subprocess.Popen(
            [*args, str(SCRIPT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )

    def request(self, payload: dict[str, Any]) -> dict[str, Any]:
        assert self._process.stdin is not None
        assert self._process.stdout is not None
        self._process.stdin.write(json.dumps(payload, allow_nan=False) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError("the snapshot.js reference process exited")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def tally(
        self,
        voting_type: str,
        choices: Sequence[str],
        votes: Sequence[TallyVote],
        strategies_count: int,
        *,
        copeland_variant: str = "current",
    ) -> TallyResult:
        answer = self.request(
            {
                "op": "tally",
                "type": voting_type,
                "variant": copeland_variant,
                "choices": list(choices),
                "votes": votes_json(votes),
                "strategies": strategies_count,
            }
        )
        return result_from_answer(answer)

    def is_valid(
        self, voting_type: str, choice: object, choices_count: int, variant: str = "current"
    ) -> bool:
        answer = self.request(
            {
                "op": "valid",
                "type": voting_type,
                "variant": variant,
                "choice": choice,
                "choices": [f"choice {i + 1}" for i in range(choices_count)],
            }
        )
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return bool(answer["valid"])

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait(timeout=10)
        if self._process.stdout is not None:
            self._process.stdout.close()


def result_from_answer(answer: dict[str, Any]) -> TallyResult:
    if "error" in answer:
        raise RuntimeError(f"snapshot.js failed: {answer['error']}")
    return TallyResult(
        scores=tuple(float(x) for x in answer["scores"]),
        scores_by_strategy=tuple(
            tuple(float(x) for x in row) for row in answer["scores_by_strategy"]
        ),
        scores_total=float(answer["scores_total"]),
    )

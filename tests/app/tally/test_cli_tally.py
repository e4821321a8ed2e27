"""``govdesk tally``: JSON in, exact JSON out, exit code 2 on bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main

DOCUMENT = {
    "type": "ranked-choice",
    "choices": ["A", "B", "C"],
    "strategies": [{"name": "erc20-balance-of"}, {"name": "delegation"}],
    "votes": [
        {"choice": [1, 2, 3], "balance": 4, "scores": [4, 0]},
        {"choice": [2, 1, 3], "balance": 3, "scores": [3, 0]},
        {"choice": [3, 2, 1], "balance": 3, "scores": [2, 1]},
        {"choice": [1, 2], "balance": 100, "scores": [100, 0]},
    ],
}


def test_tally_reads_a_file_and_prints_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "proposal.json"
    path.write_text(json.dumps(DOCUMENT))
    assert main(["tally", "--input", str(path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {
        "scores": [7.0, 0.0, 3.0],
        "scores_by_strategy": [[7.0, 0.0], [0.0, 0.0], [2.0, 1.0]],
        "scores_total": 110.0,
    }


def test_tally_floats_round_trip_exactly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    document = {
        "type": "quadratic",
        "choices": ["A", "B", "C"],
        "strategies": 1,
        "votes": [
            {"choice": {"1": 1, "2": 3}, "balance": 15, "scores": [15]},
            {"choice": {"3": 2}, "balance": 3, "scores": [3]},
            {"choice": {"2": 1}, "balance": 2, "scores": [2]},
            {"choice": {"1": 1}, "balance": 4, "scores": [4]},
        ],
    }
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(document)))
    assert main(["tally", "--input", "-"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["scores"] == [9.019596136281935, 13.234221199161173, 1.7461826645568932]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("not json", "not valid JSON"),
        ("[]", "JSON object"),
        ('{"type": "borda", "choices": [], "votes": []}', "Unknown voting type"),
        ('{"type": "basic", "choices": [1], "votes": []}', "list of strings"),
        (
            '{"type": "basic", "choices": ["a"], "strategies": 0, "votes": [{"choice": 1}]}',
            "balance",
        ),
        ('{"type": "basic", "choices": ["a"], "votes": []}', "strategies"),
        (
            '{"type": "basic", "choices": ["a"], "strategies": 1, '
            '"votes": [{"choice": 1, "balance": NaN, "scores": [1]}]}',
            "NaN",
        ),
        (
            '{"type": "copeland", "copeland_variant": "old", "choices": ["a"], "votes": []}',
            "Copeland variant",
        ),
        (
            '{"type": "basic", "choices": ["a"], "strategies": 2, '
            '"votes": [{"choice": 1, "balance": 1, "scores": [1]}]}',
            "strategy scores",
        ),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    document: str,
    message: str,
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(document))
    assert main(["tally", "--input", "-"]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tally", "--input", str(tmp_path / "nope.json")]) == 2
    assert "Cannot read the tally input" in capsys.readouterr().err


def test_console_script_runs_from_stdin() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "app", "tally", "--input", "-"],
        input=json.dumps(DOCUMENT),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["scores"] == [7.0, 0.0, 3.0]

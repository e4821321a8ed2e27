"""`govdesk org` and `govdesk pipeline` through the real entry point, in temp folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from app.config import STORE_FILE
from app.pipeline.drafts import DraftsRepo
from app.store.database import connect


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_org_add_list_show_remove(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = ["--config-dir", str(tmp_path)]
    code, out, _ = run(capsys, "org", "add", "mydao", "--name", "My DAO", "--chain-id", "10",
                       "--rpc", "https://a.example", "--rpc", "https://b.example", "--space", "mydao.eth", *cfg)  # fmt: skip
    assert (code, out.strip()) == (0, "Saved mydao (My DAO).")
    code, out, _ = run(capsys, "org", "list", "--json", *cfg)
    slugs = [o["slug"] for o in json.loads(out)]
    assert slugs == ["mydao", "braintrust"]
    code, out, _ = run(capsys, "org", "show", "mydao", *cfg)
    assert json.loads(out)["network"]["rpc_urls"] == ["https://a.example", "https://b.example"]
    assert run(capsys, "org", "remove", "mydao", *cfg)[0] == 0
    code, _, err = run(capsys, "org", "remove", "braintrust", *cfg)
    assert code == 2
    assert "presets cannot be removed" in err


def test_org_add_with_a_bad_address_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "org", "add", "x", "--name", "X", "--chain-id", "1", "--rpc", "https://r.example",
                       "--governor", "0x12", "--config-dir", str(tmp_path))  # fmt: skip
    assert code == 2
    assert err.strip() == "govdesk: The governor address “0x12” is not a valid Ethereum address."


def test_pipeline_json_lists_drafts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A Snapshot-only organisation whose hub refuses connections: drafts still show.
    run(capsys, "org", "add", "local", "--name", "Local", "--chain-id", "31337", "--rpc", "http://127.0.0.1:9",
        "--space", "local.eth", "--hub", "http://127.0.0.1:9", "--config-dir", str(tmp_path / "cfg"))  # fmt: skip
    DraftsRepo(connect(tmp_path / "data" / STORE_FILE)).create("local", "Lower the fee")
    code, out, err = run(capsys, "pipeline", "--org", "local", "--json", "--data-dir", str(tmp_path / "data"),
                         "--config-dir", str(tmp_path / "cfg"))  # fmt: skip
    assert code == 0
    assert "could not read everything: Snapshot:" in err
    board = json.loads(out)
    assert board["org"] == "local"
    assert [(c["title"], c["phase"], c["next_action"]) for c in board["cards"]] == [
        ("Lower the fee", "ideate", "create_temperature_check")
    ]
    code, out, _ = run(
        capsys,
        "pipeline",
        "--org",
        "local",
        "--data-dir",
        str(tmp_path / "data"),
        "--config-dir",
        str(tmp_path / "cfg"),
    )
    assert "== ideate (1)" in out
    assert "[draft] Lower the fee  -> create_temperature_check" in out


def test_idea_add_list_link_unlink(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dirs = ["--data-dir", str(tmp_path / "d"), "--config-dir", str(tmp_path / "c")]
    body = tmp_path / "body.md"
    body.write_text("Why **now**.")
    code, out, _ = run(
        capsys, "idea", "add", "--title", "Lower the fee", "--body-file", str(body), *dirs
    )
    assert code == 0
    idea_id = out.strip()
    assert run(capsys, "idea", "list", *dirs)[1].strip() == f"{idea_id}  Lower the fee"
    code, out, _ = run(capsys, "idea", "link", "temperature:0xabc", idea_id, *dirs)
    assert (code, out.strip()) == (0, f"Linked temperature:0xabc to {idea_id}.")
    assert run(capsys, "idea", "unlink", "onchain:7", *dirs)[0] == 0
    conn = connect(tmp_path / "d" / STORE_FILE)
    links = dict(conn.execute("SELECT item_key, initiative_id FROM initiative_links").fetchall())
    assert links == {"temperature:0xabc": idea_id, "onchain:7": None}


@pytest.mark.parametrize(
    ("argv", "message"),
    [(["idea", "link", "nonsense", "x"], "is not an item"),
     (["idea", "link", "onchain:7", "missing"], "no idea with id missing"),
     (["idea", "add", "--title", "t", "--body-file", "/nonexistent/x.md"], "Cannot read /nonexistent/x.md"),
     (["idea", "add", "--org", "nope", "--title", "t"], "No organisation “nope”")],
)  # fmt: skip
def test_idea_errors_are_messages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = run(
        capsys, *argv, "--data-dir", str(tmp_path / "d"), "--config-dir", str(tmp_path / "c")
    )
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_cli_and_app_share_one_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import asyncio

    from app.services import Services

    address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
    assert (
        main(
            ["account", "watch", address, "--label", "Treasury", "--data-dir", str(tmp_path / "d")]
        )
        == 0
    )
    capsys.readouterr()
    with Services.open(data_dir=tmp_path / "d", config_dir=tmp_path / "c") as services:
        accounts = asyncio.run(services.account_manager().list_accounts())
    assert [(a.address, a.label) for a in accounts] == [(address, "Treasury")]

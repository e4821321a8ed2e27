"""Organisations: presets, validation with specific messages, atomic persistence."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from app.errors import ConfigError
from app.orgs import BRAINTRUST, Network, Organisation, OrgBook, devnet_organisations, validate

DEVNET = {
    "rpc_url": "http://127.0.0.1:8545",
    "chain_id": 31337,
    "hub_url": "http://127.0.0.1:9000",
    "stacks": {
        "alpha": {
            "token": "0x5fbdb2315678afecb367f032d93f642f64180aa3",
            "governor": "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
            "timelock": "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
        }
    },
}


def test_braintrust_preset_is_valid_and_mainnet() -> None:
    org = validate(BRAINTRUST)
    assert org.network.chain_id == 1
    assert org.snapshot_space == "usebraintrust.eth"
    assert org.governor == "0x1a0D3d5a43e53510f80F16905Bc96e907A47dD01"


def test_devnet_presets_come_from_the_devnet_description() -> None:
    (org,) = devnet_organisations(DEVNET)
    assert (org.slug, org.network.chain_id, org.snapshot_hub) == (
        "devnet-alpha",
        31337,
        "http://127.0.0.1:9000",
    )
    assert validate(org).token == "0x5FbDB2315678afecb367f032d93F642f64180aa3"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"slug": "Bad Slug"}, "not a valid short name"),
        ({"name": "  "}, "needs a name"),
        ({"governor": "0x123"}, "governor address “0x123” is not a valid"),
        ({"network": Network(0, "x")}, "Chain id 0"),
        ({"network": Network(1, "x", ("ftp://rpc",))}, "not an http"),
        ({"governor": "", "snapshot_space": ""}, "governor address, a Snapshot space"),
    ],
)
def test_validation_names_the_problem(change: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        validate(dataclasses.replace(BRAINTRUST, **change))  # type: ignore[arg-type]


def test_saved_orgs_round_trip_and_shadow_presets(tmp_path: Path) -> None:
    book = OrgBook(tmp_path, devnet_organisations(DEVNET))
    assert {o.slug for o in book.all()} == {"braintrust", "devnet-alpha"}
    mine = Organisation(
        "mydao", "My DAO", Network(10, "Optimism", ("https://rpc.example",)), "mydao.eth"
    )
    book.save(mine)
    edited = book.save(dataclasses.replace(BRAINTRUST, name="Braintrust (my RPC)"))
    assert not edited.preset
    again = OrgBook(tmp_path, devnet_organisations(DEVNET))
    assert again.get("mydao") == mine
    assert again.get("braintrust").name == "Braintrust (my RPC)"
    assert [o.slug for o in again.all()].count("braintrust") == 1
    assert json.loads((tmp_path / "orgs.json").read_text())["version"] == 2


def test_remove_refuses_presets_and_unknown_names(tmp_path: Path) -> None:
    book = OrgBook(tmp_path)
    with pytest.raises(ConfigError, match="presets cannot be removed"):
        book.remove("braintrust")
    with pytest.raises(ConfigError, match="No organisation “nope”"):
        book.get("nope")


def test_a_damaged_file_gives_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "orgs.json").write_text("{not json")
    with pytest.raises(ConfigError, match="damaged"):
        OrgBook(tmp_path).all()


def test_the_file_is_read_again_only_when_it_changed(tmp_path: Path) -> None:
    book = OrgBook(tmp_path)
    book.save(Organisation("a", "A", Network(1, "x", ("https://r.example",)), "a.eth"))
    first = book.user_orgs()
    path = tmp_path / "orgs.json"
    stat = path.stat()
    # Garbage of the same size with the same mtime: only a re-read would notice (and fail).
    path.write_bytes(b"x" * stat.st_size)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert book.user_orgs() == first
    path.write_text("{not json")
    with pytest.raises(ConfigError, match="damaged"):
        book.user_orgs()  # a changed file is read again
    path.unlink()
    other = OrgBook(tmp_path)  # e.g. the CLI, editing while the app runs
    other.save(Organisation("b", "B", Network(1, "x", ("https://r.example",)), "b.eth"))
    assert [o.slug for o in book.user_orgs()] == ["b"]


def test_version_1_orgs_file_upgrades_to_a_separate_sequencer(tmp_path: Path) -> None:
    """A version-1 orgs.json knew one Snapshot URL; Snapshot's own hubs get their sequencer."""
    from app.orgs import sequencer_url

    network = {"chain_id": 1, "name": "Ethereum", "rpc_urls": ["https://rpc.example"]}
    old = {
        "version": 1,
        "organisations": [
            {"slug": "main", "name": "Main", "network": network, "snapshot_space": "a.eth",
             "snapshot_hub": "https://hub.snapshot.org"},
            {"slug": "test", "name": "Test", "network": network, "snapshot_space": "b.eth",
             "snapshot_hub": "https://testnet.hub.snapshot.org/"},
            {"slug": "own", "name": "Own", "network": network, "snapshot_space": "c.eth",
             "snapshot_hub": "http://127.0.0.1:9000"},
        ],
    }  # fmt: skip
    (tmp_path / "orgs.json").write_text(json.dumps(old))
    book = OrgBook(tmp_path)
    found = {o.slug: sequencer_url(o) for o in book.user_orgs()}
    assert found == {
        "main": "https://seq.snapshot.org/",
        "test": "https://testnet.seq.snapshot.org/",
        "own": "http://127.0.0.1:9000/",
    }
    book.save(book.get("main"))
    saved = json.loads((tmp_path / "orgs.json").read_text())
    assert saved["version"] == 2
    main = next(o for o in saved["organisations"] if o["slug"] == "main")
    assert main["snapshot_sequencer"] == "https://seq.snapshot.org/"


def test_devnet_presets_carry_both_urls() -> None:
    from app.orgs import sequencer_url

    devnet = {**DEVNET, "sequencer_url": "http://127.0.0.1:9001/"}
    (org,) = devnet_organisations(devnet)
    assert org.snapshot_hub == DEVNET["hub_url"]
    assert sequencer_url(org) == "http://127.0.0.1:9001/"

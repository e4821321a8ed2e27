"""The command line's basic contract: version, help, errors as messages, a Qt-free core."""

from __future__ import annotations

import subprocess
import sys

import pytest

from app import __version__
from app.cli import main


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"govdesk {__version__}"
    assert __version__ != "0+unknown"


def test_help_lists_the_devnet_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "devnet" in capsys.readouterr().out


def test_python_dash_m_app_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == f"govdesk {__version__}"


def test_importing_the_core_does_not_load_qt() -> None:
    code = (
        "import sys, app, app.cli, app.errors, app.store.database, app.devnet.anvil\n"
        "qt = ('PySide6', 'shiboken6', 'qasync', 'ui')\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in qt]\n"
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_command_table_names_the_module_that_registers_each_command() -> None:
    import argparse
    import importlib

    from app.cli import COMMAND_MODULES, COMMANDS

    registered: dict[str, str] = {}
    for module in COMMAND_MODULES:
        parser = argparse.ArgumentParser()
        subparsers = parser.add_subparsers()
        importlib.import_module(module).register(subparsers)
        registered |= dict.fromkeys(subparsers.choices, module)
    assert registered == COMMANDS


def test_a_governor_command_loads_neither_web3_nor_the_other_commands() -> None:
    code = (
        "import sys\nfrom app.cli import main\n"
        "main(['governor', 'proposals', '--rpc', 'http://127.0.0.1:9', '--governor', "
        "'0x1a0D3d5a43e53510f80F16905Bc96e907A47dD01'])\n"
        "heavy = ('web3', 'eth_account', 'numpy', 'aiohttp', 'app.cli.account', 'app.keys')\n"
        "print(','.join(m for m in sys.modules if m.startswith(heavy)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "No RPC endpoint answered" in result.stderr
    assert result.stdout.strip() == ""

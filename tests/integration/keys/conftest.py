"""A private, real Secret Service for the keys integration tests.

Starts ``dbus-daemon --session`` on a socket in a temp dir and ``gnome-keyring-daemon --unlock
--components=secrets --foreground`` on that bus, with HOME and XDG_* pointed at temp dirs (the
daemon writes its keyring file into $HOME, see toolchain.md §3). Both are our child processes and
are stopped by pid in teardown; nothing touches the developer's own keyring.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection
from keyring.backends.SecretService import Keyring as SecretServiceKeyring

KEYRING_PASSWORD = "integration-keyring-login"


@dataclass(frozen=True)
class SecretService:
    backend: SecretServiceKeyring
    home: Path
    bus_address: str
    pids: tuple[int, ...]


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _name_has_owner(bus_address: str, name: str) -> bool:
    with open_dbus_connection(bus=bus_address) as connection:
        reply = connection.send_and_get_reply(message_bus.NameHasOwner(name), timeout=5)
    return bool(reply.body[0])


def _wait_for_secret_service(bus_address: str, daemon: subprocess.Popen[bytes]) -> None:
    # Wait for OUR daemon to own the name; touching the service earlier would let D-Bus
    # auto-start a second, locked gnome-keyring (toolchain.md §3: "Prompt dismissed").
    deadline = time.monotonic() + 10
    while not _name_has_owner(bus_address, "org.freedesktop.secrets"):
        if daemon.poll() is not None:
            raise RuntimeError(f"gnome-keyring-daemon exited with {daemon.returncode}")
        if time.monotonic() > deadline:
            raise TimeoutError("gnome-keyring-daemon did not register on the private bus")
        time.sleep(0.05)


@pytest.fixture
def secret_service(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, process_keyring: Callable[[Any], None]
) -> Iterator[SecretService]:
    for tool in ("dbus-daemon", "gnome-keyring-daemon"):
        if shutil.which(tool) is None:
            message = f"{tool} is not installed (apt-get install gnome-keyring dbus)"
            if os.environ.get("CI"):  # scripts/setup installs it: in CI a skip would hide a gap
                pytest.fail(message)
            pytest.skip(message)
    home = tmp_path / "keyring-home"
    runtime = home / "run"
    runtime.mkdir(parents=True, mode=0o700)
    env = os.environ | {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "share"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_RUNTIME_DIR": str(runtime),
    }
    address = f"unix:path={runtime / 'bus'}"
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", f"--address={address}", "--print-address"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    daemon: subprocess.Popen[bytes] | None = None
    try:
        assert bus.stdout is not None
        bus_address = bus.stdout.readline().decode().strip()
        env["DBUS_SESSION_BUS_ADDRESS"] = bus_address
        daemon = subprocess.Popen(
            ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert daemon.stdin is not None
        daemon.stdin.write(KEYRING_PASSWORD.encode())
        daemon.stdin.close()
        for name in ("DBUS_SESSION_BUS_ADDRESS", "HOME", "XDG_DATA_HOME", "XDG_RUNTIME_DIR"):
            monkeypatch.setenv(name, env[name])
        monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
        _wait_for_secret_service(bus_address, daemon)
        backend = SecretServiceKeyring()
        process_keyring(backend)  # the keyring every KeyringVault() of this test finds
        yield SecretService(backend, home, bus_address, pids=(bus.pid, daemon.pid))
    finally:
        if daemon is not None:
            _stop(daemon)
        _stop(bus)
        if bus.stdout is not None:
            bus.stdout.close()

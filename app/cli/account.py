"""`govdesk account ...`: create, import, list, export, rename, remove and watch accounts."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from app.cli.keys_context import (
    NEW_PASSWORD_ENV,
    add_data_dir_option,
    build_manager,
    open_context,
    read_password,
)
from app.errors import InputError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "account",
        help="manage accounts (keys sealed in the system keyring)",
        description="Manage accounts. Keys are sealed with your password and kept in the system "
        "keyring; passwords come from $GOVDESK_PASSWORD or a prompt.",
    )
    actions = parser.add_subparsers(title="actions", dest="account_action", metavar="ACTION")
    _register_create(actions)
    _register_import(actions)
    _register_simple(actions)
    _register_hardware(actions)
    parser.set_defaults(handler=lambda _args: (parser.print_help(), 0)[1])


def _action(actions: Any, name: str, help_text: str, handler: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = actions.add_parser(name, help=help_text)
    add_data_dir_option(parser)
    parser.set_defaults(handler=handler)
    return parser


def _register_create(actions: Any) -> None:
    create = _action(actions, "create", "create a new random account", _create)
    create.add_argument("--label")


def _register_import(actions: Any) -> None:
    imp = _action(actions, "import", "import a private key, recovery phrase or keystore", _import)
    source = imp.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--private-key", action="store_true", help="read a hex private key from stdin"
    )
    source.add_argument(
        "--mnemonic", action="store_true", help="read a BIP-39 recovery phrase from stdin"
    )
    source.add_argument("--keystore", type=Path, metavar="FILE", help="a keystore JSON file")
    imp.add_argument(
        "--path",
        default="bip44",
        help="derivation path template (default: bip44 = m/44'/60'/0'/0/{i})",
    )
    imp.add_argument("--index", type=int, help="which derived address to import")
    imp.add_argument("--show", type=int, default=5, metavar="N", help="list N derived addresses")
    imp.add_argument("--label")


def _register_simple(actions: Any) -> None:
    lst = _action(actions, "list", "list accounts", _list)
    lst.add_argument("--json", action="store_true")
    export = _action(
        actions,
        "export",
        "DANGEROUS: write a keystore other wallets can import, under a new password",
        _export,
    )
    export.add_argument("address")
    export.add_argument("--out", type=Path, required=True, metavar="FILE")
    rename = _action(actions, "rename", "change an account's label", _rename)
    rename.add_argument("address")
    rename.add_argument("label")
    remove = _action(actions, "remove", "remove an account and its key from this device", _remove)
    remove.add_argument("address")
    remove.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    watch = _action(actions, "watch", "add a watch-only address (signs offline)", _watch)
    watch.add_argument("address")
    watch.add_argument("--label")


def _register_hardware(actions: Any) -> None:
    hw: argparse.ArgumentParser = actions.add_parser(
        "hw",
        help="Ledger and Trezor accounts (the key stays on the device)",
        description="Accounts whose key stays on a Ledger (Ethereum app) or a Trezor. Nothing is "
        "sealed in the keyring: govdesk keeps the address, the path and the device fingerprint.",
    )
    hw_actions = hw.add_subparsers(title="actions", dest="hw_action", metavar="ACTION")

    def usage(_args: argparse.Namespace) -> int:
        hw.print_help()
        return 0

    hw.set_defaults(handler=usage)

    def device_options(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--vendor", choices=("ledger", "trezor"), help="which kind of device")
        parser.add_argument(
            "--path",
            default="bip44",
            help="bip44 (m/44'/60'/0'/0/{i}), ledger-live (m/44'/60'/{i}'/0/0), ledger-legacy "
            "(m/44'/60'/0'/{i}) or a template with {i}",
        )

    lst = _action(hw_actions, "list", "list the plugged-in device's addresses", _hw_list)
    device_options(lst)
    lst.add_argument("--start", type=int, default=0, metavar="N")
    lst.add_argument("--count", type=int, default=5, metavar="N")
    add = _action(hw_actions, "add", "add one of the device's addresses as an account", _hw_add)
    device_options(add)
    add.add_argument("--index", type=int, required=True, help="which address (see hw list)")
    add.add_argument("--label")
    add.add_argument(
        "--no-show", action="store_true", help="do not show the address on the device first"
    )
    show = _action(hw_actions, "show", "show a hardware account's address on its device", _hw_show)
    show.add_argument("address")


def hardware_backend() -> Any:
    """The devices the CLI talks to (USB)."""
    from app.keys.hardware.signer import HardwareBackend

    return HardwareBackend()


def _hw_list(args: argparse.Namespace) -> int:
    from app.keys.hardware.signer import device_addresses

    summary, found = _run(
        device_addresses(
            hardware_backend(), args.vendor, template=args.path, start=args.start, count=args.count
        )
    )
    _print_device(summary)
    for derived in found:
        print(f"{derived.index:>3}  {derived.path:<22}  {derived.address}")
    print("Add one with: govdesk account hw add --index N" + (f" --path {args.path}"))
    return 0


def _print_device(summary: Any) -> None:
    state = summary.state
    version = ".".join(str(v) for v in state.version)
    mode = "EIP-712 in full" if state.full_eip712 else "EIP-712 by hashes"
    model = summary.description.model or state.model
    print(f"{summary.description.title} {'' if summary.description.model else model}".strip()
          + f"  version {version}  fingerprint {summary.fingerprint}  ({mode})")  # fmt: skip


def _hw_add(args: argparse.Namespace) -> int:
    from app.keys.hardware.base import hardware_path
    from app.keys.hardware.signer import confirm_on_device
    from app.keys.metadata import HardwareRecord

    manager = build_manager(open_context(args))
    path = hardware_path(args.path, args.index)
    if not args.no_show:
        print(f"Check the address on your device and confirm it there ({path})…")
    summary, address = _run(
        confirm_on_device(hardware_backend(), args.vendor, path, show=not args.no_show)
    )
    vendor = summary.description.vendor
    model = summary.description.model or summary.state.model
    record = HardwareRecord(address, vendor, path, summary.fingerprint, model)
    _print_account(_run(manager.add_hardware(record, label=args.label)))
    return 0


def _hw_show(args: argparse.Namespace) -> int:
    from app.keys.hardware.errors import WrongDeviceError, vendor_name
    from app.keys.hardware.signer import confirm_on_device

    record = _run(build_manager(open_context(args)).hardware(args.address))
    print(f"Check that your {vendor_name(record.vendor)} shows {record.address}…")
    _summary, shown = _run(confirm_on_device(hardware_backend(), record.vendor, record.path))
    if shown != record.address:
        raise WrongDeviceError(
            f"This device has {shown} at {record.path}, not {record.address}: it is not the "
            "device this account was added from."
        )
    print(f"Confirmed: {shown}")
    return 0


def _run(coro: Coroutine[Any, Any, Any]) -> Any:
    return asyncio.run(coro)


def _print_account(info: Any) -> None:
    print(f"{info.address}  {info.kind.value:<5}  {info.label}")


def _create(args: argparse.Namespace) -> int:
    manager = build_manager(open_context(args))
    password = read_password("New password: ", confirm=True)
    _print_account(_run(manager.create(password, label=args.label)))
    return 0


def _read_stdin_secret(what: str) -> str:
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(f"{what}: ")
    return sys.stdin.readline().strip()


def _import(args: argparse.Namespace) -> int:
    manager = build_manager(open_context(args))
    if args.keystore is not None:
        try:
            text = args.keystore.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"Cannot read {args.keystore}.", detail=str(exc)) from None
        old = read_password("Keystore password: ")
        new = read_password("New password: ", env=NEW_PASSWORD_ENV, confirm=True)
        _print_account(_run(manager.import_keystore(text, old, new, label=args.label)))
        return 0
    if args.private_key:
        key = _read_stdin_secret("Private key")
        password = read_password("New password: ", confirm=True)
        _print_account(_run(manager.import_private_key(key, password, label=args.label)))
        return 0
    return _import_mnemonic(args, manager)


def _import_mnemonic(args: argparse.Namespace, manager: Any) -> int:
    from app.keys.mnemonic import list_addresses, resolve_path

    if args.index is not None:
        resolve_path(args.path, args.index)  # a bad index or path is refused before the words
    words = _read_stdin_secret("Recovery phrase")
    if args.index is None:
        for derived in list_addresses(words, template=args.path, count=args.show):
            print(f"{derived.index:>3}  {derived.path:<22}  {derived.address}")
        print("Run again with --index N to import one of these.")
        return 0
    password = read_password("New password: ", confirm=True)
    info = _run(
        manager.import_mnemonic(
            words, password, index=args.index, template=args.path, label=args.label
        )
    )
    _print_account(info)
    return 0


def _list(args: argparse.Namespace) -> int:
    accounts = _run(build_manager(open_context(args)).list_accounts())
    if args.json:
        rows = [
            {
                "address": a.address,
                "label": a.label,
                "kind": a.kind.value,
                "source": a.source.value,
                "derivationPath": a.derivation_path,
            }
            for a in accounts
        ]
        print(json.dumps(rows))
    else:
        for info in accounts:
            _print_account(info)
    return 0


def _export(args: argparse.Namespace) -> int:
    from app.keys.accounts import keystore_to_json
    from app.keys.files import write_private_file

    manager = build_manager(open_context(args))
    password = read_password("Account password: ")
    new = read_password("Password for the exported file: ", env=NEW_PASSWORD_ENV, confirm=True)
    keystore = _run(manager.export_keystore_unsafe(args.address, password, new))
    try:
        write_private_file(args.out, keystore_to_json(keystore))
    except OSError as exc:
        raise InputError(f"Cannot write {args.out}.", detail=str(exc)) from None
    print(f"Wrote {args.out}. Anyone with this file and its password controls the account.")
    return 0


def _rename(args: argparse.Namespace) -> int:
    _print_account(_run(build_manager(open_context(args)).rename(args.address, args.label)))
    return 0


def _remove(args: argparse.Namespace) -> int:
    manager = build_manager(open_context(args))
    if not args.yes:
        if not sys.stdin.isatty():
            raise InputError(
                "Refusing to remove an account without --yes in a non-interactive run."
            )
        answer = input(f"Remove {args.address} and its key from this device? [y/N] ")
        if answer.strip().lower() != "y":
            return 1
    _run(manager.remove(args.address))
    print(f"Removed {args.address}.")
    return 0


def _watch(args: argparse.Namespace) -> int:
    _print_account(_run(build_manager(open_context(args)).watch(args.address, label=args.label)))
    return 0

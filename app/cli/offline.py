"""`govdesk offline ...`: the offline side of air-gapped signing, and QR rendering of its files."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import jsonsafe
from app.cli.keys_context import add_data_dir_option, build_manager, open_context, read_password
from app.errors import InputError

if TYPE_CHECKING:
    from app.keys.airgap import SigningRequest, SigningResponse
    from app.keys.erc4527 import KeyPath
    from app.keys.preview import SigningPreview

from app.keys.airgap_files import (
    REQUEST_UR_TYPE,
    RESPONSE_UR_TYPE,
    read_request_file,
    read_request_ur,
    read_response_file,
    read_signing_file,
    read_text,
    response_parts,
)

__all__ = ["read_request_file", "read_request_ur", "read_response_file", "read_signing_file"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "offline",
        help="air-gapped signing: sign request files on an offline device",
        description="Sign a govdesk signing request on this (offline) device and write the "
        "signed response for the online device.",
    )
    actions = parser.add_subparsers(title="actions", dest="offline_action", metavar="ACTION")
    sign = actions.add_parser("sign", help="preview and sign a request file")
    add_data_dir_option(sign)
    sign.add_argument("request_file", type=Path, metavar="REQUEST_FILE")
    sign.add_argument("--account", required=True, metavar="ADDR")
    sign.add_argument("--out", type=Path, metavar="FILE", help="response file")
    sign.add_argument("--chain-id", type=int, help="the chain this device expects (flags others)")
    sign.add_argument("--network", default="the configured network", help="network name")
    sign.add_argument(
        "--abi", action="append", default=[], metavar="ADDR=FILE", help="ABI to decode calls"
    )
    sign.add_argument("--yes", action="store_true", help="sign without asking")
    sign.add_argument(
        "--accept-warnings", action="store_true", help="sign even with DANGER warnings"
    )
    sign.add_argument("--qr-dir", type=Path, help="also write the response as QR images here")
    sign.add_argument("--ur-out", type=Path, metavar="FILE", help="also write the response as UR")
    sign.set_defaults(handler=_sign)
    qr = actions.add_parser("qr", help="render a request or response file as QR frames")
    qr.add_argument("file", type=Path)
    qr.add_argument("--out-dir", type=Path, required=True)
    qr.add_argument("--svg", action="store_true", help="SVG instead of PNG")
    qr.add_argument(
        "--format",
        choices=("erc4527", "govdesk"),
        default="erc4527",
        help="erc4527: eth-sign-request/eth-signature for hardware and air-gapped wallets "
        "(default); govdesk: the whole file, with its preview context",
    )
    qr.add_argument("--path", default=None, help="key path for eth-sign-request (m/44'/60'/0'/0/0)")
    qr.add_argument("--fingerprint", help="master key fingerprint (8 hex digits), if known")
    qr.set_defaults(handler=_qr)
    parser.set_defaults(handler=lambda _args: (parser.print_help(), 0)[1])


def _load_abis(specs: list[str]) -> dict[str, list[dict[str, Any]]]:
    abis: dict[str, list[dict[str, Any]]] = {}
    for spec in specs:
        address, sep, file = spec.partition("=")
        if not sep:
            raise InputError(f"--abi wants ADDR=FILE, not {spec!r}.")
        try:
            data = jsonsafe.loads(Path(file).read_text("utf-8"), source=f"the ABI file {file}")
        except (OSError, UnicodeDecodeError, jsonsafe.HostileDataError) as exc:
            raise InputError(f"Cannot read the ABI file {file}.", detail=str(exc)) from None
        abis[address] = data["abi"] if isinstance(data, dict) else data
    return abis


def render_preview(preview: SigningPreview) -> str:
    """The preview as plain text for a terminal."""
    lines = [f"== {preview.title} ==", f"   ({preview.kind})"]
    for warning in preview.warnings:
        lines.append(f"!! {warning.severity.value.upper()}: {warning.message}")
    width = max((len(f.label) for f in preview.fields), default=0)
    lines += [f"   {f.label:<{width}}  {f.value}" for f in preview.fields]
    lines += ["-- raw data --", preview.raw_json]
    return "\n".join(lines)


def _confirm(preview: SigningPreview, args: argparse.Namespace) -> None:
    if preview.dangerous and not args.accept_warnings:
        raise InputError(
            "This request carries DANGER warnings; not signed. Re-run with --accept-warnings "
            "only if you are sure."
        )
    if args.yes:
        return
    if not sys.stdin.isatty():
        raise InputError("Refusing to sign without --yes in a non-interactive run.")
    if input("Sign this? [y/N] ").strip().lower() != "y":
        raise InputError("Not signed.")


async def _sign_async(
    request: SigningRequest, args: argparse.Namespace, password: str
) -> SigningResponse:
    from app.keys.errors import WatchOnlyError
    from app.keys.metadata import AccountKind
    from app.keys.unlock import StoredFailures, UnlockSession
    from app.keys.vault_signers import VaultSigner, sign_request

    ctx = open_context(args)
    manager = build_manager(ctx)
    info = await manager.get(args.account)
    if info.kind is not AccountKind.LOCAL:
        raise WatchOnlyError(f"{info.address} is watch-only on this device: it cannot sign.")
    session = UnlockSession(manager.vault, ledger=StoredFailures(ctx.conn))
    await session.unlock(info.address, password)
    try:
        signer = VaultSigner(session, info.address, chain_id=request.chain_id)
        return await sign_request(request, signer)
    finally:
        session.lock_all()


def _sign(args: argparse.Namespace) -> int:
    from app.keys.airgap import dump_response
    from app.keys.files import write_private_file
    from app.keys.preview import build_preview

    request, erc4527 = read_request_file(args.request_file, address=args.account)
    preview = build_preview(
        request.payload,
        expected_chain_id=args.chain_id,
        network_name=args.network,
        known_abis=_load_abis(args.abi),
        context=request.context,
    )
    print(render_preview(preview))
    _confirm(preview, args)
    password = read_password(f"Password for {args.account}: ")
    response = asyncio.run(_sign_async(request, args, password))
    out = args.out or args.request_file.with_suffix(".signed.json")
    write_private_file(out, dump_response(response))
    print(f"Signed. Response written to {out}.")
    parts = response_parts(response, erc4527=erc4527)
    if args.ur_out is not None:
        args.ur_out.write_text("\n".join(parts) + "\n", "utf-8")
        print(f"Response UR written to {args.ur_out}.")
    if args.qr_dir is not None:
        _write_frames(parts, args.qr_dir, out.stem, svg=False)
    return 0


def _write_frames(parts: list[str], out_dir: Path, stem: str, *, svg: bool) -> None:
    from app.keys.qr import write_qr_frames

    paths = write_qr_frames(parts, out_dir, stem=stem, kind="svg" if svg else "png")
    print(f"Wrote {len(paths)} QR frame(s) to {out_dir}.")


def _key_path(args: argparse.Namespace) -> KeyPath:
    from app.keys.airgap import DEFAULT_KEY_PATH
    from app.keys.erc4527 import KeyPath

    fingerprint = None
    if args.fingerprint is not None:
        try:
            fingerprint = int(args.fingerprint.removeprefix("0x"), 16)
        except ValueError:
            raise InputError(
                f"--fingerprint wants 8 hex digits, not {args.fingerprint!r}."
            ) from None
        if not 0 < fingerprint < 1 << 32:
            raise InputError(f"--fingerprint wants 8 hex digits, not {args.fingerprint!r}.")
    return KeyPath.parse(args.path or DEFAULT_KEY_PATH, source_fingerprint=fingerprint)


def _erc4527_parts(fmt: str, text: str, args: argparse.Namespace) -> list[str]:
    from app.keys.airgap import build_eth_sign_request, load_request, load_response
    from app.keys.ur import encode_ur

    if fmt == "govdesk-signing-request":
        request = build_eth_sign_request(load_request(text), key_path=_key_path(args))
        return encode_ur(request.to_ur())
    return response_parts(load_response(text), erc4527=True)


def _qr(args: argparse.Namespace) -> int:
    from app.keys.ur import encode_parts

    text = read_text(args.file)
    try:
        fmt = jsonsafe.loads(text, source=str(args.file)).get("format")
    except (jsonsafe.HostileDataError, AttributeError):
        raise InputError(f"{args.file} is not a govdesk signing file.") from None
    types = {
        "govdesk-signing-request": REQUEST_UR_TYPE,
        "govdesk-signing-response": RESPONSE_UR_TYPE,
    }
    if fmt not in types:
        raise InputError(f"{args.file} is not a govdesk signing request or response.")
    if args.format == "erc4527":
        parts = _erc4527_parts(fmt, text, args)
    else:
        parts = encode_parts(types[fmt], text.encode("utf-8"))
    _write_frames(parts, args.out_dir, args.file.stem, svg=args.svg)
    return 0

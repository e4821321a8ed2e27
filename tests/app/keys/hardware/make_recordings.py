"""Write tests/app/keys/hardware/recordings/*.json (run once; commit the files).

No emulator (Speculos, the Trezor emulator) can be installed here, so the device side of each
recording is answered by a test key (the Hardhat test mnemonic, whose first address is
0xf39F…2266) following the protocol documents: the Ledger Ethereum app's ``doc/ethapp.adoc`` and
trezor-firmware's ``messages-ethereum*.proto``. Signatures in the recordings are real secp256k1
signatures by that key, so the tests check them with eth-account's recovery.

    .venv/bin/python -m tests.app.keys.hardware.make_recordings
"""

from __future__ import annotations

import json
import struct
from typing import Any

import rlp  # type: ignore[import-untyped]
from eth_keys import keys as eth_keys
from eth_utils.crypto import keccak
from trezorlib import messages as m

from app.keys.hardware.base import typed_data_hashes
from app.keys.hardware.ledger import LedgerEthApp
from app.keys.hardware.signer import list_device_addresses
from app.keys.hardware.trezor import TrezorEth
from app.keys.mnemonic import derive_private_key, seed_from_mnemonic
from tests.app.keys.hardware import samples
from tests.app.keys.hardware.recorded import LEDGER_DOC, RECORDINGS, TREZOR_DOC, encode

SEED = seed_from_mnemonic("test test test test test test test test test test test junk")
HARDENED = 0x8000_0000


def path_text(indices: list[int]) -> str:
    return "m/" + "/".join(f"{i & ~HARDENED}'" if i & HARDENED else str(i) for i in indices)


def key_at(path: str) -> eth_keys.PrivateKey:
    return eth_keys.PrivateKey(derive_private_key(SEED, path))


def sign_digest(path: str, digest: bytes) -> tuple[int, bytes, bytes]:
    sig = key_at(path).sign_msg_hash(digest)
    return sig.v, sig.r.to_bytes(32, "big"), sig.s.to_bytes(32, "big")


LEDGER_SECTIONS = {
    0x02: "GET ETH PUBLIC ADDRESS",
    0x04: "SIGN ETH TRANSACTION",
    0x06: "GET APP CONFIGURATION",
    0x0C: "SIGN ETH EIP 712",
    0x1A: "EIP712 SEND STRUCT DEFINITION",
    0x1C: "EIP712 SEND STRUCT IMPLEMENTATION",
}


class TestKeyLedger:
    """Answers APDUs as the Ethereum app would, with the test seed."""

    def __init__(
        self, version: tuple[int, int, int], blind: bool, typed: dict[str, Any] | None = None
    ) -> None:
        self.version, self.blind, self.typed = version, blind, typed
        self.log: list[dict[str, str]] = []
        self.tx = b""
        self.tx_path = ""

    def _path(self, data: bytes) -> tuple[str, bytes]:
        count = data[0]
        indices = list(struct.unpack(f">{count}I", data[1 : 1 + 4 * count]))
        return path_text(indices), data[1 + 4 * count :]

    def answer(self, command: bytes) -> bytes:
        ins, p1, p2, data = command[1], command[2], command[3], command[5:]
        ok = b"\x90\x00"
        if ins == 0x06:
            return bytes([0x01 if self.blind else 0x00, *self.version]) + ok
        if ins == 0x02:
            path, _ = self._path(data)
            key = key_at(path)
            pub = b"\x04" + key.public_key.to_bytes()
            addr = key.public_key.to_checksum_address()[2:].encode()
            return bytes([65]) + pub + bytes([40]) + addr + ok
        if ins in (0x1A, 0x1C):
            return ok
        if ins == 0x0C:
            path, rest = self._path(data)
            if p2 == 0x00:
                digest = keccak(b"\x19\x01" + rest[:32] + rest[32:64])
            else:
                assert self.typed is not None
                digest = typed_data_hashes(self.typed).digest
            v, r, s = sign_digest(path, digest)
            return bytes([27 + v]) + r + s + ok
        if ins == 0x04:
            if p1 == 0x00:
                self.tx_path, self.tx = self._path(data)
            else:
                self.tx += data
            body = self.tx[1:]
            items_len = rlp.codec.consume_length_prefix(body, 0)
            if len(body) < items_len[3] + items_len[2]:
                return ok
            v, r, s = sign_digest(self.tx_path, keccak(self.tx))
            return bytes([v]) + r + s + ok
        raise AssertionError(f"unknown INS {ins:02x}")

    def exchange(self, command: bytes) -> bytes:
        response = self.answer(command)
        self.log.append(
            {
                "section": f"{LEDGER_DOC} § {LEDGER_SECTIONS[command[1]]}",
                "command": command.hex(),
                "response": response.hex(),
            }
        )
        return response

    def close(self) -> None:
        pass


class TestKeyTrezor:
    """Answers protobuf messages as Trezor firmware would, with the test seed."""

    def __init__(
        self, model: str, version: tuple[int, int, int], typed: dict[str, Any] | None = None
    ) -> None:
        self.model, self.version, self.typed = model, version, typed
        self.log: list[dict[str, Any]] = []
        self.pending: list[Any] = []
        self.tx: dict[str, Any] = {}

    def _typed_requests(self, primary: str) -> list[Any]:
        assert self.typed is not None
        from app.keys.hardware.base import complete_types

        types = complete_types(self.typed)
        order: list[str] = []

        def visit(name: str) -> None:
            if name in order:
                return
            order.append(name)
            for f in types[name]:
                base = f["type"].split("[")[0]
                if base in types:
                    visit(base)

        visit("EIP712Domain")
        visit(primary)
        out: list[Any] = [m.EthereumTypedDataStructRequest(name=n) for n in order]

        def values(type_name: str, value: Any, path: list[int]) -> None:
            if type_name.endswith("]"):
                out.append(m.EthereumTypedDataValueRequest(member_path=path))
                for n, item in enumerate(value):
                    values(type_name[: type_name.rindex("[")], item, [*path, n])
            elif type_name in types:
                for n, f in enumerate(types[type_name]):
                    values(f["type"], value[f["name"]], [*path, n])
            else:
                out.append(m.EthereumTypedDataValueRequest(member_path=path))

        values("EIP712Domain", self.typed["domain"], [0])
        values(primary, self.typed["message"], [1])
        return out

    def answer(self, message: Any) -> Any:
        if isinstance(message, m.GetFeatures):
            return m.Features(
                vendor="trezor.io",
                major_version=self.version[0],
                minor_version=self.version[1],
                patch_version=self.version[2],
                model=self.model,
                initialized=True,
                unlocked=True,
            )
        if isinstance(message, m.EthereumGetAddress):
            address = key_at(path_text(list(message.address_n))).public_key.to_checksum_address()
            reply = m.EthereumAddress(address=address)
            if message.show_display:
                self.pending = [reply]
                return m.ButtonRequest(code=m.ButtonRequestType.Address)
            return reply
        if isinstance(message, m.ButtonAck):
            return self.pending.pop(0)
        if isinstance(message, m.EthereumSignTypedData):
            self.path = path_text(list(message.address_n))
            self.pending = self._typed_requests(message.primary_type)
            return self.pending.pop(0)
        if isinstance(message, (m.EthereumTypedDataStructAck, m.EthereumTypedDataValueAck)):
            if self.pending:
                return self.pending.pop(0)
            assert self.typed is not None
            return self._signature(typed_data_hashes(self.typed).digest)
        if isinstance(message, m.EthereumSignTypedHash):
            self.path = path_text(list(message.address_n))
            digest = keccak(
                b"\x19\x01" + message.domain_separator_hash + (message.message_hash or b"")
            )
            return self._signature(digest)
        if isinstance(message, m.EthereumSignTxEIP1559):
            self.path = path_text(list(message.address_n))
            self.tx_msg, self.data = message, bytes(message.data_initial_chunk or b"")
            return self._tx_next()
        if isinstance(message, m.EthereumTxAck):
            self.data += bytes(message.data_chunk)
            return self._tx_next()
        raise AssertionError(f"unexpected {message}")

    def _signature(self, digest: bytes) -> Any:
        v, r, s = sign_digest(self.path, digest)
        address = key_at(self.path).public_key.to_checksum_address()
        return m.EthereumTypedDataSignature(signature=r + s + bytes([27 + v]), address=address)

    def _tx_next(self) -> Any:
        msg = self.tx_msg
        if len(self.data) < (msg.data_length or 0):
            return m.EthereumTxRequest(data_length=min(1024, msg.data_length - len(self.data)))
        num = lambda b: int.from_bytes(b, "big")  # noqa: E731
        items = [
            msg.chain_id,
            num(msg.nonce),
            num(msg.max_priority_fee),
            num(msg.max_gas_fee),
            num(msg.gas_limit),
            bytes.fromhex(msg.to[2:]),
            num(msg.value),
            self.data,
            [],
        ]
        digest = keccak(b"\x02" + rlp.encode(items))
        v, r, s = sign_digest(self.path, digest)
        return m.EthereumTxRequest(signature_v=v, signature_r=r, signature_s=s)

    def call(self, message: Any) -> Any:
        reply = self.answer(message)
        sent_type, sent_hex = encode(message)
        got_type, got_hex = encode(reply)
        self.log.append(
            {
                "section": f"{TREZOR_DOC} § {sent_type} -> {got_type}",
                "send": {"type": sent_type, "hex": sent_hex},
                "receive": {"type": got_type, "hex": got_hex},
            }
        )
        return reply

    def close(self) -> None:
        pass


def write(name: str, vendor: str, log: list[dict[str, Any]], note: str) -> None:
    doc = LEDGER_DOC if vendor == "ledger" else TREZOR_DOC
    body = {"vendor": vendor, "document": doc, "note": note, "exchanges": log}
    (RECORDINGS / f"{name}.json").write_text(json.dumps(body, indent=1) + "\n", "utf-8")
    print(f"wrote {name}.json ({len(log)} exchanges)")


def ledger_session(device: TestKeyLedger, path: str) -> LedgerEthApp:
    """What HardwareSigner does first on every open: configuration, then the account's address."""
    app = LedgerEthApp(device, model="Nano S Plus")
    app.state()
    app.get_address(path)
    return app


def main() -> None:
    RECORDINGS.mkdir(exist_ok=True)
    path = samples.PATH
    # Ledger: the address picker (standard and Ledger Live paths), then showing one on the device.
    dev = TestKeyLedger((1, 10, 4), blind=False)
    app = LedgerEthApp(dev, model="Nano S Plus")
    app.state()
    app.get_address("m/44'/60'/0'/0/0")  # the fingerprint
    list_device_addresses(app, template="bip44", count=5)
    list_device_addresses(app, template="ledger-live", count=2)
    write("ledger_addresses", "ledger", dev.log, "app 1.10.4, picker over bip44 and ledger-live")
    dev = TestKeyLedger((1, 10, 4), blind=False)
    app = LedgerEthApp(dev, model="Nano S Plus")
    app.state()
    app.get_address("m/44'/60'/0'/0/0")
    app.get_address(path, show=True)
    write("ledger_show_address", "ledger", dev.log, "GET ETH PUBLIC ADDRESS with P1=01 (display)")
    # Ledger: a Snapshot vote in full (app 1.10.4 ≥ 1.9.19), blind signing off.
    vote = samples.snapshot_vote()
    dev = TestKeyLedger((1, 10, 4), blind=False, typed=vote)
    ledger_session(dev, path).sign_typed_data(path, vote, full=True)
    write("ledger_vote_full", "ledger", dev.log, "Snapshot vote, full EIP-712")
    # Ledger: the same vote on app 1.9.0 (< 1.9.19): by hashes, blind signing on.
    dev = TestKeyLedger((1, 9, 0), blind=True)
    ledger_session(dev, path).sign_typed_data(path, vote, full=False)
    write("ledger_vote_hashes", "ledger", dev.log, "Snapshot vote on app 1.9.0: v0 (hashes)")
    # Ledger: a Governor castVote transaction (EIP-1559), blind signing on (contract data).
    dev = TestKeyLedger((1, 10, 4), blind=True)
    ledger_session(dev, path).sign_transaction(path, samples.governor_vote_tx())
    write("ledger_governor_tx", "ledger", dev.log, "Governor castVoteWithReason, EIP-1559")
    # Trezor: features, picker, show address, vote in full, Governor transaction.
    dev2 = TestKeyTrezor("Safe 3", (2, 8, 1))
    tz = TrezorEth(dev2)
    tz.state()
    tz.get_address("m/44'/60'/0'/0/0")
    list_device_addresses(tz, template="bip44", count=3)
    tz.get_address(path, show=True)
    write("trezor_addresses", "trezor", dev2.log, "Safe 3 firmware 2.8.1: picker, show address")
    dev2 = TestKeyTrezor("Safe 3", (2, 8, 1), typed=vote)
    tz = TrezorEth(dev2)
    tz.state()
    tz.get_address(path)
    tz.sign_typed_data(path, vote, full=True)
    write("trezor_vote_full", "trezor", dev2.log, "Snapshot vote, EthereumSignTypedData")
    dev2 = TestKeyTrezor("1", (1, 12, 1))
    tz = TrezorEth(dev2)
    tz.state()
    tz.get_address(path)
    tz.sign_typed_data(path, vote, full=False)
    write("trezor_vote_hashes", "trezor", dev2.log, "Model One 1.12.1: EthereumSignTypedHash")
    dev2 = TestKeyTrezor("Safe 3", (2, 8, 1))
    tz = TrezorEth(dev2)
    tz.state()
    tz.get_address(path)
    tz.sign_transaction(path, samples.governor_vote_tx())
    write(
        "trezor_governor_tx",
        "trezor",
        dev2.log,
        "Governor castVoteWithReason, EthereumSignTxEIP1559",
    )


if __name__ == "__main__":
    main()

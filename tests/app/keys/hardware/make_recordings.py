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


LEDGER_BASES = {1: "int", 2: "uint", 3: "address", 4: "bool", 5: "string", 6: "bytes", 7: "bytes"}


def _ledger_field(data: bytes) -> dict[str, str]:
    """§ EIP712 SEND STRUCT DEFINITION, struct field: back to ``{"name", "type"}``."""
    desc, pos = data[0], 1
    code = desc & 0x0F
    if code == 0:
        length = data[pos]
        base, pos = data[pos + 1 : pos + 1 + length].decode(), pos + 1 + length
    else:
        base = LEDGER_BASES[code]
    if desc & 0x40:
        size, pos = data[pos], pos + 1
        base += str(size * 8 if code in (1, 2) else size)
    if desc & 0x80:
        levels, pos = data[pos], pos + 1
        for _ in range(levels):
            if data[pos] == 0:
                base, pos = base + "[]", pos + 1
            else:
                base, pos = base + f"[{data[pos + 1]}]", pos + 2
    length = data[pos]
    return {"name": data[pos + 1 : pos + 1 + length].decode(), "type": base}


def _ledger_value(type_name: str, raw: bytes) -> Any:
    if type_name == "string":
        return raw.decode("utf-8")
    if type_name == "bool":
        return raw == b"\x01"
    if type_name == "address":
        from eth_utils.address import to_checksum_address

        return to_checksum_address(raw)
    if type_name.startswith("bytes"):
        return "0x" + raw.hex()
    if type_name.startswith("int"):
        return int.from_bytes(raw, "big", signed=len(raw) == int(type_name[3:] or 256) // 8)
    return int.from_bytes(raw, "big")


def decode_ledger_eip712(apdus: list[bytes]) -> dict[str, Any]:
    """Rebuild the typed data from EIP712 SEND STRUCT DEFINITION / IMPLEMENTATION APDUs."""
    types: dict[str, list[dict[str, str]]] = {}
    current = ""
    impl: list[tuple[int, int, bytes]] = []
    for apdu in apdus:
        ins, p1, p2, data = apdu[1], apdu[2], apdu[3], apdu[5:]
        if ins == 0x1A and p2 == 0x00:
            current = data.decode()
            types[current] = []
        elif ins == 0x1A:
            types[current].append(_ledger_field(data))
        else:
            impl.append((p1, p2, data))
    queue = iter(impl)

    def next_value() -> bytes:
        body = b""
        while True:
            p1, p2, data = next(queue)
            assert p2 == 0xFF
            body += data
            if p1 == 0x00:
                break
        length = int.from_bytes(body[:2], "big")
        assert len(body) == 2 + length
        return body[2:]

    def read(type_name: str) -> Any:
        if type_name.endswith("]"):
            p1, p2, data = next(queue)
            assert (p1, p2) == (0x00, 0x0F)
            inner = type_name[: type_name.rindex("[")]
            return [read(inner) for _ in range(data[0])]
        if type_name in types:
            return {f["name"]: read(f["type"]) for f in types[type_name]}
        return _ledger_value(type_name, next_value())

    roots = []
    for _ in range(2):
        p1, p2, data = next(queue)
        assert p2 == 0x00
        name = data.decode()
        roots.append((name, read(name)))
    (_, domain), (primary, message) = roots
    return {"types": types, "primaryType": primary, "domain": domain, "message": message}


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
        self.eip712: list[bytes] = []

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
            self.eip712.append(command)
            return ok
        if ins == 0x0C:
            path, rest = self._path(data)
            if p2 == 0x00:
                digest = keccak(b"\x19\x01" + rest[:32] + rest[32:64])
            else:
                # The device's view: the typed data rebuilt from the APDUs alone (per the
                # document), so the signature only recovers if govdesk encoded it faithfully.
                rebuilt = decode_ledger_eip712(self.eip712)
                assert rebuilt == self.typed, (rebuilt, self.typed)
                digest = typed_data_hashes(rebuilt).digest
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


def _trezor_type(field_type: Any) -> str:
    t = m.EthereumDataType
    kind, size = field_type.data_type, field_type.size
    if kind == t.ARRAY:
        inner = _trezor_type(field_type.entry_type)
        return f"{inner}[{'' if size is None else size}]"
    if kind == t.STRUCT:
        return str(field_type.struct_name)
    names = {t.UINT: "uint", t.INT: "int", t.STRING: "string", t.BOOL: "bool", t.ADDRESS: "address"}
    if kind == t.BYTES:
        return "bytes" if size is None else f"bytes{size}"
    base = names[kind]
    return f"{base}{size * 8}" if kind in (t.UINT, t.INT) else base


def decode_trezor_eip712(
    primary: str, acks: list[tuple[str, Any]], values: list[tuple[list[int], bytes]]
) -> dict[str, Any]:
    """Rebuild the typed data from EthereumTypedDataStructAck / ValueAck messages alone."""
    types = {
        name: [{"name": mb.name, "type": _trezor_type(mb.type)} for mb in ack.members]
        for name, ack in acks
    }
    roots: list[Any] = [{}, {}]
    for path, raw in values:
        type_name = "EIP712Domain" if path[0] == 0 else primary
        container: Any = roots[path[0]]
        for depth, index in enumerate(path[1:]):
            last = depth == len(path) - 2
            if type_name.endswith("]"):
                type_name = type_name[: type_name.rindex("[")]
                key: Any = index
                if index == len(container):
                    container.append(None)
            else:
                member = types[type_name][index]
                type_name, key = member["type"], member["name"]
            if last:
                if type_name.endswith("]"):
                    container[key] = []
                else:
                    container[key] = _ledger_value(type_name, raw)
            else:
                if container[key] is None if isinstance(container, list) else key not in container:
                    container[key] = [] if type_name.endswith("]") else {}
                container = container[key]
    return {"types": types, "primaryType": primary, "domain": roots[0], "message": roots[1]}


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
            self.primary = message.primary_type
            self.pending = self._typed_requests(message.primary_type)
            self.asked: Any = self.pending.pop(0)
            self.acks: list[tuple[str, Any]] = []
            self.values: list[tuple[list[int], bytes]] = []
            return self.asked
        if isinstance(message, (m.EthereumTypedDataStructAck, m.EthereumTypedDataValueAck)):
            if isinstance(message, m.EthereumTypedDataStructAck):
                self.acks.append((self.asked.name, message))
            else:
                self.values.append((list(self.asked.member_path), bytes(message.value)))
            if self.pending:
                self.asked = self.pending.pop(0)
                return self.asked
            # The device's view: the typed data rebuilt from the messages alone.
            rebuilt = decode_trezor_eip712(self.primary, self.acks, self.values)
            assert rebuilt == self.typed, (rebuilt, self.typed)
            return self._signature(typed_data_hashes(rebuilt).digest)
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
    ballot = samples.governor_ballot()
    dev = TestKeyLedger((1, 10, 4), blind=False, typed=ballot)
    ledger_session(dev, path).sign_typed_data(path, ballot, full=True)
    write("ledger_ballot_full", "ledger", dev.log, "Governor castVoteBySig ballot, full EIP-712")
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
    list_device_addresses(tz, template="bip44", count=5)
    tz.get_address(path, show=True)
    write("trezor_addresses", "trezor", dev2.log, "Safe 3 firmware 2.8.1: picker, show address")
    dev2 = TestKeyTrezor("Safe 3", (2, 8, 1), typed=vote)
    tz = TrezorEth(dev2)
    tz.state()
    tz.get_address(path)
    tz.sign_typed_data(path, vote, full=True)
    write("trezor_vote_full", "trezor", dev2.log, "Snapshot vote, EthereumSignTypedData")
    dev2 = TestKeyTrezor("Safe 3", (2, 8, 1), typed=ballot)
    tz = TrezorEth(dev2)
    tz.state()
    tz.get_address(path)
    tz.sign_typed_data(path, ballot, full=True)
    write("trezor_ballot_full", "trezor", dev2.log, "Governor castVoteBySig ballot")
    rich = samples.rich_typed_data()
    dev2 = TestKeyTrezor("Safe 3", (2, 8, 1), typed=rich)
    tz = TrezorEth(dev2)
    tz.state()
    tz.get_address(path)
    tz.sign_typed_data(path, rich, full=True)
    write("trezor_rich_full", "trezor", dev2.log, "every field kind: nested, arrays, int16, bytes")
    dev = TestKeyLedger((1, 10, 4), blind=False, typed=rich)
    ledger_session(dev, path).sign_typed_data(path, rich, full=True)
    write("ledger_rich_full", "ledger", dev.log, "every field kind: nested, arrays, int16, bytes")
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

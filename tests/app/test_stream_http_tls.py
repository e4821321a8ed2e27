"""``app.stream_http`` over TLS, against a real HTTPS server on 127.0.0.1 with its own CA.

The production hub and sequencer are HTTPS: the transport must verify the certificate chain
and the host name with the context it is given, and read answers through TLS as it does in
the clear.
"""

from __future__ import annotations

import datetime
import http.server
import ipaddress
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.stream_http import StreamTransport

BODY = b'{"data": {"space": {"id": "tls.eth"}}}'


def _name(text: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])


def _certificate(
    subject: str, issuer: str, key: ec.EllipticCurvePrivateKey, signer: ec.EllipticCurvePrivateKey
) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
    )


def _pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def _issue(tmp_path: Path, names: list[x509.GeneralName]) -> tuple[Path, Path, Path]:
    """A CA, and a server certificate for ``names`` signed by it: (ca, cert, key) files."""
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = (
        _certificate("govdesk test CA", "govdesk test CA", ca_key, ca_key)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    leaf = (
        _certificate("hub", "govdesk test CA", key, ca_key)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = tmp_path / "ca.pem", tmp_path / "cert.pem", tmp_path / "key.pem"
    paths[0].write_bytes(_pem(ca))
    paths[1].write_bytes(_pem(leaf))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, format: str, *args: object) -> None:
        pass


def _serve(cert: Path, key: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def issued(tmp_path: Path) -> tuple[Path, Path, Path]:
    return _issue(tmp_path, [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])


@pytest.fixture
def https_hub(issued: tuple[Path, Path, Path]) -> Iterator[str]:
    yield from _serve(issued[1], issued[2])


async def _post(url: str, context: ssl.SSLContext) -> httpx.Response:
    async with httpx.AsyncClient(transport=StreamTransport(verify=context), timeout=5) as client:
        response = await client.post(f"{url}/graphql", json={"query": "{ space }"})
        await response.aread()
        return response


async def test_an_answer_is_read_through_tls_with_a_trusted_chain(
    https_hub: str, issued: tuple[Path, Path, Path]
) -> None:
    response = await _post(https_hub, ssl.create_default_context(cafile=issued[0]))
    assert response.status_code == 200
    assert response.json() == {"data": {"space": {"id": "tls.eth"}}}


async def test_a_server_whose_chain_is_not_trusted_is_refused(https_hub: str) -> None:
    context = ssl.create_default_context()  # the system's CAs: not the test CA
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        await _post(https_hub, context)


async def test_a_certificate_for_another_host_is_refused(tmp_path: Path) -> None:
    ca, cert, key = _issue(tmp_path, [x509.DNSName("hub.snapshot.org")])
    for url in _serve(cert, key):
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            await _post(url, ssl.create_default_context(cafile=ca))

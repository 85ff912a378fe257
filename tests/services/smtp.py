"""A throwaway SMTP server (aiosmtpd) on loopback, for tests of email delivery.

`running_smtp()` starts aiosmtpd's server in a thread on a free loopback port and stops it
afterwards. It is a real SMTP server: the sender under test opens a socket, says EHLO, upgrades
to TLS with STARTTLS, logs in and hands its message over exactly as it would to a production
relay. With `tls=True` it offers STARTTLS with a throwaway self-signed certificate for
127.0.0.1 (`client_tls` trusts it and nothing else); with `login` it accepts that one user
name and password, over TLS only; addresses in `refuse` are refused at RCPT (550).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
import tempfile
import threading
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from attrs import define, field, frozen
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

HOST = "127.0.0.1"


@frozen
class Received:
    """One message as the server took it: envelope and parsed content."""

    sender: str
    recipients: tuple[str, ...]
    message: EmailMessage


@define
class SmtpServer:
    host: str
    port: int
    client_tls: ssl.SSLContext | None = None
    received: list[Received] = field(factory=list)
    logins: list[str] = field(factory=list)
    _lock: threading.Lock = field(factory=threading.Lock)

    def messages(self) -> list[Received]:
        with self._lock:
            return list(self.received)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.messages()) < count:
            assert time.monotonic() < deadline, f"{count} emails did not arrive in {timeout} s"
            time.sleep(0.02)
        return self.messages()

    def take(self, received: Received) -> None:
        with self._lock:
            self.received.append(received)


class _Handler:
    def __init__(self, server: SmtpServer, refuse: Collection[str]) -> None:
        self._server = server
        self._refuse = {address.lower() for address in refuse}

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address.lower() in self._refuse:
            return f"550 5.1.1 <{address}>: no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self._server.take(Received(envelope.mail_from, tuple(envelope.rcpt_tos), parsed))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, valid for a day: (certificate, key) files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "creditdesk test SMTP")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "server.pem", folder / "server.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


@contextmanager
def running_smtp(
    *, tls: bool = False, login: tuple[str, str] | None = None, refuse: Collection[str] = ()
) -> Iterator[SmtpServer]:
    with tempfile.TemporaryDirectory(prefix="creditdesk-smtp-") as folder:
        options: dict[str, Any] = {}
        client_tls = None
        if tls:
            cert_file, key_file = _certificate(Path(folder))
            server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            server_tls.load_cert_chain(cert_file, key_file)
            client_tls = ssl.create_default_context(cafile=str(cert_file))
            options.update(tls_context=server_tls, require_starttls=True)
        server = SmtpServer(HOST, _free_port(), client_tls)
        if login is not None:

            def authenticate(
                _server: Any, _session: Any, _envelope: Any, _mechanism: str, data: Any
            ) -> AuthResult:
                given = (
                    (data.login.decode(), data.password.decode())
                    if isinstance(data, LoginPassword)
                    else None
                )
                if given == login:
                    server.logins.append(login[0])
                return AuthResult(success=given == login, handled=False)

            options.update(authenticator=authenticate, auth_require_tls=True)
        controller = Controller(
            _Handler(server, refuse), hostname=HOST, port=server.port, ready_timeout=10, **options
        )
        controller.start()
        try:
            yield server
        finally:
            controller.stop()

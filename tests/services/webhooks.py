"""A throwaway webhook receiver on loopback: a real HTTP server that checks every call.

`running_receiver(secret)` serves POSTs on a free loopback port from a thread and stops
afterwards. Each call is checked the way a lender's system would check it, with
`domain.webhooks.verify` against the receiver's copy of the secret, and kept with the outcome.
The receiver answers from a script: `answers` are the statuses of the first calls (then 200);
`SLOW` answers 200 only after `slow_seconds`, to make a sender's timeout expire, and `REDIRECT`
answers 307 to another path. A call whose signature fails is answered 401.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from attrs import define, field, frozen

from domain.webhooks import SIGNATURE_HEADER, InvalidSignature, verify

SLOW = -1
REDIRECT = 307
HOST = "127.0.0.1"


@frozen
class Call:
    path: str
    #: By lowercase name: HTTP header names ignore case, and senders spell them variously.
    headers: dict[str, str]
    body: bytes
    #: None when the signature verified, else why it did not.
    refused: str | None
    status: int


@define
class WebhookReceiver:
    url: str
    secret: str
    answers: list[int]
    slow_seconds: float = 2.0
    calls: list[Call] = field(factory=list)
    _lock: threading.Lock = field(factory=threading.Lock)

    def received(self) -> list[Call]:
        with self._lock:
            return list(self.calls)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Call]:
        deadline = time.monotonic() + timeout
        while len(self.received()) < count:
            assert time.monotonic() < deadline, f"{count} calls did not arrive in {timeout} s"
            time.sleep(0.02)
        return self.received()

    def answer(self, path: str, headers: dict[str, str], body: bytes) -> int:
        try:
            verify(self.secret, headers.get(SIGNATURE_HEADER.lower(), ""), body, datetime.now(UTC))
            refused = None
        except InvalidSignature as invalid:
            refused = str(invalid)
        with self._lock:
            scripted = self.answers.pop(0) if self.answers else 200
            status = 401 if refused is not None else scripted
            self.calls.append(Call(path, headers, body, refused, status))
        return status


def _handler(receiver: WebhookReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {name.lower(): value for name, value in self.headers.items()}
            status = receiver.answer(self.path, headers, body)
            if status == SLOW:
                time.sleep(receiver.slow_seconds)
                status = 200
            self.send_response(status)
            if status == REDIRECT:
                self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the test reads the calls, not a log."""

    return Handler


@contextmanager
def running_receiver(
    secret: str, answers: Sequence[int] = (), *, slow_seconds: float = 2.0
) -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver("", secret, list(answers), slow_seconds)
    server = ThreadingHTTPServer((HOST, 0), _handler(receiver))
    # A query string the receiver reads for itself: it must never show in a sender's error.
    receiver.url = f"http://{HOST}:{server.server_address[1]}/hooks/creditdesk?token=its-own"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)

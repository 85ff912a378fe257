"""A scriptable OpenAI-compatible chat server on loopback, for tests through the real client.

`running_openai_server()` serves `POST /v1/chat/completions` from a `ThreadingHTTPServer` in a
thread on a free 127.0.0.1 port (anything else is a 404). Tests queue replies, served in order:
an answer (`answer`, `json_answer`), a refusal, a stop at the token limit (`truncated`), a
content-filter stop, an HTTP error status with an optional Retry-After (`status`), each
optionally after a delay (to outlast a client's timeout). With the queue empty, the `responder`
answers (a callable of the request's JSON), so a benchmark or a command in a subprocess can be
served deterministically; without one, a 400 that the client does not retry says nothing was
scripted.

Every request is recorded whole (its path, headers and JSON body), so a test can say what a
prompt holds and what it must not. `reset()` empties the script, the record and the responder,
and cuts any pending delay short.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from attrs import define, field, frozen

HOST = "127.0.0.1"
CHAT_PATH = "/v1/chat/completions"
MODEL = "scripted-model"

__all__ = [
    "HOST",
    "MODEL",
    "OpenAiServer",
    "Received",
    "Reply",
    "Responder",
    "answer",
    "content_filtered",
    "json_answer",
    "refusal",
    "running_openai_server",
    "status",
    "truncated",
]


@frozen
class Reply:
    """One HTTP answer: status, JSON (or text) body, headers, and a delay before it is sent."""

    status: int = 200
    body: Any = None
    headers: Mapping[str, str] = field(factory=dict)
    delay: float = 0.0


@frozen
class Received:
    path: str
    #: Names in lower case, as HTTP compares them.
    headers: Mapping[str, str]
    body: Any
    #: When it arrived (`time.monotonic()`), to measure the client's waits between retries.
    at: float = 0.0

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", [])) if isinstance(self.body, dict) else []

    @property
    def prompt(self) -> str:
        """Every message's text, joined: what a test searches for what must not be sent."""
        return "\n".join(str(m.get("content", "")) for m in self.messages)


Responder = Callable[[Any], Reply]
_ids = itertools.count(1)


def _completion(
    *,
    content: str | None,
    finish_reason: str = "stop",
    refusal_text: str | None = None,
    input_tokens: int = 50,
    output_tokens: int = 20,
    model: str = MODEL,
) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{next(_ids)}",
        "object": "chat.completion",
        "created": 1_763_900_000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": refusal_text},
                "finish_reason": finish_reason,
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": input_tokens,
            "completion_tokens": output_tokens,
            "total_tokens": input_tokens + output_tokens,
        },
    }


def answer(
    content: str,
    *,
    input_tokens: int = 50,
    output_tokens: int = 20,
    delay: float = 0.0,
    model: str = MODEL,
) -> Reply:
    """A completed answer whose text is `content` (JSON or not, as the test needs)."""
    body = _completion(
        content=content, input_tokens=input_tokens, output_tokens=output_tokens, model=model
    )
    return Reply(body=body, delay=delay)


def json_answer(value: Any, **options: Any) -> Reply:
    """A completed answer whose text is `value` as JSON."""
    return answer(json.dumps(value), **options)


def refusal(
    text: str = "I can't help with that.", *, input_tokens: int = 50, output_tokens: int = 8
) -> Reply:
    body = _completion(
        content=None, refusal_text=text, input_tokens=input_tokens, output_tokens=output_tokens
    )
    return Reply(body=body)


def content_filtered(*, input_tokens: int = 50, output_tokens: int = 0) -> Reply:
    body = _completion(
        content=None,
        finish_reason="content_filter",
        input_tokens=input_tokens,
        output_tokens=output_tokens,
    )
    return Reply(body=body)


def truncated(
    content: str = '{"outcome": "ref', *, input_tokens: int = 50, output_tokens: int = 1_000
) -> Reply:
    """An answer stopped at the token limit (`finish_reason` "length")."""
    body = _completion(
        content=content,
        finish_reason="length",
        input_tokens=input_tokens,
        output_tokens=output_tokens,
    )
    return Reply(body=body)


def status(
    code: int, *, retry_after: float | None = None, body: Any = None, delay: float = 0.0
) -> Reply:
    """An HTTP error: a 429 or 5xx (retried by the client) or another 4xx (not retried)."""
    headers = {} if retry_after is None else {"Retry-After": f"{retry_after:g}"}
    error = body if body is not None else {"error": {"message": f"HTTP {code}", "code": None}}
    return Reply(status=code, body=error, headers=headers, delay=delay)


NOTHING_SCRIPTED = Reply(
    status=400,
    body={"error": {"message": "no reply scripted", "code": "nothing_scripted"}},
    headers={"x-should-retry": "false"},
)


@define
class OpenAiServer:
    host: str
    port: int
    responder: Responder | None = None
    _script: deque[Reply] = field(factory=deque)
    _received: list[Received] = field(factory=list)
    _lock: threading.Lock = field(factory=threading.Lock)
    _cut_short: threading.Event = field(factory=threading.Event)

    @property
    def base_url(self) -> str:
        """What the client (or CREDITDESK_LLM_BASE_URL) is given."""
        return f"http://{self.host}:{self.port}/v1"

    def script(self, *replies: Reply) -> None:
        """Queue replies, served one per request in order."""
        with self._lock:
            self._script.extend(replies)

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._script)

    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def reset(self) -> None:
        with self._lock:
            self._script.clear()
            self._received.clear()
            self.responder = None
            self._cut_short.set()  # a handler still sleeping on a delay answers now
            self._cut_short = threading.Event()

    def next_reply(
        self, path: str, headers: Mapping[str, str], body: Any
    ) -> tuple[Reply, threading.Event]:
        """Record a request; the reply to send, and the event that cuts its delay short."""
        with self._lock:
            self._received.append(Received(path, dict(headers), body, time.monotonic()))
            if self._script:
                return self._script.popleft(), self._cut_short
            responder = self.responder
        return (responder(body) if responder else NOTHING_SCRIPTED), self._cut_short


def _handler(server: OpenAiServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body leave in two writes: without this, Nagle's algorithm holds the body
        # until the client's delayed ACK, 40 ms a request on a kept-alive connection.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the test's own output is what matters."""

        def do_GET(self) -> None:
            self._send(Reply(status=404, body={"error": {"message": "not found"}}))

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if self.path != CHAT_PATH:
                self._send(Reply(status=404, body={"error": {"message": "not found"}}))
                return
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw.decode(errors="replace")
            headers = {name.lower(): value for name, value in self.headers.items()}
            reply, cut_short = server.next_reply(self.path, headers, body)
            if reply.delay:
                cut_short.wait(reply.delay)
            self._send(reply)

        def _send(self, reply: Reply) -> None:
            text = reply.body if isinstance(reply.body, str) else json.dumps(reply.body)
            data = text.encode()
            try:
                self.send_response(reply.status)
                kind = "text/plain" if isinstance(reply.body, str) else "application/json"
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (its timeout): nobody is listening

    return Handler


@contextmanager
def running_openai_server() -> Iterator[OpenAiServer]:
    """The server on a free loopback port for the duration of the block."""
    server = OpenAiServer(HOST, 0)
    httpd = ThreadingHTTPServer((HOST, 0), _handler(server))
    httpd.daemon_threads = True
    server.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, name="openai-server", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.reset()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)

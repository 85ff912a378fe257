"""How the CLI takes a spec in: from a file, or from a URL served by a real loopback server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from domain.errors import ValidationFailed
from entrypoints.cli.testgen_support import fetch, spec_upload

SPEC = b'{"openapi": "3.0.3"}'


class Answers(BaseHTTPRequestHandler):
    """/spec.json is the spec, /moved redirects to it, /big is 4 KB, anything else is 404."""

    def do_GET(self) -> None:
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/spec.json")
            self.end_headers()
            return
        body = {"/spec.json": SPEC, "/big": b"x" * 4096}.get(self.path)
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads answers, not logs."""


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_url_is_fetched_following_redirects(base: str) -> None:
    assert fetch(f"{base}/spec.json") == SPEC
    assert fetch(f"{base}/moved") == SPEC
    upload = spec_upload(f"{base}/spec.json")
    assert (upload.content, upload.origin, upload.source) == (SPEC, "url", f"{base}/spec.json")


def test_an_error_status_is_refused_with_the_url(base: str) -> None:
    with pytest.raises(ValidationFailed, match="answered 404"):
        fetch(f"{base}/missing")


def test_an_answer_over_the_size_limit_is_refused(base: str) -> None:
    assert len(fetch(f"{base}/big", limit=4096)) == 4096
    with pytest.raises(ValidationFailed, match="larger than 1024 bytes"):
        fetch(f"{base}/big", limit=1024)


def test_credentials_in_the_url_stay_out_of_errors_and_the_recorded_source() -> None:
    with pytest.raises(ValidationFailed) as failed:
        spec_upload("http://bot:s3cret@127.0.0.1:9/spec.json")
    assert "s3cret" not in str(failed.value)
    assert "cannot fetch http://***@127.0.0.1:9/spec.json" in str(failed.value)


def test_a_file_is_read_with_its_name_as_the_source(tmp_path: Path) -> None:
    path = tmp_path / "petstore.yaml"
    path.write_bytes(b"openapi: 3.0.3\n")
    upload = spec_upload(str(path))
    assert (upload.content, upload.origin, upload.source) == (
        b"openapi: 3.0.3\n",
        "cli",
        "petstore.yaml",
    )
    with pytest.raises(ValidationFailed, match="cannot read"):
        spec_upload(str(tmp_path / "missing.yaml"))

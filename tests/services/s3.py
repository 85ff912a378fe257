"""A throwaway S3 API server (moto's standalone server), for tests and benchmarks.

`running_s3()` starts `python -m moto.server` on a free loopback port and stops it afterwards. It
is a real HTTP server in its own process: the store under test signs requests, sends them over a
socket and parses the XML replies exactly as it would with AWS, so what is tested is the
adapter's whole conversation with an S3 API, not a patched boto3. Its own process, not a thread
in the test process, keeps moto (over a second to import, and it hooks botocore's events) out of
the code under test. The server keeps everything in memory, so nothing survives the block; moto
accepts any credentials, and these are made up.
"""

from __future__ import annotations

import itertools
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from attrs import field, frozen

from adapters.storage.s3 import S3ObjectStore, make_client

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

REGION = "us-east-1"
ACCESS_KEY_ID = "AKIACREDITDESKTEST01"
SECRET_ACCESS_KEY = "creditdesk-test-secret-never-shown"  # made up: moto accepts any
STARTUP_SECONDS = 60.0

_bucket_numbers = itertools.count(1)


class S3Unavailable(RuntimeError):
    """moto's server would not start."""


@frozen
class S3Server:
    endpoint_url: str
    client: S3Client = field(repr=False)

    def store(self, bucket: str, prefix: str = "") -> S3ObjectStore:
        return S3ObjectStore(self.client, bucket, prefix)

    def new_bucket(self) -> str:
        """A fresh, empty bucket with a name no other test of the session uses."""
        name = f"creditdesk-test-{next(_bucket_numbers)}"
        self.client.create_bucket(Bucket=name)
        return name


def client_for(endpoint_url: str) -> S3Client:
    """A client built the way production builds one, with the test credentials and no retries."""
    return make_client(
        endpoint_url=endpoint_url,
        region=REGION,
        access_key_id=ACCESS_KEY_ID,
        secret_access_key=SECRET_ACCESS_KEY,
        max_attempts=1,
        connect_timeout=2.0,
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _start(log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """The server process and its endpoint, once it listens; retried if its port was taken.

    Readiness is werkzeug's "Running on" line in the log, not a successful connect: a connect
    could reach another program that took the port first. The log is a file, not a pipe, because
    the server writes a line per request and a pipe nobody reads would fill up and stall it.
    """
    for _attempt in range(3):
        port = _free_port()
        with log.open("wb") as output:
            process = subprocess.Popen(  # noqa: S603 - our own interpreter and moto's module
                [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        ready = f"Running on http://127.0.0.1:{port}"
        deadline = time.monotonic() + STARTUP_SECONDS
        while process.poll() is None and time.monotonic() < deadline:
            if ready in log.read_text(errors="replace"):
                return process, f"http://127.0.0.1:{port}"
            time.sleep(0.05)
        _stop(process)
    raise S3Unavailable(f"moto's server would not start:\n{log.read_text(errors='replace')}")


@contextmanager
def running_s3() -> Iterator[S3Server]:
    """An S3 API server for as long as the block runs, with a client already pointed at it."""
    base = Path(tempfile.mkdtemp(prefix="creditdesk-s3-"))
    try:
        process, endpoint_url = _start(base / "server.log")
        try:
            yield S3Server(endpoint_url, client_for(endpoint_url))
        finally:
            _stop(process)
    finally:
        shutil.rmtree(base, ignore_errors=True)

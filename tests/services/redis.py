"""A throwaway Redis server from the system's binary, for tests and benchmarks.

Debian's `redis-server` package (which `make test` installs when it is missing) provides the
binary; `running_redis()` starts it on a free loopback port with no persistence (nothing in it
has to survive a test session) in a temporary directory, and stops it afterwards.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

import redis
from attrs import frozen


class RedisUnavailable(RuntimeError):
    """The server binary is missing, or the server would not start."""


MISSING = (
    "redis-server was not found on PATH. `make test` installs it (apt-get install "
    "redis-server); or install that package yourself."
)


@frozen
class RedisServer:
    host: str
    port: int

    def url(self, database: int = 0) -> str:
        return f"redis://{self.host}:{self.port}/{database}"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_redis(*, timeout: float = 15.0) -> Iterator[RedisServer]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise RedisUnavailable(MISSING)
    with tempfile.TemporaryDirectory(prefix="creditdesk-redis-") as folder:
        port = _free_port()
        process = subprocess.Popen(  # noqa: S603 - the system's redis-server, fixed arguments
            [
                binary,
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
                "--dir",
                folder,
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "yes",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        server = RedisServer("127.0.0.1", port)
        try:
            _wait_until_ready(server, process, timeout)
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_ready(
    server: RedisServer, process: subprocess.Popen[bytes], timeout: float
) -> None:
    client = redis.Redis(host=server.host, port=server.port)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RedisUnavailable(f"redis-server exited with status {process.returncode}")
        try:
            if client.ping():
                return
        except redis.ConnectionError:
            time.sleep(0.05)
    raise RedisUnavailable(f"redis-server did not answer within {timeout:.0f} s")

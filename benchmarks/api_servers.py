"""`creditdesk serve` processes for a benchmark: each on its own loopback port, once healthy.

Several API replicas on their own ports, rather than one process with worker processes behind
one socket: that is how the product scales out (`serve` is a stateless replica once a broker is
set), and a client spreading its connections over the ports is a round-robin balancer.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

CREDITDESK = Path(sys.executable).parent / "creditdesk"
ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def api_servers(
    count: int, env: dict[str, str], folder: Path
) -> Iterator[tuple[tuple[int, ...], list[int]]]:
    """`count` `creditdesk serve` processes, each on its own port, once all answer /health:
    their ports and process ids."""
    ports = tuple(_free_port() for _ in range(count))
    logs = [folder / f"serve-{port}.log" for port in ports]
    processes = [
        subprocess.Popen(  # noqa: S603 - our own console script, fixed arguments
            [str(CREDITDESK), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        for port, log in zip(ports, logs, strict=True)
    ]
    try:
        for port, process, log in zip(ports, processes, logs, strict=True):
            _wait_until_healthy(port, process, log)
        yield ports, [process.pid for process in processes]
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_healthy(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"a server exited early:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"no /health within 90 s:\n{log.read_text()[-3000:]}")

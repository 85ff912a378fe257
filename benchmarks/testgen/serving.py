"""Serving one variant of the inventory API with uvicorn on a free loopback port, in a thread.

A thread of the caller's process rather than a subprocess: a variant starts in milliseconds,
and the suites and Schemathesis that probe it run as subprocesses of their own anyway.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from benchmarks.testgen.faults import CORRECT
from benchmarks.testgen.inventory import inventory_app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(variant: str = CORRECT) -> Iterator[str]:
    """The base URL of a fresh server (empty store) of `variant`, until the block ends."""
    config = uvicorn.Config(
        inventory_app(variant),
        host="127.0.0.1",
        port=free_port(),
        log_level="critical",
        access_log=False,
        lifespan="off",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"inventory-{variant}", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the {variant} inventory server did not start")
            time.sleep(0.01)
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)

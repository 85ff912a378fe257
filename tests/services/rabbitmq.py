"""A throwaway RabbitMQ server from the system's package, for tests.

Debian's `rabbitmq-server` package (which `make test` installs when it is missing) provides the
server; `running_rabbitmq()` starts a node of its own on free loopback ports, with its database,
logs, Erlang cookie and port mapper (epmd) in a temporary directory, so it neither needs nor
touches a system-wide RabbitMQ, and stops all of it afterwards. A node takes some seconds to
boot (Erlang), so tests share one per session.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pika
import pika.exceptions
from attrs import frozen

SERVER = Path("/usr/lib/rabbitmq/bin/rabbitmq-server")
MISSING = (
    f"{SERVER} was not found. `make test` installs it (apt-get install rabbitmq-server); "
    "or install that package yourself."
)


class RabbitmqUnavailable(RuntimeError):
    """The server is missing, or it would not start."""


@frozen
class RabbitmqServer:
    host: str
    port: int

    def url(self) -> str:
        """The AMQP URL of the default virtual host, as the default `guest` user (whom
        RabbitMQ admits from loopback only)."""
        return f"amqp://guest:guest@{self.host}:{self.port}/%2F"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


#: Ports are picked free but taken only when the node binds them, so on a busy machine another
#: process can take one first; the node then exits, and is started again on other ports.
ATTEMPTS = 3


@contextmanager
def running_rabbitmq(*, timeout: float = 90.0) -> Iterator[RabbitmqServer]:
    if not SERVER.exists():
        raise RabbitmqUnavailable(MISSING)
    with tempfile.TemporaryDirectory(prefix="creditdesk-rabbitmq-") as folder:
        base = Path(folder)
        (base / "enabled_plugins").write_text("[].\n")
        for attempt in range(1, ATTEMPTS + 1):
            port = _free_port()
            env = _environment(base, port)
            process = subprocess.Popen(  # noqa: S603 - the system's server, fixed arguments
                [str(SERVER)],
                cwd=folder,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # its Erlang processes form one group, stopped together
            )
            server = RabbitmqServer("127.0.0.1", port)
            try:
                _wait_until_ready(server, process, timeout)
            except RabbitmqUnavailable:
                _stop(process, env)
                if attempt == ATTEMPTS:
                    raise
                continue
            try:
                yield server
            finally:
                _stop(process, env)
            return


def _environment(base: Path, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "HOME": str(base),  # the Erlang cookie is written there
        "RABBITMQ_NODENAME": f"creditdesk-test-{port}@localhost",
        "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
        "RABBITMQ_NODE_PORT": str(port),
        "RABBITMQ_DIST_PORT": str(_free_port()),
        "ERL_EPMD_PORT": str(_free_port()),
        "ERL_EPMD_ADDRESS": "127.0.0.1",
        "ERL_CRASH_DUMP": str(base / "erl_crash.dump"),
        "RABBITMQ_MNESIA_BASE": str(base / "mnesia"),
        "RABBITMQ_LOG_BASE": str(base / "log"),
        "RABBITMQ_ENABLED_PLUGINS_FILE": str(base / "enabled_plugins"),
        "RABBITMQ_CONFIG_FILE": str(base / "rabbitmq"),
    }


def _stop(process: subprocess.Popen[bytes], env: dict[str, str]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    epmd = shutil.which("epmd")
    if epmd is not None:  # the port mapper left running for this node's port alone
        subprocess.run(  # noqa: S603 - the system's epmd, fixed arguments
            [epmd, "-kill"], env=env, capture_output=True, check=False, timeout=10
        )


def _wait_until_ready(
    server: RabbitmqServer, process: subprocess.Popen[bytes], timeout: float
) -> None:
    parameters = pika.URLParameters(server.url())
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RabbitmqUnavailable(f"rabbitmq-server exited with status {process.returncode}")
        try:
            pika.BlockingConnection(parameters).close()
        except pika.exceptions.AMQPError:
            time.sleep(0.25)
        else:
            return
    raise RabbitmqUnavailable(f"rabbitmq-server did not answer within {timeout:.0f} s")


def empty_queues(server: RabbitmqServer, names: tuple[str, ...]) -> None:
    """Delete `names` (a test's queues), so each test starts with none of another's jobs."""
    connection = pika.BlockingConnection(pika.URLParameters(server.url()))
    try:
        channel = connection.channel()
        for name in names:
            channel.queue_delete(name)
    finally:
        connection.close()

"""A throwaway PostgreSQL server from the system's binaries, for tests and benchmarks.

Debian's `postgresql` package (which `make test` installs when it is missing) provides initdb,
pg_ctl and postgres; `running_postgres()` makes a cluster in a temporary directory, listening on
a free loopback port with durability switched off (nothing in it has to survive), and removes it
afterwards.
"""

from __future__ import annotations

import itertools
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from attrs import frozen
from sqlalchemy import URL


class PostgresUnavailable(RuntimeError):
    """The server binaries are missing, or the server would not start."""


POSTGRES_USER = "creditdesk"
MISSING = (
    "PostgreSQL's server binaries (initdb, pg_ctl, postgres) were not found under "
    "/usr/lib/postgresql/*/bin or on PATH. `make test` installs them (apt-get install "
    "postgresql); or install that package yourself."
)


@frozen
class PostgresServer:
    host: str
    port: int
    user: str

    def url(self, database: str) -> URL:
        return URL.create(
            "postgresql+psycopg",
            username=self.user,
            host=self.host,
            port=self.port,
            database=database,
        )


def _version(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", path.parent.name))


def postgres_binaries() -> Path | None:
    """The directory holding initdb, pg_ctl and postgres, newest version first."""
    tools = ("initdb", "pg_ctl", "postgres")
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version, reverse=True)
    on_path = shutil.which("pg_ctl")
    if on_path is not None:
        candidates.append(Path(on_path).resolve().parent)
    return next((c for c in candidates if all((c / tool).exists() for tool in tools)), None)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _as_server_user(base: Path) -> list[str]:
    """PostgreSQL refuses to run as root; under root the cluster belongs to `postgres`."""
    if os.geteuid() != 0:
        return []
    try:
        account = pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresUnavailable(
            "running as root needs the `postgres` user to own the cluster; " + MISSING
        ) from None
    for path in (base, *base.rglob("*")):
        os.chown(path, account.pw_uid, account.pw_gid)
    return ["runuser", "-u", "postgres", "--"]


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")


def _start(binaries: Path, base: Path, settings: Mapping[str, str]) -> PostgresServer:
    data, log = base / "data", base / "server.log"
    as_user = _as_server_user(base)
    _run([
        *as_user, str(binaries / "initdb"), "-D", str(data), "-U", POSTGRES_USER,
        "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync",
    ])  # fmt: skip
    for attempt in itertools.count(1):
        port = _free_port()
        options = (
            f"-h 127.0.0.1 -p {port} -c unix_socket_directories='' -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
            "-c wal_level=minimal -c max_wal_senders=0 -c shared_buffers=64MB"
        )
        options += "".join(f" -c {name}={value}" for name, value in settings.items())
        try:
            _run([
                *as_user, str(binaries / "pg_ctl"), "start", "-w", "-t", "60",
                "-D", str(data), "-l", str(log), "-o", options,
            ])  # fmt: skip
            return PostgresServer("127.0.0.1", port, POSTGRES_USER)
        except RuntimeError:
            if attempt >= 3:  # another process took the port each time: give up, say why
                raise RuntimeError(log.read_text() if log.exists() else "no server log") from None
    raise AssertionError("unreachable")


@contextmanager
def running_postgres(settings: Mapping[str, str] | None = None) -> Iterator[PostgresServer]:
    """A PostgreSQL server for as long as the block runs; `settings` are server parameters
    (postgresql.conf names) over the test defaults, such as a production-sized shared_buffers."""
    binaries = postgres_binaries()
    if binaries is None:
        raise PostgresUnavailable(MISSING)
    base = Path(tempfile.mkdtemp(prefix="creditdesk-postgres-"))
    try:
        server = _start(binaries, base, settings or {})
        try:
            yield server
        finally:
            stop = [str(binaries / "pg_ctl"), "stop", "-m", "immediate", "-D", str(base / "data")]
            _run([*_as_server_user(base), *stop])
    finally:
        shutil.rmtree(base, ignore_errors=True)

"""pg_dump and pg_restore, run as programs: how they are found, and how they reach a database.

The tools come from the PostgreSQL client package: on PATH, or in Debian's versioned folders
(/usr/lib/postgresql/<version>/bin, newest first), which are not on PATH by default. The
connection goes to them as a libpq connection string without the password; the password goes
in the PGPASSWORD environment variable, so it shows neither in the process list nor in any
message or log.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy import URL

TOOL_FOLDERS = Path("/usr/lib/postgresql")


class BackupFailed(RuntimeError):
    """A backup or restore could not be made; the message says why, without any secret."""


def _version(folder: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", folder.parent.name))


def find_tool(name: str, folders: Path = TOOL_FOLDERS) -> Path:
    """The `name` program (pg_dump, pg_restore): on PATH, else the newest under `folders`."""
    on_path = shutil.which(name)
    if on_path is not None:
        return Path(on_path)
    for folder in sorted(folders.glob("*/bin"), key=_version, reverse=True):
        if (folder / name).is_file():
            return folder / name
    raise BackupFailed(
        f"{name} was not found on PATH or under {folders}/*/bin: install the PostgreSQL "
        "client programs (Debian and Ubuntu: apt-get install postgresql-client)"
    )


def _quoted(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"


def conninfo(url: URL) -> str:
    """A libpq connection string for `url` without its password (that goes in PGPASSWORD)."""
    parts = {"host": url.host, "port": url.port, "user": url.username, "dbname": url.database}
    for key, value in url.query.items():
        parts[key] = value if isinstance(value, str) else value[-1]
    return " ".join(f"{key}={_quoted(str(value))}" for key, value in parts.items() if value)


def tool_environment(url: URL, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The tools' environment: `base` (default: this process's) with the password, if any."""
    env = dict(os.environ if base is None else base)
    env.pop("PGPASSWORD", None)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return env


def run_tool(command: list[str], url: URL) -> None:
    """Run a tool to completion, raising `BackupFailed` with its own error text if it fails."""
    done = subprocess.run(  # noqa: S603 - a located tool with arguments we built
        command,
        env=tool_environment(url),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        text = (done.stderr or done.stdout).strip()
        if url.password:
            text = text.replace(str(url.password), "***")
        raise BackupFailed(f"{Path(command[0]).name} failed: {text}")

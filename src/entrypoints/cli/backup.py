"""`creditdesk backup FILE` and `creditdesk restore FILE`: the configured database, whole.

An SQLite database is copied with SQLite's online backup API, so the server may keep running;
a PostgreSQL database goes through pg_dump and pg_restore (see `adapters.sql.backup`). Restoring
replaces everything in the database, so it is refused over a database that holds any row unless
the operator says --yes. The database is named without its password in every message.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from sqlalchemy import URL
from sqlalchemy.exc import SQLAlchemyError

from adapters.sql import current, database_url
from adapters.sql.backup import BackupFailed, backup, holds_data, restore
from entrypoints import settings
from entrypoints.cli.context import reported_errors

FileArgument = Annotated[Path, typer.Argument(help="The backup file.", dir_okay=False)]


def register(app: typer.Typer) -> None:
    """Add `backup` and `restore` to the `creditdesk` command."""
    app.command("backup")(backup_database)
    app.command("restore")(restore_database)


def _configured_database(console: Console) -> URL:
    with reported_errors(console):
        return database_url(settings.load().database_url)


def _named(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return f"the SQLite database {url.database}"
    return f"the PostgreSQL database {url.render_as_string(hide_password=True)}"


def _refuse(console: Console, message: str) -> typer.Exit:
    console.print(f"[bold red]Refused:[/bold red] {message}")
    return typer.Exit(1)


def _same_file(url: URL, path: Path) -> bool:
    if url.get_backend_name() != "sqlite" or not url.database:
        return False
    return Path(url.database).resolve() == path.resolve()


@contextmanager
def _reported(console: Console, what: str) -> Iterator[None]:
    """Failures as one red line and exit status 1; no traceback, no password."""
    try:
        yield
    except BackupFailed as failed:
        console.print(f"[bold red]{what} failed:[/bold red] {failed}")
        raise typer.Exit(1) from None
    except SQLAlchemyError as error:
        reason = getattr(error, "orig", None) or type(error).__name__
        console.print(f"[bold red]{what} failed:[/bold red] cannot use the database: {reason}")
        raise typer.Exit(1) from None


def backup_database(
    file: FileArgument,
    yes: Annotated[bool, typer.Option("--yes", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """Back up the configured database to FILE (consistent while the server runs)."""
    console = Console()
    url = _configured_database(console)
    if _same_file(url, file):
        raise _refuse(console, f"{file} is the database itself; name another file")
    if file.exists() and not yes:
        raise _refuse(console, f"{file} exists; add --yes to overwrite it")
    started = time.perf_counter()
    with _reported(console, "Backup"), _progress(console) as step:
        task = step.add_task(f"Backing up {_named(url)}", total=None)
        backup(url, file, lambda done, total: step.update(task, completed=done, total=total))
    size = file.stat().st_size
    console.print(
        f"Backed up {_named(url)} to {file} ({size:,} bytes, "
        f"{time.perf_counter() - started:.1f} s)."
    )


def restore_database(
    file: FileArgument,
    yes: Annotated[
        bool, typer.Option("--yes", help="Replace a database that already holds data.")
    ] = False,
) -> None:
    """Replace the configured database's contents with the backup in FILE."""
    console = Console()
    url = _configured_database(console)
    if _same_file(url, file):
        raise _refuse(console, f"{file} is the database itself, not a backup of it")
    if not file.is_file():
        raise _refuse(console, f"there is no backup file {file}")
    with _reported(console, "Restore"):
        if holds_data(url) and not yes:
            raise _refuse(
                console,
                f"{_named(url)} holds data, which the restore would replace; add --yes if "
                "that is what you mean",
            )
        started = time.perf_counter()
        with _progress(console) as step:
            task = step.add_task(f"Restoring {file}", total=None)
            restore(file, url, lambda done, total: step.update(task, completed=done, total=total))
        revision = current(url)
    console.print(
        f"Restored {file} into {_named(url)} ({time.perf_counter() - started:.1f} s); "
        f"schema revision {revision or 'none'}."
    )


@contextmanager
def _progress(console: Console) -> Iterator[Progress]:
    """A spinner and the time taken while copying (a bar once SQLite counts the pages); it
    disappears when done, leaving the result line."""
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        yield progress

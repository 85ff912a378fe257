"""`creditdesk db ...`: the database schema, upgraded on purpose (PostgreSQL deployments),
downgraded one step at a time when a release is rolled back, and the revision it is at.

`downgrade` and `current` open the database directly rather than through `composition.build`,
which migrates an SQLite database to head on the way in: that would undo the downgrade, and
make `current` report head every time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError

from adapters.sql import current
from adapters.sql import downgrade as downgrade_to
from adapters.sql.migrate import config
from entrypoints import composition, settings
from entrypoints.cli.context import reported_errors

app = typer.Typer(help="The database schema.")


@app.command()
def upgrade() -> None:
    """Migrate the configured database to the newest schema (SQLite does this on its own)."""
    console = Console()
    with reported_errors(console):
        deps = composition.build(settings.load(), migrate=True)
    try:
        console.print(f"Database at revision {current(deps.engine)}")
    finally:
        deps.close()


@contextmanager
def _configured_database(console: Console) -> Iterator[str]:
    """The settings' database URL; a database that cannot be reached is one red line."""
    with reported_errors(console):
        url = settings.load().database_url
    try:
        yield url
    except SQLAlchemyError as error:
        reason = getattr(error, "orig", None) or type(error).__name__
        console.print(f"[bold red]Cannot use the database:[/bold red] {reason}")
        raise typer.Exit(1) from None


def _chain() -> list[str]:
    """Every revision, oldest first (the chain is linear: one head, no branches)."""
    script = ScriptDirectory.from_config(config())
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


def downgrade_destination(revision: str, at: str | None, chain: list[str]) -> str | None:
    """Where downgrading to `revision` from `at` ends; None means base (no table left)."""
    if revision == "base":
        return None
    if revision.startswith("-") and revision[1:].isdigit():
        index = (chain.index(at) if at in chain else -1) - int(revision[1:])
        return chain[index] if index >= 0 else None
    return revision


def _refused(console: Console, message: str) -> typer.Exit:
    console.print(f"[bold red]Refused:[/bold red] {message}")
    return typer.Exit(1)


def _named(revision: str | None) -> str:
    return "base (no tables)" if revision is None else revision


@app.command(context_settings={"ignore_unknown_options": True})  # "-2" is a revision
def downgrade(
    revision: Annotated[
        str, typer.Argument(help='A revision id, "-N" for N steps back, or "base".')
    ] = "-1",
    yes: Annotated[
        bool, typer.Option("--yes", help="Confirm a downgrade to base, which drops every table.")
    ] = False,
) -> None:
    """Undo migrations down to REVISION (default: one step back)."""
    console = Console()
    with _configured_database(console) as url:
        at = current(url)
        if at is None:
            raise _refused(console, "the database has no schema to downgrade.")
        if downgrade_destination(revision, at, _chain()) is None and not yes:
            raise _refused(
                console,
                "downgrading to base drops every table and all the data in them; add --yes if "
                "that is what you mean.",
            )
        try:
            downgrade_to(url, revision)
        except CommandError as error:
            raise _refused(console, str(error)) from None
        console.print(f"Database downgraded from revision {at} to {_named(current(url))}.")


@app.command("current")
def show_current() -> None:
    """Print the revision the database is at, and whether it is the newest (head)."""
    console = Console()
    with _configured_database(console) as url:
        at = current(url)
    head = _chain()[-1]
    if at == head:
        console.print(f"Database at revision {at} (head).")
    elif at is None:
        console.print(f"Database not migrated (no revision); head is {head}.")
    else:
        console.print(f"Database at revision {at}; head is {head}: run `creditdesk db upgrade`.")

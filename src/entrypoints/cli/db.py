"""`creditdesk db ...`: the database schema, upgraded on purpose (PostgreSQL deployments)."""

from __future__ import annotations

import typer
from rich.console import Console

from adapters.sql import current
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

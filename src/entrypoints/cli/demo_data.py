"""`creditdesk seed-demo`: fill the embedded default's database with the demo tenant.

The same seeding `creditdesk serve --demo` runs on start, on its own: the demo tenant, one
user per role, a champion model trained on the shipped credit data when there is none, and
weeks of applications in every state. Running it again changes nothing. The passwords it
prints are public: the demo is for a laptop, never for a database holding real data.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from adapters.security.passwords import Argon2PasswordHasher
from entrypoints.cli.context import opened, reported_errors
from entrypoints.composition import Deps
from entrypoints.demo import DEFAULT_APPLICATIONS, DemoLogins, seed_demo


def render_logins(console: Console, logins: DemoLogins) -> None:
    """The demo logins as a table, with the warning that goes with them."""
    table = Table(title=f"Demo logins (tenant {logins.tenant_slug})", title_justify="left")
    for column in ("role", "email", "password"):
        table.add_column(column)
    for login in logins.logins:
        table.add_row(login.role.value, login.email, login.password)
    console.print(table)
    console.print("[yellow]Demo only: these passwords are public.[/yellow]")


def seed_showing_progress(console: Console, deps: Deps, applications: int) -> DemoLogins:
    """`seed_demo` with a progress bar on `console`; the demo logins."""
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as bar:
        task = bar.add_task("starting", total=None)

        def progress(what: str, done: int, total: int) -> None:
            bar.update(task, description=what, completed=done, total=total)

        return seed_demo(
            deps,
            hasher=Argon2PasswordHasher(),
            applications=applications,
            progress=progress,
        )


def seed(
    applications: Annotated[
        int, typer.Option(min=0, help="How many applications to replay into the demo tenant.")
    ] = DEFAULT_APPLICATIONS,
) -> None:
    """Create the demo tenant, its users, a champion model and applications in every state."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        render_logins(console, seed_showing_progress(console, deps, applications))

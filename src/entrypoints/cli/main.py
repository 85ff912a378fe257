"""The `creditdesk` command. Each command is a thin shell over the domain and the use cases."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from adapters.serialization import structure
from domain.credit.application import ApplicationForm
from domain.credit.assessment import assess
from domain.credit.defaults import DEFAULT_ROUTING_POLICY, DEFAULT_SCORECARD
from domain.credit.reasons import DEFAULT_REASON_CODES
from domain.errors import ValidationFailed
from entrypoints.cli import api_keys, batches, data, db, jobs, models, notifications, scheduler
from entrypoints.cli import model_serving as _model_serving  # noqa: F401 - adds its commands
from entrypoints.cli.audit import app as audit_commands
from entrypoints.cli.backup import register as register_backup
from entrypoints.cli.demo_data import seed as seed_demo
from entrypoints.cli.exports import export as export_applications
from entrypoints.cli.render import render_assessment, render_problems
from entrypoints.cli.serve import serve
from entrypoints.cli.tenancy import tenants, users
from entrypoints.cli.testgen import app as testgen_commands
from entrypoints.cli.thresholds import app as threshold_commands

app = typer.Typer(
    name="creditdesk",
    help="Human-in-the-loop credit decisions: score, route, review, decide, audit.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(data.app, name="data")
app.add_typer(models.app, name="model")
app.add_typer(db.app, name="db")
app.add_typer(jobs.app, name="jobs")
app.add_typer(batches.app, name="batch")
app.add_typer(api_keys.app, name="api-keys")
app.add_typer(tenants, name="tenants")
app.add_typer(users, name="users")
app.add_typer(audit_commands, name="audit")
app.add_typer(threshold_commands, name="thresholds")
app.add_typer(testgen_commands, name="testgen")
app.command("worker")(jobs.work)
notifications.register(app)
register_backup(app)
app.command("scheduler")(scheduler.schedule)
app.command("seed-demo")(seed_demo)
app.command("serve")(serve)
app.command("export")(export_applications)


@app.callback()
def _root() -> None:
    """creditdesk: machines propose, people dispose, and every act is recorded."""


@app.command()
def demo(
    path: Annotated[
        Path,
        typer.Argument(help="A JSON file with a list of application forms.", exists=True),
    ] = Path("samples/applications.json"),
    today: Annotated[
        str | None, typer.Option(help="Assess as of this date (YYYY-MM-DD); default today.")
    ] = None,
) -> None:
    """Assess sample applications with the default scorecard and routing policy, and show why."""
    console = Console()
    as_of = date.fromisoformat(today) if today else date.today()  # noqa: DTZ011 - a calendar day
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        console.print(f"[red]Cannot read {path}: {error}[/red]")
        raise typer.Exit(2) from None
    if not isinstance(raw, list):
        console.print(f"[red]{path} must hold a JSON list of applications.[/red]")
        raise typer.Exit(2)
    failed = 0
    for index, item in enumerate(raw, start=1):
        try:
            form = structure(item, ApplicationForm)
            result = assess(
                form,
                today=as_of,
                scorecard=DEFAULT_SCORECARD,
                policy=DEFAULT_ROUTING_POLICY,
                reason_codes=DEFAULT_REASON_CODES,
            )
        except ValidationFailed as invalid:
            failed += 1
            render_problems(console, index, invalid.problems)
            continue
        render_assessment(console, form, result, DEFAULT_SCORECARD)
    if failed:
        raise typer.Exit(1)


def run() -> None:
    """Console-script entry point."""
    app()

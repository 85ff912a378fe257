"""`creditdesk export`: the tenant's applications, with their latest score, routing and
decision, written to a CSV or XLSX file (the columns: `domain.credit.exports`).

Up to 10,000 rows the file is written at once. A larger export is a job for the workers; the
command follows it with a progress bar until it is done, and without a broker (the embedded
default) it runs a worker in this process meanwhile, since no other process would. The period
is given as dates or ISO 8601 times; one without a time zone is taken as UTC. Personal data is
masked unless `--personal-data` is given; either way the export is recorded in the audit trail.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from application.credit.exports import DownloadExport, GetExport, RequestExport
from domain.credit.exports import Export, ExportFilter, ExportFormat
from domain.credit.status import ApplicationStatus
from domain.errors import Problem, ValidationFailed
from domain.identity import Principal
from entrypoints import worker
from entrypoints.cli.context import (
    CLI_OPERATOR,
    DEFAULT_TENANT,
    OperatorOption,
    TenantOption,
    opened,
    operator,
    reported_errors,
)
from entrypoints.composition import Deps

POLL_SECONDS = 0.25


def moment(name: str, text: str | None) -> datetime | None:
    """A date ("2026-11-01", midnight) or an ISO 8601 time; UTC unless it names a zone."""
    if text is None:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationFailed((Problem(name, "is not a date or an ISO 8601 time"),)) from None
    return parsed if parsed.utcoffset() is not None else parsed.replace(tzinfo=UTC)


def _follow(console: Console, deps: Deps, principal: Principal, export: Export) -> Export:
    """Poll the export until it is done or failed; the bar fills when the file is written."""
    get = GetExport(deps.uow())
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task(f"exporting {export.row_count:,} rows", total=export.row_count)
        while not export.status.is_final:
            time.sleep(POLL_SECONDS)
            export = get(principal, export.id)
        progress.update(task, completed=export.row_count)
    return export


def _finished(console: Console, deps: Deps, principal: Principal, export: Export) -> Export:
    """The export once final: as it is when written at once, else followed to its end."""
    if export.status.is_final:
        return export
    stop = threading.Event()
    local = deps.settings.broker_url is None
    thread = threading.Thread(target=worker.run, args=(deps, stop), kwargs={"threads": 1})
    if local:
        thread.start()
    try:
        return _follow(console, deps, principal, export)
    finally:
        stop.set()
        if local:
            thread.join()


def export(
    *,
    out: Annotated[Path, typer.Option("--out", "-o", help="The file to write.", dir_okay=False)],
    export_format: Annotated[
        ExportFormat, typer.Option("--format", help="csv or xlsx.")
    ] = ExportFormat.CSV,
    created_from: Annotated[
        str | None, typer.Option("--from", help="Submitted at or after this date or time.")
    ] = None,
    created_to: Annotated[
        str | None, typer.Option("--to", help="Submitted before this date or time.")
    ] = None,
    status: Annotated[
        list[ApplicationStatus] | None,
        typer.Option("--status", help="Only applications in this status (repeatable)."),
    ] = None,
    personal_data: Annotated[
        bool, typer.Option("--personal-data", help="Personal data in the clear, not masked.")
    ] = False,
    tenant: TenantOption = DEFAULT_TENANT,
    acting: OperatorOption = CLI_OPERATOR,
) -> None:
    """Export the tenant's applications with their latest score, routing and decision."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        chosen = ExportFilter(
            created_from=moment("--from", created_from),
            created_to=moment("--to", created_to),
            statuses=frozenset(status or ()),
        )
        principal = operator(deps, tenant, acting)
        request = RequestExport(deps.uow(), deps.store, deps.export_files, deps.clock, deps.ids)
        requested = request(principal, export_format, chosen, personal_data=personal_data)
        done = _finished(console, deps, principal, requested)
        if done.error is not None:
            console.print(f"[bold red]Export {done.id} failed:[/bold red] {done.error}")
            raise typer.Exit(1)
        found = DownloadExport(deps.uow(), deps.store, deps.clock)(principal, done.id)
        out.write_bytes(found.data)
        console.print(
            f"Wrote {done.row_count:,} applications to {out} ({len(found.data):,} bytes, "
            f"export {done.id})."
        )

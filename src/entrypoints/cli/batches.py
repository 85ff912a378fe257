"""`creditdesk batch ...`: upload a CSV file of applications, follow it, read its error report.

The file is streamed to the upload a mebibyte at a time, so the size limit
(CREDITDESK_BATCH_MAX_BYTES) is enforced before an oversized file is read whole. The rows are
read and scored by the workers; `--wait` follows the batch with a progress bar until it is
done, and without a broker (the embedded default) it runs a worker in this process meanwhile,
since no other process would. The column layout is in docs/batch-csv.md.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from application.credit.batch_queries import BatchErrorReport, GetBatch, ListBatches
from application.credit.upload_batch import UploadBatch
from domain.credit.batches import Batch
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

app = typer.Typer(help="CSV batches of applications: upload, progress, error reports.")

PIECE = 1024 * 1024
BatchArgument = Annotated[str, typer.Argument(help="The batch id (from `batch upload`).")]


def _pieces(path: Path) -> Iterator[bytes]:
    with path.open("rb") as file:
        while piece := file.read(PIECE):
            yield piece


def _status_table(batch: Batch) -> Table:
    table = Table(title=f"Batch {batch.id}", title_justify="left", show_header=False)
    table.add_column("what")
    table.add_column("value")
    rows = [
        ("file", f"{batch.file_name} ({batch.size:,} bytes)"),
        ("status", batch.status.value),
        *((name.replace("_", " "), f"{count:,}") for name, count in batch.counts().items()),
        ("uploaded", f"{batch.created_at:%Y-%m-%d %H:%M:%S} by {batch.uploaded_by}"),
    ]
    if batch.completed_at is not None:
        rows.append(("finished", f"{batch.completed_at:%Y-%m-%d %H:%M:%S}"))
    if batch.failure:
        rows.append(("failure", batch.failure))
    for name, value in rows:
        table.add_row(name, value)
    return table


def _follow(console: Console, deps: Deps, principal: Principal, batch: Batch) -> Batch:
    """Poll the batch until it is completed or failed, showing how far it got."""
    with deps.uow() as uow:
        scoring = uow.models.champion(principal.tenant_id) is not None
    if not scoring:
        console.print("[yellow]No champion model: rows are read but not scored until one is.")
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    get = GetBatch(deps.uow())
    with Progress(*columns, TimeElapsedColumn(), console=console) as progress:
        reading = progress.add_task("rows read", total=batch.total_rows)
        scored = progress.add_task("rows scored", total=None)
        while not batch.status.is_final and (scoring or not batch.all_read):
            time.sleep(0.5)
            batch = get(principal, batch.id)
            progress.update(reading, completed=batch.rows_read)
            progress.update(scored, completed=batch.scored, total=batch.accepted or None)
    return batch


@app.command()
def upload(
    path: Annotated[Path, typer.Argument(help="The CSV file.", exists=True, dir_okay=False)],
    key: Annotated[
        str | None, typer.Option("--key", help="Idempotency key: the same key and file, once.")
    ] = None,
    wait: Annotated[bool, typer.Option(help="Follow the batch until it is done.")] = False,
    tenant: TenantOption = DEFAULT_TENANT,
    acting: OperatorOption = CLI_OPERATOR,
) -> None:
    """Upload a CSV file of applications as a batch; its rows are read by the workers."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        principal = operator(deps, tenant, acting)
        limits = deps.settings.batches
        upload_batch = UploadBatch(
            deps.uow(), deps.store, deps.clock, deps.ids, limits.max_bytes, limits.chunk_rows
        )
        uploaded = upload_batch(principal, _pieces(path), idempotency_key=key, file_name=path.name)
        batch = uploaded.batch
        verb = "Uploaded" if uploaded.created else "Already uploaded under this key:"
        console.print(f"{verb} batch {batch.id} ({batch.size:,} bytes, {batch.status}).")
        if not wait:
            return
        stop = threading.Event()
        local = deps.settings.broker_url is None
        thread = threading.Thread(target=worker.run, args=(deps, stop), kwargs={"threads": 2})
        if local:
            thread.start()
        try:
            batch = _follow(console, deps, principal, batch)
        finally:
            stop.set()
            if local:
                thread.join()
        console.print(_status_table(batch))


@app.command()
def status(
    batch_id: BatchArgument,
    tenant: TenantOption = DEFAULT_TENANT,
) -> None:
    """How far a batch got: rows read, accepted, rejected and scored."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        console.print(
            _status_table(GetBatch(deps.uow())(operator(deps, tenant, CLI_OPERATOR), batch_id))
        )


@app.command()
def errors(
    batch_id: BatchArgument,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file.")
    ] = None,
    tenant: TenantOption = DEFAULT_TENANT,
) -> None:
    """The rejected rows' problems, as CSV (row, column, message)."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        report = BatchErrorReport(deps.uow())(operator(deps, tenant, CLI_OPERATOR), batch_id)
        if output is None:
            typer.echo(report, nl=False)
            return
        output.write_text(report, encoding="utf-8")
        console.print(f"Wrote {len(report.splitlines()) - 1:,} problems to {output}.")


@app.command("list")
def list_batches(
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    tenant: TenantOption = DEFAULT_TENANT,
) -> None:
    """The tenant's latest batches, newest first."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        found = ListBatches(deps.uow())(operator(deps, tenant, CLI_OPERATOR), limit=limit)
        table = Table(title="Batches", title_justify="left")
        table.add_column("id", no_wrap=True)  # whole, to be copied into `batch status`
        for column in ("file", "uploaded", "status", "read", "accepted", "rejected", "scored"):
            table.add_column(column)
        for batch in found:
            counts = batch.counts()
            table.add_row(
                batch.id,
                batch.file_name,
                f"{batch.created_at:%Y-%m-%d %H:%M}",
                batch.status.value,
                f"{batch.rows_read:,} of {batch.total_rows:,}",
                *(f"{counts[name]:,}" for name in ("accepted", "rejected", "scored")),
            )
        console.print(table if found else "No batches.")

"""`creditdesk data ...`: bring loan history with known outcomes into a tenant."""

from __future__ import annotations

import enum
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from adapters.ml.datasets import HistoricalRecord, credit_data, german_credit
from application.credit.import_history import ImportHistory, ImportReport
from entrypoints.cli.context import (
    CLI_OPERATOR,
    DEFAULT_TENANT,
    OperatorOption,
    TenantOption,
    opened,
    operator,
    reported_errors,
)

app = typer.Typer(help="Loan history with known outcomes: what models learn from.")

SHOWN_REJECTIONS = 10


class Dataset(enum.StrEnum):
    CREDIT_DATA = "credit_data"
    GERMAN_CREDIT = "german_credit"


def _records(dataset: Dataset) -> list[HistoricalRecord]:
    if dataset is Dataset.CREDIT_DATA:
        return credit_data()
    return german_credit()


def _render(console: Console, report: ImportReport) -> None:
    table = Table(title=f"Import of {report.source}", title_justify="left")
    table.add_column("rows", justify="right")
    table.add_column("imported", justify="right", style="green")
    table.add_column("already present", justify="right")
    table.add_column("rejected", justify="right", style="red")
    table.add_row(
        str(report.total),
        str(report.imported),
        str(report.already_present),
        str(len(report.rejected)),
    )
    console.print(table)
    for row in report.rejected[:SHOWN_REJECTIONS]:
        reasons = "; ".join(str(p) for p in row.problems)
        console.print(f"  [red]row {row.position}[/red] {row.external_id}: {reasons}")
    if len(report.rejected) > SHOWN_REJECTIONS:
        console.print(f"  ... and {len(report.rejected) - SHOWN_REJECTIONS} more rejected")


@app.command("import")
def import_(
    dataset: Annotated[Dataset, typer.Argument(help="Which shipped data set to import.")],
    tenant: TenantOption = DEFAULT_TENANT,
    acting: OperatorOption = CLI_OPERATOR,
) -> None:
    """Import a shipped data set as approved applications with their outcomes (idempotent)."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        principal = operator(deps, tenant, acting)
        records = _records(dataset)
        use_case = ImportHistory(deps.uow(), deps.clock, deps.ids)
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        ) as bar:
            task = bar.add_task(f"importing {dataset.value}", total=len(records))

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            report = use_case(
                principal,
                dataset.value,
                ((r.form, r.defaulted) for r in records),
                progress=progress,
            )
        _render(console, report)

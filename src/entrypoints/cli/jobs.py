"""`creditdesk worker` and `creditdesk jobs ...`: background work, and the jobs that failed.

The worker runs the Dramatiq actors and the outbox relay until it gets SIGINT or SIGTERM, then
finishes the jobs in hand and stops: a job cut short by a harder stop stays on the broker (with
Redis) and is taken again by the next worker, and scoring is idempotent, so nothing is scored
twice. Dead jobs are listed with their error and sent again once their cause is fixed.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from application.credit.dead_jobs import ListDeadJobs, RetryDeadJob
from entrypoints import worker as background
from entrypoints.cli.context import OperatorOption, opened, reported_errors

app = typer.Typer(help="Background jobs: the ones that failed for good, and sending them again.")


def work(
    threads: Annotated[int, typer.Option(min=1, help="Worker threads in this process.")] = 4,
) -> None:
    """Run background jobs (and relay the outbox to them) until interrupted."""
    console = Console()
    stop = threading.Event()

    def stop_on(signum: int, _frame: FrameType | None) -> None:
        console.print(f"Stopping after the jobs in hand ({signal.Signals(signum).name}).")
        stop.set()

    signal.signal(signal.SIGTERM, stop_on)
    signal.signal(signal.SIGINT, stop_on)
    with opened(console) as deps, reported_errors(console):
        where = "Redis" if deps.settings.broker_url else "this process (no broker configured)"
        console.print(f"Worker with {threads} threads; jobs from {where}.")
        background.run(deps, stop, threads=threads)


@app.command()
def dead(
    everything: Annotated[
        bool, typer.Option("--all", help="Include the jobs already sent again.")
    ] = False,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
) -> None:
    """The jobs that failed on every attempt, newest first."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        jobs = ListDeadJobs(deps.uow())(limit=limit, include_retried=everything)
        table = Table(title="Dead jobs", title_justify="left")
        for column in ("id", "job", "tenant", "failed", "attempts", "error", "retried"):
            table.add_column(column)
        for job in jobs:
            table.add_row(
                job.id,
                job.job_name,
                job.tenant_id,
                f"{job.failed_at:%Y-%m-%d %H:%M:%S}",
                str(job.attempts),
                job.error,
                "" if job.retried_at is None else f"{job.retried_at:%Y-%m-%d %H:%M}",
            )
        console.print(table if jobs else "No dead jobs.")


@app.command()
def retry(
    job_id: Annotated[str, typer.Argument(help="The dead job's id (from `jobs dead`).")],
    acting: OperatorOption = "cli-operator",
) -> None:
    """Send a dead job again (once its cause is fixed); the workers take it from the outbox."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        message = RetryDeadJob(deps.uow(), deps.clock, deps.ids)(job_id, actor=acting)
        console.print(f"Sent {job_id} again as job {message.id}.")

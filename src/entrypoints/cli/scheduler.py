"""`creditdesk scheduler`: the periodic jobs (SLA check, auto-assignment, model check, clean-up).

Runs until SIGINT or SIGTERM, then finishes the job in hand and stops. Any number may run at
once (one per host, say, for availability): each job's slot is run by one of them. `--once`
runs every job whose current slot no scheduler has run yet and returns, for an operator (or a
cron line) who wants them now.
"""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from typing import Annotated

import typer
from rich.console import Console

from entrypoints import scheduler as periodic
from entrypoints import worker
from entrypoints.cli.context import opened, reported_errors


def schedule(
    once: Annotated[
        bool, typer.Option("--once", help="Run the jobs that are due now, then stop.")
    ] = False,
) -> None:
    """Run the periodic jobs until interrupted (or once, with --once)."""
    console = Console()
    stop = threading.Event()

    def stop_on(signum: int, _frame: FrameType | None) -> None:
        console.print(f"Stopping after the job in hand ({signal.Signals(signum).name}).")
        stop.set()

    signal.signal(signal.SIGTERM, stop_on)
    signal.signal(signal.SIGINT, stop_on)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("entrypoints").setLevel(logging.INFO)  # what the jobs did, not the libraries
    with opened(console) as deps, reported_errors(console):
        # Relaying needs a broker the workers read; without one the workers run in their own
        # process's memory, and they relay their outbox themselves.
        relay = worker.background(deps) if deps.settings.broker_url else None
        if not once:
            console.print("Scheduler running; jobs are claimed slot by slot.")
        ran = periodic.run(deps, stop, once=once, relay=relay)
        if once:
            console.print(f"Ran: {', '.join(ran)}." if ran else "Nothing was due.")

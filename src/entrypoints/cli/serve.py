"""`creditdesk serve`: the HTTP API under uvicorn, with its background work when embedded.

Without a broker URL (the embedded default) the worker and the scheduler run in threads of
this process, so one command is a whole installation; with a broker, `creditdesk worker` and
`creditdesk scheduler` run apart and `serve` is a stateless API replica. Logs are JSON lines
(`entrypoints.http.logging`); uvicorn's access log is off, since a query string may hold a
search term, and the request metrics count every request instead.

`serve --demo` first seeds the demo tenant (as `creditdesk seed-demo` does; a no-op once it is
there) and prints its logins with the URLs: `make demo` is one command from clone to a full
queue in the browser.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Annotated

import typer
import uvicorn
from rich.console import Console

from entrypoints import scheduler, worker
from entrypoints.cli.context import opened, reported_errors
from entrypoints.cli.demo_data import render_logins, seed_showing_progress
from entrypoints.demo import DEFAULT_APPLICATIONS
from entrypoints.http.app import DOCS_PATH, create_app
from entrypoints.http.logging import configure_logging


def _stopped(_signum: int, _frame: FrameType | None) -> None:
    """SIGTERM is how a supervisor stops the server: an orderly exit with status 0. Uvicorn
    shuts down gracefully on it, then raises it again for the handler it found, this one."""
    raise SystemExit(0)


def serve(
    host: Annotated[str, typer.Option(help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="The port to listen on.")] = 8000,
    demo: Annotated[
        bool, typer.Option("--demo", help="Seed the demo tenant first and print its logins.")
    ] = False,
    demo_applications: Annotated[
        int, typer.Option(min=0, help="How many applications `--demo` replays.")
    ] = DEFAULT_APPLICATIONS,
) -> None:
    """Serve the HTTP API (and, without a broker, the worker and the scheduler) until stopped."""
    console = Console()
    configure_logging()
    signal.signal(signal.SIGTERM, _stopped)
    with opened(console) as deps, reported_errors(console):
        logins = seed_showing_progress(console, deps, demo_applications) if demo else None
        stop = threading.Event()
        background: list[tuple[threading.Thread, threading.Event]] = []
        if deps.settings.broker_url is None:
            jobs = threading.Thread(
                target=worker.run, args=(deps, stop), name="worker", daemon=True
            )
            jobs.start()
            background.append((jobs, stop))
            background.append(scheduler.start_in_process(deps))
        app = create_app(deps)
        console.print(f"creditdesk is serving on http://{host}:{port}")
        console.print(f"Workbench: http://{host}:{port}/app")
        console.print(f"API docs: http://{host}:{port}{DOCS_PATH}")
        if logins is not None:
            render_logins(console, logins)
        try:
            uvicorn.run(app, host=host, port=port, log_config=None, access_log=False)
        finally:
            for _thread, event in background:
                event.set()
            for thread, _event in background:
                thread.join(timeout=10)

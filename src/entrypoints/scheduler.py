"""The scheduler: runs each periodic job once per slot, however many schedulers are up.

`creditdesk scheduler` runs `run` until SIGINT or SIGTERM; the embedded default runs the same
loop in a thread (`start_in_process`). Every tick the scheduler looks at the clock, and for each
job whose slot has begun since it last looked (`domain.schedules.due_slot`) it claims the slot
(`ScheduleClaims`): the one scheduler whose claim wins runs the job, the others skip it. Each job
runs in its own try: one failing never keeps the others from running, and a failure is logged
without personal data (`entrypoints.periodic_jobs.describe`). A claim that could not be made
(the database away) is tried again at the next tick.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Sequence
from datetime import datetime

from adapters.sql.schedule_claims import SqlScheduleClaims
from application.credit.ports import ScheduleClaims
from application.ports import Clock
from domain.schedules import due_slot
from entrypoints.composition import Deps
from entrypoints.periodic_jobs import PeriodicJob, describe, periodic_jobs
from entrypoints.worker import Background

_log = logging.getLogger(__name__)


def holder_name() -> str:
    """How this scheduler signs its claims: host, process and a random part (no two alike)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[-200:]


class Scheduler:
    """The jobs, the claims that share them out, and the last slot each job was looked at in.

    One scheduler is used by one thread; several (threads, processes, machines) share slots
    through the claims.
    """

    def __init__(
        self,
        jobs: Sequence[PeriodicJob],
        claims: ScheduleClaims,
        clock: Clock,
        holder: str | None = None,
    ) -> None:
        self.jobs = tuple(jobs)
        self._claims = claims
        self._clock = clock
        self.holder = holder or holder_name()
        self._last_slot: dict[str, datetime] = {}

    def run_due(self) -> list[str]:
        """Claim and run every job whose slot is due; the names of those this scheduler ran
        (a job that failed included: its slot is spent)."""
        now = self._clock.now()
        ran: list[str] = []
        for job in self.jobs:
            slot = due_slot(job.schedule, self._last_slot.get(job.name), now)
            if slot is None:
                continue
            try:
                won = self._claims.claim(job.name, slot, holder=self.holder, at=now)
            except Exception as error:  # the database is away: try again at the next tick
                _log.error("could not claim %s at %s: %s", job.name, slot, describe(error))
                continue
            self._last_slot[job.name] = slot
            if not won:
                continue
            ran.append(job.name)
            try:
                job.run(slot)
            except Exception as error:  # logged; the other jobs still run
                _log.error("%s for %s failed: %s", job.name, slot.isoformat(), describe(error))
        return ran


def run(
    deps: Deps,
    stop: threading.Event,
    *,
    tick: float | None = None,
    once: bool = False,
    relay: Background | None = None,
    jobs: Sequence[PeriodicJob] | None = None,
) -> list[str]:
    """Run due jobs every `tick` seconds (the settings' by default) until `stop` is set, or
    one round with `once`; the names of the jobs this scheduler ran."""
    scheduler = Scheduler(
        periodic_jobs(deps, relay) if jobs is None else jobs,
        SqlScheduleClaims(deps.engine),
        deps.clock,
    )
    every = deps.settings.scheduler.tick if tick is None else tick
    ran: list[str] = []
    while True:
        ran.extend(scheduler.run_due())
        if once or stop.wait(every):
            return ran


def start_in_process(
    deps: Deps, relay: Background | None = None
) -> tuple[threading.Thread, threading.Event]:
    """The scheduler in a daemon thread of this process (the embedded default); set the event
    to stop it, then join the thread. Without `relay` the outbox is left to the worker."""
    stop = threading.Event()
    thread = threading.Thread(
        target=run, args=(deps, stop), kwargs={"relay": relay}, name="scheduler", daemon=True
    )
    thread.start()
    return thread, stop

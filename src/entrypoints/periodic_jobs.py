"""The periodic jobs of creditdesk, and what each runs (`entrypoints.scheduler` runs them).

Every minute: the SLA check (warnings, breaches, escalations), auto-assignment of pending cases
near their deadline, and, where a broker is configured, the outbox relay (the workers relay too;
this one keeps messages moving while no worker is up). Every day, at the times of the settings:
the model check (drift and data quality over the day) and the clean-up.

A job acts in each tenant as `system:scheduler`, a system user granted only what that job needs.
What a job did is logged by counts and ids, never with personal data; a tenant where it failed
is logged with the error's type (and its message, unless the error may quote stored data), and
the job goes on with the next tenant.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TypeVar

from attrs import frozen
from sqlalchemy.exc import SQLAlchemyError

from adapters.sql.schedule_claims import SqlScheduleClaims
from application.credit.auto_assign import AutoAssign
from application.credit.check_sla import CheckSla
from application.credit.clean_up import (
    CleanUp,
    ExportCleaner,
    IdempotencyKeyCleaner,
    ScheduleClaimCleaner,
    SentOutboxCleaner,
)
from application.credit.daily_model_check import DailyModelCheck
from application.credit.every_tenant import for_every_tenant
from application.credit.token_clean_up import ExpiredTokenCleaner
from domain.identity import Permission, Principal, Role
from domain.schedules import Schedule
from entrypoints.composition import Deps
from entrypoints.worker import Background

_log = logging.getLogger(__name__)
T = TypeVar("T")

SCHEDULER_USER = "system:scheduler"
SLA_CHECK = "sla_check"
AUTO_ASSIGN = "auto_assign"
RELAY_OUTBOX = "relay_outbox"
MODEL_CHECK = "model_check"
CLEAN_UP = "clean_up"


@frozen
class PeriodicJob:
    """A job and when it runs; `run` is given the start of the slot it runs for."""

    schedule: Schedule
    run: Callable[[datetime], None]

    @property
    def name(self) -> str:
        return self.schedule.job


def scheduler_principal(tenant_id: str, grant: Permission) -> Principal:
    """Who a periodic job acts as in a tenant: a system user with one permission."""
    return Principal(SCHEDULER_USER, tenant_id, Role.READONLY, extra_grants=frozenset({grant}))


def describe(error: BaseException) -> str:
    """An error for the log: its type, and its message unless it may quote stored data (a
    database error quotes the statement and its parameters, the record's contents among them)."""
    if isinstance(error, SQLAlchemyError):
        cause = getattr(error, "orig", None)
        return type(error).__name__ + ("" if cause is None else f" ({type(cause).__name__})")
    return f"{type(error).__name__}: {error}"


def _in_every_tenant(deps: Deps, job: str, act: Callable[[str], T | None]) -> list[tuple[str, T]]:
    """(tenant id, result) of `act` in every active tenant; each failure logged, none spread."""
    done: list[tuple[str, T]] = []
    for outcome in for_every_tenant(deps.uow(), act):
        if outcome.error is not None:
            _log.error(
                "%s failed in tenant %s: %s", job, outcome.tenant_id, describe(outcome.error)
            )
        elif outcome.result is not None:
            done.append((outcome.tenant_id, outcome.result))
    return done


def _count(what: str, ids: Iterable[str]) -> str:
    return f"{len(tuple(ids))} {what}"


def check_sla(deps: Deps) -> Callable[[datetime], None]:
    def run(_slot: datetime) -> None:
        check = CheckSla(deps.uow(), deps.clock, deps.ids)
        for tenant_id, report in _in_every_tenant(
            deps, SLA_CHECK, lambda t: check(scheduler_principal(t, Permission.QUEUE_ASSIGN))
        ):
            if report.warned or report.breached:
                _log.info(
                    "SLA check in tenant %s: %s, %s, %s",
                    tenant_id,
                    _count("warned", report.warned),
                    _count("breached", report.breached),
                    _count("escalated", report.escalated),
                )
            if report.unescalated:
                _log.warning(
                    "tenant %s has no senior analyst to escalate %s breached case(s) to: %s",
                    tenant_id,
                    len(report.unescalated),
                    ", ".join(report.unescalated),
                )

    return run


def auto_assign(deps: Deps) -> Callable[[datetime], None]:
    def run(_slot: datetime) -> None:
        within = deps.settings.scheduler.auto_assign_within
        assign = AutoAssign(deps.uow(), deps.clock, deps.ids, within=within)
        for tenant_id, assigned in _in_every_tenant(
            deps, AUTO_ASSIGN, lambda t: assign(scheduler_principal(t, Permission.QUEUE_ASSIGN))
        ):
            if assigned:
                _log.info("auto-assigned %d case(s) in tenant %s", len(assigned), tenant_id)

    return run


def check_models(deps: Deps) -> Callable[[datetime], None]:
    def run(slot: datetime) -> None:
        check = DailyModelCheck(deps.uow(), deps.models, deps.clock, deps.ids)
        for tenant_id, report in _in_every_tenant(
            deps,
            MODEL_CHECK,
            lambda t: check(scheduler_principal(t, Permission.CONFIG_MANAGE), until=slot),
        ):
            _log.info("model check in tenant %s: %s", tenant_id, report.level.value)

    return run


def clean_up(deps: Deps) -> Callable[[datetime], None]:
    def run(_slot: datetime) -> None:
        settings = deps.settings.scheduler
        uow = deps.uow()
        report = CleanUp(
            (
                SentOutboxCleaner(uow, settings.retention),
                IdempotencyKeyCleaner(uow, settings.retention),
                ExportCleaner(uow, deps.store, settings.export_retention),
                ScheduleClaimCleaner(SqlScheduleClaims(deps.engine), settings.retention),
                ExpiredTokenCleaner(deps.uow()),
            ),
            deps.clock,
        )()
        removed = ", ".join(f"{count} {name}" for name, count in report.removed.items())
        _log.info("clean-up removed %s", removed or "nothing")
        for name, error in report.failed.items():
            _log.error("clean-up of %s failed: %s", name, describe(error))

    return run


def relay_outbox(deps: Deps, background: Background) -> Callable[[datetime], None]:
    def run(_slot: datetime) -> None:
        background.relay(deps)

    return run


def periodic_jobs(deps: Deps, relay: Background | None = None) -> tuple[PeriodicJob, ...]:
    """Every periodic job, timed by the settings; the outbox relay only with a `relay` (the
    broker to relay to), and auto-assignment unless the settings turn it off."""
    settings = deps.settings.scheduler
    jobs = [PeriodicJob(Schedule.every_minute(SLA_CHECK), check_sla(deps))]
    if settings.auto_assign_within:
        jobs.append(PeriodicJob(Schedule.every_minute(AUTO_ASSIGN), auto_assign(deps)))
    if relay is not None:
        jobs.append(PeriodicJob(Schedule.every_minute(RELAY_OUTBOX), relay_outbox(deps, relay)))
    jobs.append(
        PeriodicJob(Schedule.daily(MODEL_CHECK, at=settings.model_check_at), check_models(deps))
    )
    jobs.append(PeriodicJob(Schedule.daily(CLEAN_UP, at=settings.clean_up_at), clean_up(deps)))
    return tuple(jobs)

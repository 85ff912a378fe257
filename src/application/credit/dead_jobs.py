"""Jobs that failed on every attempt: recorded with their error, listed, and sent again by hand.

The queue retries a failing job with exponential backoff; when the last attempt fails it reports
the job here (`RecordDeadJob`), which keeps it with the error and an audit event in the job's
tenant. An operator lists them (`ListDeadJobs`: the CLI's `creditdesk jobs dead`) and, once the
cause is fixed (a champion promoted, a service back), sends one again (`RetryDeadJob`): a new
outbox message in the same transaction as the record of the retry, so the retry is as safe from
crashes as the first attempt. These are operations of whoever runs the platform; the HTTP API
will show each tenant its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from attrs import frozen

from application.credit.ports import DeadJob, OutboxMessage, UnitOfWork
from application.credit.recording import Journal
from application.errors import NotFound
from application.ports import AlreadyExists, Clock, IdGenerator
from domain.errors import ConflictError, Problem, ValidationFailed

#: The longest error text kept; enough for the message, never a whole traceback.
MAX_ERROR = 1_000
SYSTEM_ACTOR = "system:worker"


@frozen
class FailedJob:
    """What the queue reports of a job that exhausted its retries."""

    message_id: str
    job_name: str
    payload: Mapping[str, str | int]
    error: str
    attempts: int


@frozen
class RecordDeadJob:
    uow: UnitOfWork
    clock: Clock

    def __call__(self, failed: FailedJob) -> DeadJob:
        """Keep the failed job (once: a second report of the same message changes nothing)."""
        now = self.clock.now()
        payload = {k: v for k, v in failed.payload.items() if k != "tenant_id"}
        job = DeadJob(
            id=failed.message_id,
            tenant_id=str(failed.payload.get("tenant_id", "")),
            job_name=failed.job_name,
            payload=payload,
            error=failed.error[:MAX_ERROR],
            attempts=failed.attempts,
            failed_at=now,
        )
        with self.uow:
            try:
                self.uow.dead_jobs.add(job)
            except AlreadyExists:  # reported twice (a redelivered failure): keep the first
                found = self.uow.dead_jobs.get(job.id)
                return job if found is None else found
            if job.tenant_id:
                Journal(self.uow, job.tenant_id, SYSTEM_ACTOR, now).audit(
                    "job.dead",
                    "job",
                    job.id,
                    new={"job": job.job_name, "attempts": job.attempts, "error": job.error},
                )
            self.uow.commit()
        return job


@frozen
class ListDeadJobs:
    uow: UnitOfWork

    def __call__(self, *, limit: int = 50, include_retried: bool = False) -> list[DeadJob]:
        if not 1 <= limit <= 1_000:
            raise ValidationFailed((Problem("limit", "between 1 and 1,000 jobs"),))
        with self.uow:
            return self.uow.dead_jobs.list(limit=limit, include_retried=include_retried)


class AlreadyRetried(ConflictError):
    def __init__(self, job_id: str, at: datetime) -> None:
        super().__init__(f"job {job_id} was already sent again at {at.isoformat()}")


@frozen
class RetryDeadJob:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator

    def __call__(self, job_id: str, *, actor: str) -> OutboxMessage:
        """Send the job again as a new outbox message; `actor` is recorded as who did."""
        now = self.clock.now()
        with self.uow:
            job = self.uow.dead_jobs.get(job_id)
            if job is None:
                raise NotFound("dead job", job_id)
            if job.retried_at is not None:
                raise AlreadyRetried(job_id, job.retried_at)
            message = OutboxMessage(
                id=self.ids.new_id(),
                tenant_id=job.tenant_id,
                topic=job.job_name,
                payload=dict(job.payload),
                created_at=now,
            )
            self.uow.outbox.add(message)
            self.uow.dead_jobs.mark_retried(job_id, now)
            if job.tenant_id:
                Journal(self.uow, job.tenant_id, actor, now).audit(
                    "job.retried", "job", job_id, new={"job": job.job_name, "as": message.id}
                )
            self.uow.commit()
        return message

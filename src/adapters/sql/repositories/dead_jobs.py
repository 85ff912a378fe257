"""Dead jobs, read across tenants by operators: newest failure first, retried ones on request."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from attrs import evolve
from sqlalchemy import select, update

from adapters.sql.records import from_record, to_record
from adapters.sql.schema import dead_jobs
from adapters.sql.transaction import Transaction
from application.credit.ports import DeadJob
from application.ports import RecordNotFound

_d = dead_jobs.c


def to_row(job: DeadJob) -> dict[str, Any]:
    return {
        "id": job.id,
        "tenant_id": job.tenant_id,
        "job_name": job.job_name,
        "attempts": job.attempts,
        "failed_at": job.failed_at,
        "retried_at": job.retried_at,
        "record": to_record(job),
    }


class SqlDeadJobRepository:
    def __init__(self, db: Transaction) -> None:
        self._db = db

    def add(self, job: DeadJob) -> None:
        self._db.insert_new(dead_jobs, to_row(job), f"dead job {job.id}")

    def get(self, job_id: str) -> DeadJob | None:
        record = self._db.execute(select(_d.record).where(_d.id == job_id)).scalar_one_or_none()
        return None if record is None else from_record(record, DeadJob)

    def list(self, *, limit: int, include_retried: bool = False) -> list[DeadJob]:
        if limit <= 0:
            return []
        statement = select(_d.record).order_by(_d.failed_at.desc(), _d.id.desc()).limit(limit)
        if not include_retried:
            statement = statement.where(_d.retried_at.is_(None))
        records = self._db.execute(statement).scalars()
        return [from_record(record, DeadJob) for record in records]

    def mark_retried(self, job_id: str, at: datetime) -> None:
        # Only `retried_at` ever changes, so the record read here cannot be stale otherwise;
        # of two retries racing, the later write wins both the column and the record.
        job = self.get(job_id)
        if job is None:
            raise RecordNotFound(f"dead job {job_id} does not exist")
        statement = (
            update(dead_jobs)
            .where(_d.id == job_id)
            .values(retried_at=at, record=to_record(evolve(job, retried_at=at)))
        )
        self._db.update_existing(statement, f"dead job {job_id}")

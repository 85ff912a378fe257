"""Background jobs that failed on every attempt, kept for an operator to retry by hand.

Like the outbox it mirrors, a row keeps its value whole in `record` (payload and error
included, as the one converter wrote them) and, beside it, the columns operators list and
filter by. `id` is the failed job's outbox message id, so a job dies once however often its
last failure is reported. Operators read across tenants, newest failure first: one index
serves the whole list, and a partial one the jobs not yet retried, which is what the
dead-letter screen shows and stays small while the retried history grows.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, Table

from adapters.sql.schema.base import metadata, partial
from adapters.sql.types import Document, Id, Key, UtcDateTime

dead_jobs = Table(
    "dead_jobs",
    metadata,
    Column("id", Id, primary_key=True),
    Column("tenant_id", Id, ForeignKey("tenants.id"), nullable=False),
    Column("job_name", Key, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("failed_at", UtcDateTime, nullable=False),
    Column("retried_at", UtcDateTime, nullable=True),
    Column("record", Document, nullable=False),
    Index("ix_dead_jobs_failed", "failed_at", "id"),
    Index("ix_dead_jobs_not_retried_failed", "failed_at", "id", **partial("retried_at IS NULL")),
)

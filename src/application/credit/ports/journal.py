"""What creditdesk writes about its own work: the audit chain, the outbox of jobs and
notifications still to send, the jobs that failed for good, and the idempotency keys of
requests already served."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from attrs import frozen

from application.credit.queries import (
    AuditQuery,
    Page,
)
from domain.audit import AuditEvent, ChainAnchor


class AuditLog(Protocol):
    """The per-tenant chain of audit events (see `domain.audit`), append-only."""

    def append(self, event: AuditEvent) -> None:
        """Add `event` at the head of its tenant's chain.

        Raises `domain.audit.ChainMismatch` unless the event directly follows the current head
        (next sequence number, previous hash equal to the head's hash): a log never accepts a
        gap or a fork, whoever built the event.
        """
        ...

    def append_many(self, events: Sequence[AuditEvent]) -> None:
        """`append` each, in order, as one write: each must follow its tenant's head or the
        tenant's event before it in `events`, else `ChainMismatch` and nothing is appended."""
        ...

    def head(self, tenant_id: str, *, for_append: bool = False) -> AuditEvent | None:
        """The tenant's newest event, from which the next one is built; None for a new tenant.

        `for_append` says the caller will build and append the next event in this unit of
        work: the log then holds the tenant's chain for it until the transaction ends, so that
        concurrent writers of one tenant take turns rather than one of them failing.
        """
        ...

    def anchor(self, tenant_id: str, *, for_append: bool = False) -> ChainAnchor:
        """The sequence and hash of the tenant's newest event (`ChainAnchor.empty` for a new
        tenant): what building the next event needs, without reading the event itself.

        `for_append` holds the tenant's chain as `head` does; the append that follows in the
        same transaction then need not read the head again.
        """
        ...

    def events(self, tenant_id: str) -> list[AuditEvent]:
        """Every event of the tenant by sequence, as `domain.audit.verify_chain` reads them."""
        ...

    def query(self, tenant_id: str, query: AuditQuery) -> Page[AuditEvent]:
        """One page of the tenant's events matching every given filter, newest first."""
        ...


@frozen
class OutboxMessage:
    """A job or notification to send once the transaction that wrote it has committed.

    The payload carries ids and small scalars, like `application.ports.Job`'s; the message id
    doubles as the job's idempotency key, so a message relayed twice runs once.
    """

    id: str
    tenant_id: str
    topic: str
    payload: Mapping[str, str | int]
    created_at: datetime


class Outbox(Protocol):
    """Messages written in a use case's transaction and relayed afterwards.

    The relay works for every tenant at once, so `pending` and `mark_sent` take no tenant:
    they hand over ids to deliver and read no tenant's business data.
    """

    def add(self, message: OutboxMessage) -> None:
        """Store a message to send; `AlreadyExists` if its id is taken."""
        ...

    def add_many(self, messages: Sequence[OutboxMessage]) -> None:
        """`add` each, in order, as one write: all or none."""
        ...

    def pending(self, limit: int, *, topics: Collection[str] | None = None) -> list[OutboxMessage]:
        """Up to `limit` unsent messages, oldest `created_at` first (ties in the order added);
        only of `topics` when given, so a relay never stalls behind messages it cannot send."""
        ...

    def mark_sent(self, message_id: str) -> None:
        """Record that the message went out; marking again is harmless (relays retry), an
        unknown id raises `RecordNotFound`."""
        ...

    def purge_sent(self, created_before: datetime, limit: int) -> int:
        """Remove up to `limit` sent messages created before `created_before`, oldest first;
        how many went. Unsent messages are never removed, however old."""
        ...


@frozen
class DeadJob:
    """A background job that failed on every attempt, kept until someone retries it by hand.

    `payload` is the job's (ids and small scalars, no personal data); `error` is the last
    exception's type and message, never a traceback (locals and record contents stay out).
    `retried_at` is set when a person sent it again (a new outbox message, so a retry is as
    safe from crashes as the first attempt).
    """

    id: str
    tenant_id: str
    job_name: str
    payload: Mapping[str, str | int]
    error: str
    attempts: int
    failed_at: datetime
    retried_at: datetime | None = None


class DeadJobRepository(Protocol):
    """Jobs that exhausted their retries; like the outbox, read across tenants by operators."""

    def add(self, job: DeadJob) -> None:
        """Record one; `AlreadyExists` if its id (the job's message id) is recorded already."""
        ...

    def get(self, job_id: str) -> DeadJob | None: ...

    def list(self, *, limit: int, include_retried: bool = False) -> list[DeadJob]:
        """The latest `limit` dead jobs, newest `failed_at` first (ties: greater id first);
        those already retried only when asked."""
        ...

    def mark_retried(self, job_id: str, at: datetime) -> None:
        """Record the retry; `RecordNotFound` for an unknown id."""
        ...


@frozen
class IdempotencyRecord:
    """The first request made under an idempotency key, and what it created."""

    tenant_id: str
    key: str
    fingerprint: str
    application_id: str
    created_at: datetime


class IdempotencyRepository(Protocol):
    def get(self, tenant_id: str, key: str) -> IdempotencyRecord | None: ...

    def add(self, record: IdempotencyRecord) -> None:
        """Store the key's first use; `AlreadyExists` if the tenant used the key already."""
        ...

    def purge(self, tenant_id: str, created_before: datetime, limit: int) -> int:
        """Remove up to `limit` of the tenant's keys first used before `created_before`,
        oldest first; how many went. A request repeated under a purged key is served anew."""
        ...

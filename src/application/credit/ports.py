"""Ports of the credit-decision context: where its records live and what scores them.

Every repository method names the tenant, either as an argument or inside the value it stores.
There is no "get by id" without a tenant, so no code path can read another lender's data by
guessing an id: a record of another tenant is simply not found (None, 0 or an empty list).

Repositories are reached only through a `UnitOfWork`, which makes one transaction of a use
case's writes: the application, its audit event and its outbox message are stored together or
not at all (rule 3 of DESIGN.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from attrs import frozen

from domain.audit import AuditEvent
from domain.credit.application import Application
from domain.credit.decisions import Decision
from domain.credit.queue import QueueEntry
from domain.credit.routing import RoutingPolicy
from domain.credit.scoring import ModelScore, ScoringResult

__all__ = [
    "ApplicationRepository",
    "AuditLog",
    "DecisionRepository",
    "Explainer",
    "Outbox",
    "OutboxMessage",
    "QueueRepository",
    "RoutingPolicyRepository",
    "Scorer",
    "ScoringResultRepository",
    "UnitOfWork",
]


class ApplicationRepository(Protocol):
    """Stored loan applications, one per (tenant, id) and one per (tenant, external id)."""

    def add(self, application: Application) -> None:
        """Store a new application; `AlreadyExists` if its id or external id is taken."""
        ...

    def get(self, tenant_id: str, application_id: str) -> Application | None:
        """The tenant's application with this id, or None."""
        ...

    def update(self, application: Application) -> None:
        """Replace the stored application; `RecordNotFound` if the tenant has none with its id."""
        ...

    def get_by_external_id(self, tenant_id: str, external_id: str) -> Application | None:
        """The application the lender submitted under its own reference: how a resubmission
        finds the original instead of creating a duplicate."""
        ...


class ScoringResultRepository(Protocol):
    """Scoring results, append-only: a rescore adds a result, it never edits the evidence."""

    def add(self, result: ScoringResult) -> None:
        """Store one more result for its application."""
        ...

    def latest(self, tenant_id: str, application_id: str) -> ScoringResult | None:
        """The result with the latest `scored_at` (the last added among equals), or None."""
        ...


class QueueRepository(Protocol):
    """Entries of the analyst queue."""

    def add(self, entry: QueueEntry) -> None:
        """Store a new entry; `AlreadyExists` if its id is taken."""
        ...

    def get(self, tenant_id: str, entry_id: str) -> QueueEntry | None:
        """The tenant's entry with this id, or None."""
        ...

    def update(self, entry: QueueEntry) -> None:
        """Replace the stored entry; `RecordNotFound` if the tenant has none with its id."""
        ...

    def open_for_application(self, tenant_id: str, application_id: str) -> QueueEntry | None:
        """The entry not yet completed for this application, or None: an application is in
        the queue at most once at a time."""
        ...

    def active_count(self, tenant_id: str, analyst_id: str) -> int:
        """How many assigned or in-progress entries the analyst holds: the workload cap's input."""
        ...


class DecisionRepository(Protocol):
    """Decisions on applications, including reverted ones (they are part of the record)."""

    def add(self, decision: Decision) -> None:
        """Store a new decision; `AlreadyExists` if its id is taken."""
        ...

    def get(self, tenant_id: str, decision_id: str) -> Decision | None:
        """The tenant's decision with this id, or None."""
        ...

    def update(self, decision: Decision) -> None:
        """Replace the stored decision (an override reviewed, a condition fulfilled);
        `RecordNotFound` if the tenant has none with its id."""
        ...

    def for_application(self, tenant_id: str, application_id: str) -> list[Decision]:
        """Every decision on the application, oldest `decided_at` first: its history."""
        ...

    def awaiting_override(self, tenant_id: str) -> list[Decision]:
        """Decisions whose override waits for a second person, oldest first: the reviewers'
        worklist."""
        ...


class RoutingPolicyRepository(Protocol):
    """Versions of a tenant's routing policy and which one is in force.

    Adding a version does not activate it: a policy is reviewed before it routes anything,
    and activating an older version is how a bad change is rolled back.
    """

    def active(self, tenant_id: str) -> RoutingPolicy | None:
        """The policy in force, or None before the tenant has activated one."""
        ...

    def add(self, tenant_id: str, policy: RoutingPolicy) -> None:
        """Store a new version; `AlreadyExists` if the tenant already has that version."""
        ...

    def activate(self, tenant_id: str, version: int) -> None:
        """Put a stored version in force; `RecordNotFound` if the tenant has no such version."""
        ...


class AuditLog(Protocol):
    """The per-tenant chain of audit events (see `domain.audit`), append-only."""

    def append(self, event: AuditEvent) -> None:
        """Add `event` at the head of its tenant's chain.

        Raises `domain.audit.ChainMismatch` unless the event directly follows the current head
        (next sequence number, previous hash equal to the head's hash): a log never accepts a
        gap or a fork, whoever built the event.
        """
        ...

    def head(self, tenant_id: str) -> AuditEvent | None:
        """The tenant's newest event, from which the next one is built; None for a new tenant."""
        ...

    def events(self, tenant_id: str) -> list[AuditEvent]:
        """Every event of the tenant by sequence, as `domain.audit.verify_chain` reads them."""
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

    def pending(self, limit: int) -> list[OutboxMessage]:
        """Up to `limit` unsent messages, oldest `created_at` first (ties in the order added)."""
        ...

    def mark_sent(self, message_id: str) -> None:
        """Record that the message went out; marking again is harmless (relays retry), an
        unknown id raises `RecordNotFound`."""
        ...


class UnitOfWork(Protocol):
    """One transaction over every credit repository.

    `with uow:` begins a transaction; `commit()` makes its writes durable and visible to other
    units of work; leaving the block without committing, or by an exception, discards every
    write since the last commit, so nothing is ever half written. The repositories may be used
    only inside the block. A unit of work can be entered again for a new transaction.
    """

    @property
    def applications(self) -> ApplicationRepository: ...

    @property
    def scoring_results(self) -> ScoringResultRepository: ...

    @property
    def queue(self) -> QueueRepository: ...

    @property
    def decisions(self) -> DecisionRepository: ...

    @property
    def policies(self) -> RoutingPolicyRepository: ...

    @property
    def audit(self) -> AuditLog: ...

    @property
    def outbox(self) -> Outbox: ...

    def __enter__(self) -> Self:
        """Begin a transaction."""
        ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """End the transaction, discarding whatever was not committed; never swallows errors."""
        ...

    def commit(self) -> None:
        """Make every write so far durable; later writes start a new transaction."""
        ...

    def rollback(self) -> None:
        """Discard every write since the last commit."""
        ...


class Scorer(Protocol):
    """A credit model that turns features into a probability of default (XGBoost in production).

    Its output carries exact per-feature contributions (`ModelScore.contributions`), so a
    score can always be explained to the applicant and the examiner.
    """

    @property
    def model_version(self) -> str:
        """The version of the model that scores, recorded with every result."""
        ...

    def score(self, features: Mapping[str, float]) -> ModelScore:
        """Score one application's features."""
        ...

    def score_batch(self, rows: Sequence[Mapping[str, float]]) -> list[ModelScore]:
        """Score many at once (CSV batches, backtests), equal to scoring each row alone."""
        ...


class Explainer(Protocol):
    """Per-feature contributions of one model's output (TreeSHAP for XGBoost).

    Exact, not approximate: with the model's base value they add up to its raw log-odds of
    default, so the reasons given for a decline are the reasons the model had.
    """

    def explain(self, features: Mapping[str, float]) -> tuple[tuple[str, float], ...]:
        """(feature, contribution to log-odds of default) for each feature the model reads."""
        ...

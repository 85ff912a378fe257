"""Where the credit records live: applications, scoring results (and challengers' shadow
scores), queue entries, decisions, routing-policy versions and monitoring reports.

Every method names the tenant, either as an argument or inside the value it stores. There is no
"get by id" without a tenant, so no code path can read another lender's data by guessing an id:
a record of another tenant is simply not found (None, 0 or an empty list).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol

from application.credit.queries import (
    ApplicationQuery,
    ListedApplication,
    Page,
    PriorityBandBounds,
    QueueCounts,
    QueueQuery,
    SimilarCase,
)
from domain.credit.application import Application
from domain.credit.decisions import Decision
from domain.credit.features import Features
from domain.credit.model_monitoring import MonitoringReport
from domain.credit.policy_versions import PolicyVersion
from domain.credit.queue import QueueEntry
from domain.credit.routing import RoutingPolicy
from domain.credit.scoring import ScoringResult, ShadowScore


class ApplicationRepository(Protocol):
    """Stored loan applications, one per (tenant, id) and one per (tenant, external id)."""

    def add(self, application: Application) -> None:
        """Store a new application; `AlreadyExists` if its id or external id is taken."""
        ...

    def add_many(self, applications: Sequence[Application]) -> None:
        """`add` each, in order, as one write (a CSV batch's chunk): all or none
        (`AlreadyExists` and nothing stored if any id or external id is taken, by a stored
        application or an earlier one of `applications`)."""
        ...

    def get(self, tenant_id: str, application_id: str) -> Application | None:
        """The tenant's application with this id, or None."""
        ...

    def get_many(self, tenant_id: str, application_ids: Collection[str]) -> dict[str, Application]:
        """The tenant's applications among these ids, by id (one read however many); an id
        the tenant has none under is left out."""
        ...

    def update(self, application: Application) -> None:
        """Replace the stored application; `RecordNotFound` if the tenant has none with its id."""
        ...

    def update_many(self, applications: Sequence[Application]) -> None:
        """`update` each, in order, as one write: all or none (`RecordNotFound` and nothing
        replaced if any is missing)."""
        ...

    def search(self, tenant_id: str, query: ApplicationQuery) -> Page[ListedApplication]:
        """One page of the tenant's applications with their latest score.

        Filters: any of `statuses` (all when empty); created in [created_from, created_to);
        `search` matches the external id or the applicant's first or last name by prefix,
        ignoring case. Sorted by `sort` then id, in `order`; an unscored application sorts last
        by score either way. With a `cursor`, the page starts after it (and `page` is ignored);
        `next_cursor` is set when more rows follow. `total` counts every match.
        """
        ...

    def get_by_external_id(self, tenant_id: str, external_id: str) -> Application | None:
        """The application the lender submitted under its own reference: how a resubmission
        finds the original instead of creating a duplicate."""
        ...

    def ids_by_external_id(self, tenant_id: str, external_ids: Collection[str]) -> dict[str, str]:
        """External id -> application id, for those of `external_ids` the tenant already uses
        (one read however many): how a CSV batch finds rows that would reuse a reference."""
        ...


class ScoringResultRepository(Protocol):
    """Scoring results, append-only: a rescore adds a result, it never edits the evidence."""

    def add(self, result: ScoringResult) -> None:
        """Store one more result for its application."""
        ...

    def add_many(self, results: Sequence[ScoringResult]) -> None:
        """`add` each, in order, as one write."""
        ...

    def latest(self, tenant_id: str, application_id: str) -> ScoringResult | None:
        """The result with the latest `scored_at` (the last added among equals), or None."""
        ...

    def for_model(
        self, tenant_id: str, application_id: str, model_version: str
    ) -> ScoringResult | None:
        """The result this model version gave the application: scoring is idempotent per pair."""
        ...

    def for_model_many(
        self, tenant_id: str, application_ids: Collection[str], model_version: str
    ) -> dict[str, ScoringResult]:
        """`for_model` of each application, by application id, in one read; an application
        this version never scored is left out."""
        ...

    def similar(
        self, tenant_id: str, features: Features, *, exclude_application_id: str, limit: int
    ) -> list[SimilarCase]:
        """Decided applications (approved or declined) nearest to `features`, nearest first.

        Distance is Euclidean over debt-to-income, payment-to-income, loan-to-income, savings
        ratio, existing-debt ratio and employment stability / 10, each from the application's
        latest result; ties go to the smaller application id.
        """
        ...


class ShadowScoreRepository(Protocol):
    """Challengers' scores, append-only; one per (tenant, application, model version)."""

    def add(self, shadow: ShadowScore) -> None:
        """Store one; `AlreadyExists` if that version already scored that application."""
        ...

    def add_many(self, shadows: Sequence[ShadowScore]) -> None:
        """`add` each, in order, as one write: all or none (`AlreadyExists` and nothing stored
        if any is taken, by a stored score or an earlier one of `shadows`)."""
        ...

    def for_application(self, tenant_id: str, application_id: str) -> list[ShadowScore]:
        """Every challenger's score of the application, oldest first (ties: by version)."""
        ...

    def for_model(self, tenant_id: str, model_version: str, *, limit: int) -> list[ShadowScore]:
        """The version's latest `limit` shadow scores, newest first (ties: by application id)."""
        ...


class MonitoringReportRepository(Protocol):
    """Stored monitoring runs, for the dashboard and the record."""

    def add(self, report: MonitoringReport) -> None:
        """Store one; `AlreadyExists` if the tenant has a report with that id."""
        ...

    def get(self, tenant_id: str, report_id: str) -> MonitoringReport | None: ...

    def recent(self, tenant_id: str, *, limit: int) -> list[MonitoringReport]:
        """The latest `limit` reports, newest `created_at` first (ties: greater id first)."""
        ...


class QueueRepository(Protocol):
    """Entries of the analyst queue."""

    def add(self, entry: QueueEntry) -> None:
        """Store a new entry; `AlreadyExists` if its id is taken."""
        ...

    def add_many(self, entries: Sequence[QueueEntry]) -> None:
        """`add` each, in order, as one write: all or none (`AlreadyExists` and nothing stored
        if any id is taken, or an application would have two open entries)."""
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

    def latest_for_application(self, tenant_id: str, application_id: str) -> QueueEntry | None:
        """The application's most recent entry, open or completed (the latest `entered_at`,
        then the highest id): where a rejected override finds the case to reopen."""
        ...

    def active_count(self, tenant_id: str, analyst_id: str) -> int:
        """How many assigned or in-progress entries the analyst holds: the workload cap's input."""
        ...

    def lock(self, tenant_id: str, entry_id: str) -> QueueEntry | None:
        """Like `get`, but holds the entry until the unit of work ends.

        Two analysts taking the same case at once: the second waits for the first to commit,
        then reads the entry as the first left it (assigned), and the domain refuses it.
        """
        ...

    def search(self, tenant_id: str, query: QueueQuery) -> Page[QueueEntry]:
        """One page of the tenant's open entries (completed ones too if asked), filtered by
        status, analyst and priority (at most `max_priority`), sorted by `sort` then id."""
        ...

    def counts(
        self,
        tenant_id: str,
        *,
        now: datetime,
        approaching_before: datetime,
        bands: PriorityBandBounds,
    ) -> QueueCounts:
        """Open entries by status; breached (deadline at or before `now`); approaching
        (deadline after `now` but before `approaching_before`); and by priority band."""
        ...

    def sla_due(
        self, tenant_id: str, *, now: datetime, warn_before: datetime, limit: int
    ) -> list[QueueEntry]:
        """Open entries with an SLA step to take: not yet marked breached, and either past
        their deadline (at or before `now`) or not yet warned with a deadline before
        `warn_before`. At most `limit`, earliest deadline first (ties: by id)."""
        ...

    def pending_due(self, tenant_id: str, *, before: datetime, limit: int) -> list[QueueEntry]:
        """Pending entries whose deadline is at or before `before`, earliest first (ties: by
        id), at most `limit`: the cases auto-assignment considers."""
        ...

    def active_counts(self, tenant_id: str) -> dict[str, int]:
        """Each analyst holding active (assigned or in-progress) entries -> how many."""
        ...


class DecisionRepository(Protocol):
    """Decisions on applications, including reverted ones (they are part of the record)."""

    def add(self, decision: Decision) -> None:
        """Store a new decision; `AlreadyExists` if its id is taken, or if it is final and the
        application already has a final decision (there is one final word per application; a
        rejected override is `reverted`, not final)."""
        ...

    def add_many(self, decisions: Sequence[Decision]) -> None:
        """`add` each, in order, as one write: all or none (`AlreadyExists` and nothing stored
        if any of them would be refused alone, or two of them clash)."""
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
    """Versions of a tenant's routing policy, their review, and which one is in force.

    Adding a version does not put it in force: it is reviewed first (see
    `domain.credit.policy_versions`), and activating an older approved version is how a bad
    change is rolled back.
    """

    def add(self, version: PolicyVersion) -> None:
        """Store a proposed version; `AlreadyExists` if the tenant already has that number."""
        ...

    def get(self, tenant_id: str, version: int) -> PolicyVersion | None: ...

    def update(self, version: PolicyVersion) -> None:
        """Record a review; `RecordNotFound` if the tenant has no such version."""
        ...

    def versions(self, tenant_id: str) -> list[PolicyVersion]:
        """Every version of the tenant, newest number first."""
        ...

    def active(self, tenant_id: str) -> RoutingPolicy | None:
        """The policy in force, or None before the tenant has activated one."""
        ...

    def activate(self, tenant_id: str, version: int) -> None:
        """Put a stored version in force; `RecordNotFound` if the tenant has no such version."""
        ...

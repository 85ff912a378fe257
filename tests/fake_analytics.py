"""`AnalyticsQueries` over the in-memory tables of `tests.fakes`: the same tallies, counted in
Python from the rows one transaction sees, so the contract tests can hold the SQL to them."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Protocol, TypeVar

from application.credit.ports.analytics import AnalyticsQueries
from domain.credit.analytics import (
    DayCount,
    DecisionDayCount,
    DecisionTally,
    Period,
    ScoreBins,
    ScoringTally,
    SlaTally,
)
from domain.credit.application import Application
from domain.credit.decisions import Decision, DecisionType
from domain.credit.queue import QueueEntry
from domain.credit.routing import RoutingOutcome
from domain.credit.scoring import ScoringResult

V_co = TypeVar("V_co", covariant=True)


class Rows(Protocol[V_co]):
    """What the fake reads of a staged table: its rows as the transaction sees them."""

    def values(self) -> Sequence[V_co]: ...


def _day(instant: datetime) -> date:
    return instant.astimezone(UTC).date()


def _latest(results: list[ScoringResult]) -> dict[str, ScoringResult]:
    """Each application's newest result (the last added among equal times), as the
    application's `score` and `scored_at` columns hold it."""
    latest: dict[str, ScoringResult] = {}
    for result in results:
        held = latest.get(result.application_id)
        if held is None or result.scored_at >= held.scored_at:
            latest[result.application_id] = result
    return latest


class InMemoryAnalyticsQueries:
    def __init__(
        self,
        applications: Rows[Application],
        results: Rows[ScoringResult],
        queue: Rows[QueueEntry],
        decisions: Rows[Decision],
    ) -> None:
        self._applications = applications
        self._results = results
        self._queue = queue
        self._decisions = decisions

    def _submitted(self, tenant_id: str, period: Period) -> list[Application]:
        return [
            application
            for application in self._applications.values()
            if application.tenant_id == tenant_id and period.contains(application.submitted_at)
        ]

    def _final(self, tenant_id: str, period: Period) -> list[Decision]:
        return [
            decision
            for decision in self._decisions.values()
            if decision.tenant_id == tenant_id
            and decision.is_final
            and period.contains(decision.decided_at)
        ]

    def applications_submitted(self, tenant_id: str, period: Period) -> int:
        return len(self._submitted(tenant_id, period))

    def applications_by_day(self, tenant_id: str, period: Period) -> list[DayCount]:
        counts = Counter(_day(found.submitted_at) for found in self._submitted(tenant_id, period))
        return [DayCount(day, count) for day, count in sorted(counts.items())]

    def decision_tallies(self, tenant_id: str, period: Period) -> list[DecisionTally]:
        groups: dict[tuple[str, DecisionType, RoutingOutcome], list[Decision]] = defaultdict(list)
        for decision in self._final(tenant_id, period):
            key = (decision.decided_by, decision.decision_type, decision.model_outcome)
            groups[key].append(decision)
        return [
            DecisionTally(
                decided_by=found[0].decided_by,
                decision_type=found[0].decision_type,
                model_outcome=found[0].model_outcome,
                decisions=len(found),
                review_seconds_total=sum(d.review_seconds or 0 for d in found),
                reviewed=sum(1 for d in found if d.review_seconds is not None),
            )
            for _key, found in sorted(groups.items())
        ]

    def decisions_by_day(self, tenant_id: str, period: Period) -> list[DecisionDayCount]:
        counts = Counter(
            (_day(decision.decided_at), decision.decision_type)
            for decision in self._final(tenant_id, period)
        )
        return [DecisionDayCount(day, kind, count) for (day, kind), count in sorted(counts.items())]

    def score_counts(self, tenant_id: str, period: Period, bins: ScoreBins) -> Sequence[int]:
        mine = [result for result in self._results.values() if result.tenant_id == tenant_id]
        counts = [0] * bins.count
        for result in _latest(mine).values():
            if period.contains(result.scored_at):
                counts[bins.index(result.model.score)] += 1
        return counts

    def scoring_tallies(self, tenant_id: str, period: Period) -> list[ScoringTally]:
        groups: dict[tuple[date, str, RoutingOutcome], list[float]] = defaultdict(list)
        for result in self._results.values():
            if result.tenant_id == tenant_id and period.contains(result.scored_at):
                key = (_day(result.scored_at), result.model.model_version, result.routing.outcome)
                groups[key].append(result.model.score)
        return [
            ScoringTally(day, version, outcome, len(scores), sum(scores))
            for (day, version, outcome), scores in sorted(groups.items())
        ]

    def sla_tally(self, tenant_id: str, period: Period, now: datetime) -> SlaTally:
        mine = [entry for entry in self._queue.values() if entry.tenant_id == tenant_id]
        due = [entry for entry in mine if period.contains(entry.sla_deadline)]

        def met(entry: QueueEntry) -> bool:
            done = entry.completed_at
            return not entry.is_open and done is not None and done <= entry.sla_deadline

        def missed(entry: QueueEntry) -> bool:
            if entry.is_open:
                return entry.sla_deadline <= now
            return entry.completed_at is not None and entry.completed_at > entry.sla_deadline

        return SlaTally(
            entered=sum(1 for entry in mine if period.contains(entry.entered_at)),
            due=len(due),
            met=sum(1 for entry in due if met(entry)),
            missed=sum(1 for entry in due if missed(entry)),
        )


def _conforms(queries: InMemoryAnalyticsQueries) -> AnalyticsQueries:
    """mypy checks here that the fake satisfies its port."""
    return queries

"""`AnalyticsQueries` in SQL: every figure is an aggregate the database computes.

Each query filters by the tenant and a range of an instant column (`submitted_at`, `scored_at`,
`decided_at`, `entered_at`, `sla_deadline`), then groups; only the groups travel. The ranges of
`submitted_at` and `sla_deadline` are index range scans (indexes that start with the tenant);
decisions and scores are read through the tenant's rows, which an index on (tenant, decided_at)
and (tenant, scored_at) would narrow to the period.
What differs between the two databases is confined to two expressions: the UTC day of an
instant (PostgreSQL truncates the timestamptz in UTC; SQLite stores UTC text, whose `date()` is
the day) and the instant a JSON field holds (a cast on PostgreSQL, `julianday` on SQLite).
Grouped expressions are labelled in a subquery and grouped outside it, because PostgreSQL binds
each occurrence of a parameter (a JSON key, a bin edge) separately and would not see that the
selected expression is the grouped one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    Integer,
    and_,
    case,
    cast,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.sql.elements import ColumnElement

from adapters.sql.schema.credit import applications, decisions, queue_entries, scoring_results
from adapters.sql.transaction import Transaction
from domain.credit.analytics import (
    DayCount,
    DecisionDayCount,
    DecisionTally,
    Period,
    ScoreBins,
    ScoringTally,
    SlaTally,
)
from domain.credit.decisions import DecisionStatus, DecisionType
from domain.credit.queue import QueueStatus
from domain.credit.routing import RoutingOutcome

_FINAL = DecisionStatus.FINAL.value
_COMPLETED = QueueStatus.COMPLETED.value
_d = decisions.c
_q = queue_entries.c


def _as_date(value: date | str) -> date:
    """SQLite answers a day as text, PostgreSQL as a date."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _rows(result: Iterable[Any]) -> list[tuple[Any, ...]]:
    """Each row as a plain tuple (the rows of `Transaction.execute` are untyped)."""
    return [tuple(row) for row in result]


def _within(column: Any, period: Period) -> ColumnElement[bool]:
    return and_(column >= period.start, column < period.end)


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


class SqlAnalyticsQueries:
    def __init__(self, db: Transaction) -> None:
        self._db = db

    def _day(self, column: Any) -> ColumnElement[Any]:
        if self._db.is_postgresql:
            return cast(func.timezone(literal_column("'UTC'"), column), Date)
        return func.date(column)

    def _instant(self, json_field: ColumnElement[str]) -> ColumnElement[Any]:
        """An ISO 8601 instant held in a JSON document, comparable with an instant column
        through `_comparable`."""
        if self._db.is_postgresql:
            return cast(json_field, DateTime(timezone=True))
        return func.julianday(json_field)

    def _comparable(self, column: Any) -> ColumnElement[Any]:
        return column if self._db.is_postgresql else func.julianday(column)

    def applications_submitted(self, tenant_id: str, period: Period) -> int:
        c = applications.c
        found = self._db.execute(
            select(func.count()).where(c.tenant_id == tenant_id, _within(c.submitted_at, period))
        ).scalar_one()
        return int(found)

    def applications_by_day(self, tenant_id: str, period: Period) -> list[DayCount]:
        c = applications.c
        days = (
            select(self._day(c.submitted_at).label("day"))
            .where(c.tenant_id == tenant_id, _within(c.submitted_at, period))
            .subquery()
        )
        rows = self._db.execute(
            select(days.c.day, func.count()).group_by(days.c.day).order_by(days.c.day)
        )
        return [DayCount(_as_date(day), int(count)) for day, count in _rows(rows)]

    def _final_decisions(self, tenant_id: str, period: Period) -> ColumnElement[bool]:
        return and_(_d.tenant_id == tenant_id, _d.status == _FINAL, _within(_d.decided_at, period))

    def decision_tallies(self, tenant_id: str, period: Period) -> list[DecisionTally]:
        inner = (
            select(
                _d.decided_by,
                _d.decision_type,
                _d.record["model_outcome"].as_string().label("model_outcome"),
                _d.record["review_seconds"].as_integer().label("review_seconds"),
            )
            .where(self._final_decisions(tenant_id, period))
            .subquery()
        )
        keys = (inner.c.decided_by, inner.c.decision_type, inner.c.model_outcome)
        rows = self._db.execute(
            select(
                *keys,
                func.count(),
                func.coalesce(func.sum(inner.c.review_seconds), 0),
                func.count(inner.c.review_seconds),
            )
            .group_by(*keys)
            .order_by(*keys)
        )
        return [
            DecisionTally(
                decided_by=who,
                decision_type=DecisionType(kind),
                model_outcome=RoutingOutcome(outcome),
                decisions=int(count),
                review_seconds_total=int(seconds),
                reviewed=int(reviewed),
            )
            for who, kind, outcome, count, seconds, reviewed in _rows(rows)
        ]

    def decisions_by_day(self, tenant_id: str, period: Period) -> list[DecisionDayCount]:
        inner = (
            select(self._day(_d.decided_at).label("day"), _d.decision_type)
            .where(self._final_decisions(tenant_id, period))
            .subquery()
        )
        keys = (inner.c.day, inner.c.decision_type)
        rows = self._db.execute(select(*keys, func.count()).group_by(*keys).order_by(*keys))
        return [
            DecisionDayCount(_as_date(day), DecisionType(kind), int(count))
            for day, kind, count in _rows(rows)
        ]

    def score_counts(self, tenant_id: str, period: Period, bins: ScoreBins) -> Sequence[int]:
        c = applications.c
        inner_edges = bins.inner_edges()
        index: ColumnElement[int] = (
            case(
                *((c.score < edge, position) for position, edge in enumerate(inner_edges)),
                else_=len(inner_edges),
            )
            if inner_edges
            else literal_column("0", Integer)
        )
        placed = (
            select(index.label("bin"))
            .where(
                c.tenant_id == tenant_id,
                c.score.is_not(None),
                _within(c.scored_at, period),
            )
            .subquery()
        )
        rows = self._db.execute(select(placed.c.bin, func.count()).group_by(placed.c.bin))
        counts = [0] * bins.count
        for position, count in _rows(rows):
            counts[int(position)] = int(count)
        return counts

    def scoring_tallies(self, tenant_id: str, period: Period) -> list[ScoringTally]:
        c = scoring_results.c
        inner = (
            select(
                self._day(c.scored_at).label("day"),
                c.model_version,
                c.routing_outcome,
                c.score,
            )
            .where(c.tenant_id == tenant_id, _within(c.scored_at, period))
            .subquery()
        )
        keys = (inner.c.day, inner.c.model_version, inner.c.routing_outcome)
        rows = self._db.execute(
            select(*keys, func.count(), func.sum(inner.c.score)).group_by(*keys).order_by(*keys)
        )
        return [
            ScoringTally(_as_date(day), version, RoutingOutcome(outcome), int(count), float(total))
            for day, version, outcome, count, total in _rows(rows)
        ]

    def sla_tally(self, tenant_id: str, period: Period, now: datetime) -> SlaTally:
        completed_at = self._instant(_q.record["completed_at"].as_string())
        deadline = self._comparable(_q.sla_deadline)
        completed = _q.status == _COMPLETED
        settled = select(
            func.count(),
            _count_if(and_(completed, completed_at <= deadline)),
            _count_if(
                or_(
                    and_(completed, completed_at > deadline),
                    and_(~completed, _q.sla_deadline <= now),
                )
            ),
        ).where(_q.tenant_id == tenant_id, _within(_q.sla_deadline, period))
        total, met, missed = tuple(self._db.execute(settled).one())
        entered = self._db.execute(
            select(func.count()).where(_q.tenant_id == tenant_id, _within(_q.entered_at, period))
        ).scalar_one()
        return SlaTally(entered=int(entered), due=int(total), met=int(met), missed=int(missed))

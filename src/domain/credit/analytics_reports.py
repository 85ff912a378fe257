"""The analytics reports, computed from the tallies of `domain.credit.analytics`.

Definitions, as a regulator reads them (every count is over decisions that stand, i.e. final,
dated in the period):

- Automatic decision: made by routing alone (auto_approve, auto_decline); every other decision
  is a human one.
- Approval: auto_approve, analyst_approve or analyst_approve_with_conditions.
- Low-side override: the score alone recommended decline (at or below the auto-decline
  threshold) and the person approved. High-side override: the score recommended approval (at or
  above the auto-approve threshold) and the person declined. A case the score sent to review
  can be neither.
- Override rates are over that analyst's human decisions (over every human decision of the
  tenant for the totals). Review time is from the case's start to its decision, averaged over
  the human decisions that recorded a start.
- Any rate or average whose denominator is zero is None.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from attrs import frozen

from domain.credit.analytics import (
    DayCount,
    DecisionDayCount,
    DecisionTally,
    Granularity,
    Period,
    ScoreBins,
    ScoringTally,
    bucket_start,
    bucket_starts,
    mean,
    rate,
)
from domain.credit.decisions import DecisionType
from domain.credit.routing import RoutingOutcome


def is_low_side_override(tally: DecisionTally) -> bool:
    return (
        not tally.decision_type.is_automatic
        and tally.model_outcome is RoutingOutcome.AUTO_DECLINE
        and tally.decision_type.approves
    )


def is_high_side_override(tally: DecisionTally) -> bool:
    return (
        not tally.decision_type.is_automatic
        and tally.model_outcome is RoutingOutcome.AUTO_APPROVE
        and not tally.decision_type.approves
    )


@frozen
class DecisionTotals:
    """The sums of a set of tallies, and the rates the definitions above draw from them."""

    decisions: int = 0
    automatic: int = 0
    approvals: int = 0
    human: int = 0
    human_approvals: int = 0
    low_side_overrides: int = 0
    high_side_overrides: int = 0
    review_seconds_total: int = 0
    reviewed: int = 0

    @property
    def auto_decision_rate(self) -> float | None:
        return rate(self.automatic, self.decisions)

    @property
    def approval_rate(self) -> float | None:
        return rate(self.approvals, self.decisions)

    @property
    def human_approval_rate(self) -> float | None:
        return rate(self.human_approvals, self.human)

    @property
    def low_side_override_rate(self) -> float | None:
        return rate(self.low_side_overrides, self.human)

    @property
    def high_side_override_rate(self) -> float | None:
        return rate(self.high_side_overrides, self.human)

    @property
    def override_rate(self) -> float | None:
        return rate(self.low_side_overrides + self.high_side_overrides, self.human)

    @property
    def average_review_seconds(self) -> float | None:
        return mean(self.review_seconds_total, self.reviewed)


def decision_totals(tallies: Iterable[DecisionTally]) -> DecisionTotals:
    sums = defaultdict[str, int](int)
    for tally in tallies:
        human = not tally.decision_type.is_automatic
        approves = tally.decision_type.approves
        sums["decisions"] += tally.decisions
        sums["automatic"] += 0 if human else tally.decisions
        sums["approvals"] += tally.decisions if approves else 0
        sums["human"] += tally.decisions if human else 0
        sums["human_approvals"] += tally.decisions if human and approves else 0
        sums["low_side_overrides"] += tally.decisions if is_low_side_override(tally) else 0
        sums["high_side_overrides"] += tally.decisions if is_high_side_override(tally) else 0
        sums["review_seconds_total"] += tally.review_seconds_total if human else 0
        sums["reviewed"] += tally.reviewed if human else 0
    return DecisionTotals(**sums)


@frozen
class TypeCount:
    decision_type: DecisionType
    count: int
    share: float | None


@frozen
class DecisionBreakdown:
    """Every decision type (zero included), with its share of all decisions."""

    total: int
    by_type: tuple[TypeCount, ...]


def decision_breakdown(tallies: Iterable[DecisionTally]) -> DecisionBreakdown:
    counts = dict.fromkeys(DecisionType, 0)
    for tally in tallies:
        counts[tally.decision_type] += tally.decisions
    total = sum(counts.values())
    return DecisionBreakdown(
        total, tuple(TypeCount(kind, count, rate(count, total)) for kind, count in counts.items())
    )


@frozen
class AnalystPerformance:
    """One person's human decisions (`analyst_id` None: every analyst of the tenant)."""

    analyst_id: str | None
    decisions: int
    approvals: int
    approval_rate: float | None
    average_review_seconds: float | None
    low_side_overrides: int
    high_side_overrides: int
    low_side_override_rate: float | None
    high_side_override_rate: float | None
    override_rate: float | None


def _performance(analyst_id: str | None, totals: DecisionTotals) -> AnalystPerformance:
    return AnalystPerformance(
        analyst_id=analyst_id,
        decisions=totals.human,
        approvals=totals.human_approvals,
        approval_rate=totals.human_approval_rate,
        average_review_seconds=totals.average_review_seconds,
        low_side_overrides=totals.low_side_overrides,
        high_side_overrides=totals.high_side_overrides,
        low_side_override_rate=totals.low_side_override_rate,
        high_side_override_rate=totals.high_side_override_rate,
        override_rate=totals.override_rate,
    )


@frozen
class AnalystReport:
    analysts: tuple[AnalystPerformance, ...]
    all_analysts: AnalystPerformance


def analyst_report(tallies: Iterable[DecisionTally]) -> AnalystReport:
    """Per analyst, most decisions first (then by id, so the order is stable)."""
    human = [tally for tally in tallies if not tally.decision_type.is_automatic]
    by_analyst: dict[str, list[DecisionTally]] = defaultdict(list)
    for tally in human:
        by_analyst[tally.decided_by].append(tally)
    rows = [_performance(who, decision_totals(found)) for who, found in by_analyst.items()]
    rows.sort(key=lambda row: (-row.decisions, row.analyst_id or ""))
    return AnalystReport(tuple(rows), _performance(None, decision_totals(human)))


@frozen
class TrendPoint:
    """One bucket of a trend, named by its first day."""

    bucket_start: date
    applications: int
    decisions: int
    automatic_decisions: int
    approvals: int


def trend(
    period: Period,
    granularity: Granularity,
    applications: Iterable[DayCount],
    decisions: Iterable[DecisionDayCount],
) -> tuple[TrendPoint, ...]:
    """Daily counts rolled up into buckets; every bucket of the period appears, quiet or not."""
    sums = {start: defaultdict[str, int](int) for start in bucket_starts(period, granularity)}
    for day_count in applications:
        sums[bucket_start(day_count.day, granularity)]["applications"] += day_count.count
    for counted in decisions:
        bucket = sums[bucket_start(counted.day, granularity)]
        bucket["decisions"] += counted.count
        bucket["automatic_decisions"] += counted.count if counted.decision_type.is_automatic else 0
        bucket["approvals"] += counted.count if counted.decision_type.approves else 0
    fields = ("applications", "decisions", "automatic_decisions", "approvals")
    return tuple(
        TrendPoint(start, *(found[name] for name in fields)) for start, found in sums.items()
    )


@frozen
class ScoreBucket:
    """Scores `lower <= s < upper`; the first and last buckets also take any score beyond."""

    lower: float
    upper: float
    count: int


@frozen
class ScoreDistribution:
    scored: int
    buckets: tuple[ScoreBucket, ...]


def score_distribution(bins: ScoreBins, counts: Iterable[int]) -> ScoreDistribution:
    """`counts[i]` is the number of scores in bin `i` (as `ScoreBins.index` places them)."""
    found = list(counts)
    if len(found) != bins.count:
        raise ValueError(f"expected {bins.count} bin counts, got {len(found)}")
    edges = bins.edges()
    buckets = tuple(ScoreBucket(edges[i], edges[i + 1], found[i]) for i in range(bins.count))
    return ScoreDistribution(sum(found), buckets)


@frozen
class ModelDay:
    """One model version's scores on one UTC day, and where routing sent them."""

    day: date
    model_version: str
    scores: int
    average_score: float | None
    auto_approve: int
    human_review: int
    auto_decline: int


def model_days(tallies: Iterable[ScoringTally]) -> tuple[ModelDay, ...]:
    """By day, then model version."""
    grouped: dict[tuple[date, str], list[ScoringTally]] = defaultdict(list)
    for tally in tallies:
        grouped[(tally.day, tally.model_version)].append(tally)

    def routed(found: list[ScoringTally], outcome: RoutingOutcome) -> int:
        return sum(tally.scores for tally in found if tally.routing_outcome is outcome)

    rows = []
    for (day, version), found in sorted(grouped.items()):
        scores = sum(tally.scores for tally in found)
        total = sum(tally.score_total for tally in found)
        rows.append(
            ModelDay(
                day=day,
                model_version=version,
                scores=scores,
                average_score=mean(total, scores),
                auto_approve=routed(found, RoutingOutcome.AUTO_APPROVE),
                human_review=routed(found, RoutingOutcome.HUMAN_REVIEW),
                auto_decline=routed(found, RoutingOutcome.AUTO_DECLINE),
            )
        )
    return tuple(rows)

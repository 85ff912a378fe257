"""The analytics read port: tallies of one tenant over one period, counted where the rows are.

Every method returns a handful of numbers per day, per kind or per person, never the rows
themselves, so a SQL store answers with GROUP BY however many applications it holds. Another
tenant's rows are never counted. Days are UTC days; decisions count only when they stand
(status final), dated by `decided_at`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from domain.credit.analytics import (
    DayCount,
    DecisionDayCount,
    DecisionTally,
    Period,
    ScoreBins,
    ScoringTally,
    SlaTally,
)


class AnalyticsQueries(Protocol):
    def applications_submitted(self, tenant_id: str, period: Period) -> int:
        """Applications whose `submitted_at` falls in the period."""
        ...

    def applications_by_day(self, tenant_id: str, period: Period) -> list[DayCount]:
        """Applications submitted in the period per UTC day (days without one left out)."""
        ...

    def decision_tallies(self, tenant_id: str, period: Period) -> list[DecisionTally]:
        """Final decisions of the period by person, type and the score's recommendation, with
        the sum and count of their recorded review times."""
        ...

    def decisions_by_day(self, tenant_id: str, period: Period) -> list[DecisionDayCount]:
        """Final decisions of the period per UTC day and type (zero counts left out)."""
        ...

    def score_counts(self, tenant_id: str, period: Period, bins: ScoreBins) -> Sequence[int]:
        """Applications whose latest score was given in the period, per bin of `bins`
        (`ScoreBins.index` places a score): exactly `bins.count` numbers."""
        ...

    def scoring_tallies(self, tenant_id: str, period: Period) -> list[ScoringTally]:
        """Every score given in the period (re-scores included) per UTC day, model version and
        routing outcome, with the sum of the scores."""
        ...

    def sla_tally(self, tenant_id: str, period: Period, now: datetime) -> SlaTally:
        """Queue cases that entered in the period, and those whose SLA deadline fell in it: met
        (completed by the deadline) or missed (completed after it, or open past it at `now`)."""
        ...

"""Drawn books against every store: the decision tallies are exactly the final decisions of the
period grouped by person, type and recommendation, with their review times, and the daily counts
add up to the same total, on the fake, SQLite and PostgreSQL alike."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

from attrs import evolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from application.credit.ports import UnitOfWork
from domain.credit.analytics_reports import decision_breakdown
from domain.credit.decisions import DecisionStatus, DecisionType
from domain.credit.routing import RoutingOutcome
from tests.analytics_data import PERIOD
from tests.builders import a_decision, a_tenant, an_application

#: (type, recommendation, status, person, review seconds, seconds after the period's start).
Drawn = tuple[DecisionType, RoutingOutcome, DecisionStatus, str, int | None, int]
_SPAN = int(PERIOD.length.total_seconds())
decisions = st.lists(
    st.tuples(
        st.sampled_from(DecisionType),
        st.sampled_from(RoutingOutcome),
        st.sampled_from(DecisionStatus),
        st.sampled_from(["user-a", "user-b"]),
        st.none() | st.integers(0, 7_200),
        st.integers(-2 * 86_400, _SPAN + 2 * 86_400),
    ),
    max_size=12,
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(drawn=decisions)
def test_tallies_group_exactly_the_final_decisions_of_the_period(
    new_uow: Callable[[], UnitOfWork], drawn: list[Drawn]
) -> None:
    tenant = f"tenant-{uuid.uuid4().hex[:12]}"  # a fresh tenant is an empty store
    stored = [
        evolve(
            a_decision(
                id=f"d-{n}",
                tenant_id=tenant,
                application_id=f"app-{n}",
                decision_type=kind,
                status=status,
                decided_by="system" if kind.is_automatic else person,
                decided_at=PERIOD.start + timedelta(seconds=offset),
            ),
            model_outcome=outcome,
            review_seconds=review,
        )
        for n, (kind, outcome, status, person, review, offset) in enumerate(drawn)
    ]
    uow = new_uow()
    with uow:
        uow.tenants.add(a_tenant(id=tenant, slug=tenant))
        for decision in stored:
            uow.applications.add(an_application(id=decision.application_id, tenant_id=tenant))
            uow.decisions.add(decision)
        uow.commit()
    with uow:
        tallies = uow.analytics.decision_tallies(tenant, PERIOD)
        by_day = uow.analytics.decisions_by_day(tenant, PERIOD)
    counted = [d for d in stored if d.is_final and PERIOD.contains(d.decided_at)]
    groups = Counter((d.decided_by, d.decision_type, d.model_outcome) for d in counted)
    found = {(t.decided_by, t.decision_type, t.model_outcome): t.decisions for t in tallies}
    assert found == dict(groups)
    assert sum(t.review_seconds_total for t in tallies) == sum(
        d.review_seconds or 0 for d in counted
    )
    assert sum(t.reviewed for t in tallies) == sum(d.review_seconds is not None for d in counted)
    assert decision_breakdown(tallies).total == len(counted) == sum(c.count for c in by_day)
    assert all(PERIOD.first_day <= c.day <= PERIOD.last_day for c in by_day)

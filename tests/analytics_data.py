"""A small book of one tenant's records with known analytics, and the other tenant's decoys.

The period is the ISO week Monday 2 to Sunday 8 November 2026 (`PERIOD`); the previous period
is the week before. Every expected figure below is counted by hand from the records, which
sit on and just beyond the period's edges on purpose. The other tenant's records fall in the
same period, so a report that counted them would be off.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from attrs import evolve

from application.credit.ports import UnitOfWork
from domain.credit.analytics import Period
from domain.credit.decisions import Decision, DecisionStatus, DecisionType
from domain.credit.queue import QueueEntry, QueueStatus
from domain.credit.routing import RoutingOutcome
from domain.credit.scoring import ScoringResult
from tests.builders import (
    OTHER_TENANT,
    TENANT,
    a_decision,
    a_model_score,
    a_queue_entry,
    a_scoring_result,
    an_application,
)
from tests.contracts.parents import with_tenants

PERIOD = Period.of_days(date(2026, 11, 2), date(2026, 11, 8))
#: The moment the SLA figures are taken at: Sunday noon, inside the period.
SLA_NOW = datetime(2026, 11, 8, 12, 0, tzinfo=UTC)
T = DecisionType
R = RoutingOutcome


def at(day: int, hour: int = 12, minute: int = 0, second: int = 0) -> datetime:
    """An instant in November 2026, UTC."""
    return datetime(2026, 11, day, hour, minute, second, tzinfo=UTC)


def at_10_31(hour: int) -> datetime:
    return datetime(2026, 10, 31, hour, tzinfo=UTC)


#: Applications by submission: four in the period (2 on the 2nd, the 4th, the 8th), one the
#: day after, one the day before (the previous period).
SUBMITTED = {
    "a-1": at(2, 10),
    "a-2": at(2, 23, 59, 59),
    "a-3": at(4, 0),
    "a-4": at(8, 12),
    "a-5": at(9, 0),
    "a-6": at(1, 23),
}


def _decision(
    number: int,
    kind: DecisionType,
    by: str,
    outcome: RoutingOutcome,
    when: datetime,
    review: int | None = None,
    status: DecisionStatus = DecisionStatus.FINAL,
    tenant_id: str = TENANT,
) -> Decision:
    built = a_decision(
        id=f"d-{number}",
        tenant_id=tenant_id,
        application_id=f"d-app-{number}",
        decision_type=kind,
        status=status,
        decided_by=by,
        decided_at=when,
    )
    return evolve(built, model_outcome=outcome, review_seconds=review)


DECISIONS = [
    _decision(1, T.AUTO_APPROVE, "system", R.AUTO_APPROVE, at(2)),
    _decision(2, T.AUTO_DECLINE, "system", R.AUTO_DECLINE, at(3)),
    _decision(3, T.ANALYST_APPROVE, "user-ana", R.AUTO_DECLINE, at(3), 600),  # low side
    _decision(4, T.ANALYST_DECLINE, "user-ana", R.AUTO_APPROVE, at(5), 300),  # high side
    _decision(5, T.ANALYST_APPROVE_WITH_CONDITIONS, "user-ana", R.HUMAN_REVIEW, at(6)),
    _decision(6, T.ANALYST_DECLINE, "user-bo", R.HUMAN_REVIEW, at(8, 23, 59, 59), 900),
    # Not standing: awaiting a second person, and sent back.
    _decision(7, T.ANALYST_APPROVE, "user-bo", R.AUTO_DECLINE, at(4), 60,
              DecisionStatus.AWAITING_OVERRIDE_APPROVAL),
    _decision(8, T.ANALYST_APPROVE, "user-bo", R.AUTO_DECLINE, at(4), 60,
              DecisionStatus.REVERTED),
    _decision(9, T.ANALYST_APPROVE, "user-bo", R.HUMAN_REVIEW, at(9, 0), 50),  # the day after
    # The previous period.
    _decision(10, T.AUTO_APPROVE, "system", R.AUTO_APPROVE, at_10_31(9)),
    _decision(11, T.ANALYST_DECLINE, "user-bo", R.HUMAN_REVIEW, at_10_31(10), 100),
]  # fmt: skip


def _scored(
    application_id: str,
    score: float,
    when: datetime,
    version: str = "m-1",
    tenant_id: str = TENANT,
) -> ScoringResult:
    model = evolve(a_model_score(model_version=version), score=score)
    return a_scoring_result(
        tenant_id=tenant_id, application_id=application_id, scored_at=when, model=model
    )


#: Routing by the default policy: 520 and below decline, 640 review, 700 and up approve.
RESULTS = [
    _scored("s-1", 299, at(2)),
    _scored("s-2", 300, at(3)),
    _scored("s-3", 349.99, at(3)),
    _scored("s-4", 350, at(4)),
    _scored("s-5", 700, at(4)),
    _scored("s-6", 900, at(4), "m-2"),
    _scored("s-7", 400, at(3)),
    _scored("s-7", 640, at(5)),  # re-scored: the histogram counts the latest only
    _scored("s-8", 500, at(9)),  # the day after
    _scored("s-9", 500, at(4)),
    _scored("s-9", 520, at(10)),  # its latest score is after the period
]


def _case(
    number: int,
    status: QueueStatus,
    entered: datetime,
    deadline: datetime,
    completed: datetime | None = None,
    tenant_id: str = TENANT,
) -> QueueEntry:
    built = a_queue_entry(
        id=f"q-{number}",
        tenant_id=tenant_id,
        application_id=f"q-app-{number}",
        status=status,
        entered_at=entered,
        deadline=deadline,
    )
    return evolve(built, completed_at=completed)


DONE, OPEN, HELD = QueueStatus.COMPLETED, QueueStatus.PENDING, QueueStatus.ASSIGNED
ONE_HOUR_EAST = timezone(timedelta(hours=1))
CASES = [
    _case(1, DONE, at(3, 4), at(3, 12), at(3, 11)),  # met
    _case(2, DONE, at(4, 4), at(4, 12), at(4, 12)),  # met, on the deadline exactly
    # missed: 14:00 at UTC+1 is 13:00 UTC, an hour late
    _case(3, DONE, at(5, 4), at(5, 12), datetime(2026, 11, 5, 14, tzinfo=ONE_HOUR_EAST)),
    _case(4, HELD, at(6, 4), at(6, 12)),  # missed: open past the deadline at SLA_NOW
    _case(5, OPEN, at(8, 10), at(8, 18)),  # pending: open, still in time at SLA_NOW
    _case(6, DONE, at(8, 20), at(9, 4), at(8, 21)),  # entered in the period, due after it
    _case(7, DONE, at(1, 20), at(2, 4), at(2, 3)),  # entered before, due and met in it
]

#: The other tenant's records: in the period, and counted by none of the reports.
DECOY_DECISION = _decision(
    12, T.ANALYST_APPROVE, "user-ana", R.AUTO_DECLINE, at(3), 999, tenant_id=OTHER_TENANT
)
DECOY_RESULT = _scored("o-s-1", 500, at(4), tenant_id=OTHER_TENANT)
DECOY_CASE = _case(8, DONE, at(4, 1), at(4, 2), at(4, 9), tenant_id=OTHER_TENANT)


def store_known_book(uow: UnitOfWork, *, add_tenants: bool = True) -> None:
    """Store every record above with the applications they name (and both tenants unless
    they are there already), and commit."""
    with uow:
        if add_tenants:
            with_tenants(uow, TENANT, OTHER_TENANT)
        records: list[Decision | ScoringResult | QueueEntry] = [
            *DECISIONS,
            *RESULTS,
            *CASES,
            DECOY_DECISION,
            DECOY_RESULT,
            DECOY_CASE,
        ]
        named = dict.fromkeys((r.tenant_id, r.application_id) for r in records)
        for tenant_id, application_id in named:
            uow.applications.add(an_application(id=application_id, tenant_id=tenant_id))
        for application_id, submitted_at in SUBMITTED.items():
            uow.applications.add(an_application(id=application_id, submitted_at=submitted_at))
        uow.applications.add(an_application(id="o-a-1", tenant_id=OTHER_TENANT, submitted_at=at(3)))
        for decision in [*DECISIONS, DECOY_DECISION]:
            uow.decisions.add(decision)
        for result in [*RESULTS, DECOY_RESULT]:
            uow.scoring_results.add(result)
        for case in [*CASES, DECOY_CASE]:
            uow.queue.add(case)
        uow.commit()

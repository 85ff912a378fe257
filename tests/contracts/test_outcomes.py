"""The contract of `OutcomeRepository`: every implementation (tests/contracts/conftest.py) passes
it, the fake and the SQL adapter on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from application.credit.ports import UnitOfWork
from application.ports import AlreadyExists, RecordNotFound
from domain.credit.history import LoanOutcome
from domain.credit.status import ApplicationStatus
from tests.builders import NOW, OTHER_TENANT, TENANT, an_application
from tests.contracts.parents import with_parents, with_tenants


def an_outcome(
    application_id: str = "app-1",
    *,
    tenant_id: str = TENANT,
    defaulted: bool = False,
    source: str = "credit_data",
    observed_at: datetime = NOW,
) -> LoanOutcome:
    return LoanOutcome(tenant_id, application_id, defaulted, observed_at, source)


def test_an_added_outcome_is_found_by_its_application(uow: UnitOfWork) -> None:
    # An offset other than UTC: the instant must come back equal, whatever the zone.
    belgrade = timezone(timedelta(hours=1))
    outcome = an_outcome(
        defaulted=True, observed_at=datetime(2026, 11, 22, 10, 30, tzinfo=belgrade)
    )
    with uow:
        with_parents(uow, application_ids=["app-1", "app-2"])
        uow.outcomes.add(outcome)
        uow.commit()

    with uow:
        found = uow.outcomes.get(TENANT, "app-1")
        assert found == outcome
        assert found is not None
        assert found.observed_at == datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
        assert uow.outcomes.get(TENANT, "app-2") is None
        assert uow.outcomes.get(TENANT, "app-3") is None


def test_another_tenant_never_sees_an_outcome(uow: UnitOfWork) -> None:
    with uow:
        with_parents(uow, application_ids=["app-1"])
        with_tenants(uow, OTHER_TENANT)
        uow.outcomes.add(an_outcome())
        uow.commit()

    with uow:
        assert uow.outcomes.get(OTHER_TENANT, "app-1") is None
        assert uow.outcomes.labelled(OTHER_TENANT) == []
        assert uow.outcomes.labelled(OTHER_TENANT, "credit_data") == []


def test_an_application_has_at_most_one_outcome(uow: UnitOfWork) -> None:
    with uow:
        with_parents(uow, application_ids=["app-1"])
        uow.outcomes.add(an_outcome(defaulted=False))
        uow.commit()

    with uow:
        with pytest.raises(AlreadyExists):
            uow.outcomes.add(an_outcome(defaulted=True, source="servicing"))
        assert uow.outcomes.get(TENANT, "app-1") == an_outcome(defaulted=False)


def test_an_outcome_needs_a_stored_application(uow: UnitOfWork) -> None:
    with uow:
        with_parents(uow)
        uow.commit()

    with uow, pytest.raises(RecordNotFound):
        uow.outcomes.add(an_outcome("app-missing"))


def test_an_outcome_not_committed_is_discarded(uow: UnitOfWork) -> None:
    with uow:
        with_parents(uow, application_ids=["app-1"])
        uow.commit()
    with uow:
        uow.outcomes.add(an_outcome())
        assert uow.outcomes.get(TENANT, "app-1") == an_outcome()

    with uow:
        assert uow.outcomes.get(TENANT, "app-1") is None
        assert uow.outcomes.labelled(TENANT) == []


def test_labelled_pairs_each_application_with_its_outcome_by_application_id(
    uow: UnitOfWork,
) -> None:
    approved = {
        app_id: an_application(id=app_id, status=ApplicationStatus.APPROVED)
        for app_id in ("app-3", "app-1", "app-2", "app-4")
    }
    outcomes = {
        "app-3": an_outcome("app-3", defaulted=True),
        "app-1": an_outcome("app-1", source="german_credit"),
        "app-2": an_outcome("app-2"),
    }
    with uow:
        with_parents(uow)
        for application in approved.values():  # app-4 has no outcome: not labelled
            uow.applications.add(application)
        for outcome in outcomes.values():
            uow.outcomes.add(outcome)
        uow.commit()

    with uow:
        assert uow.outcomes.labelled(TENANT) == [
            (approved[app_id], outcomes[app_id]) for app_id in ("app-1", "app-2", "app-3")
        ]
        assert uow.outcomes.labelled(TENANT, "credit_data") == [
            (approved["app-2"], outcomes["app-2"]),
            (approved["app-3"], outcomes["app-3"]),
        ]
        assert uow.outcomes.labelled(TENANT, "german_credit") == [
            (approved["app-1"], outcomes["app-1"])
        ]
        assert uow.outcomes.labelled(TENANT, "servicing") == []


def test_labelled_reads_the_application_as_it_is_now(uow: UnitOfWork) -> None:
    application = an_application(id="app-1", status=ApplicationStatus.PENDING)
    approved = an_application(
        id="app-1", status=ApplicationStatus.APPROVED, updated_at=NOW + timedelta(days=1)
    )
    with uow:
        with_parents(uow)
        uow.applications.add(application)
        uow.outcomes.add(an_outcome())
        uow.applications.update(approved)
        uow.commit()

    with uow:
        assert uow.outcomes.labelled(TENANT) == [(approved, an_outcome())]

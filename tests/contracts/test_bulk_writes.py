"""The contract of the bulk reads and writes of applications and scoring results: `get_many`,
`update_many`, `add_many` and `for_model_many` do what the one-by-one forms do, in one go, all
or none (tests/contracts/twins.py says how the two forms are compared)."""

from __future__ import annotations

from typing import Any

import pytest
from attrs import evolve

from application.credit.ports import UnitOfWork
from application.credit.queries import ApplicationQuery, ApplicationSort
from application.ports import RecordNotFound
from domain.credit.features import derive_features
from domain.credit.status import ApplicationStatus
from tests.builders import (
    NOW,
    OTHER_TENANT,
    TENANT,
    a_model_score,
    a_scoring_result,
    an_application,
    an_application_form,
    eur,
)
from tests.contracts.twins import APPS, LATER, added_both_ways, same_in_both, stored_in_both


def test_get_many_reads_the_tenants_applications_by_id(uow: UnitOfWork) -> None:
    stored_in_both(uow, ["app-1", "app-2"])
    with uow:
        uow.applications.add(an_application(id="app-9", tenant_id=OTHER_TENANT))
        uow.commit()

    with uow:
        found = uow.applications.get_many(TENANT, ["app-2", "app-9", "app-404", "app-1"])
        assert found == {i: uow.applications.get(TENANT, i) for i in ("app-1", "app-2")}
        assert uow.applications.get_many(TENANT, []) == {}


def test_update_many_stores_what_update_stores(uow: UnitOfWork) -> None:
    stored_in_both(uow)

    def moved(tenant_id: str) -> list[Any]:
        statuses = [
            ApplicationStatus.REVIEW,
            ApplicationStatus.APPROVED,
            ApplicationStatus.DECLINED,
        ]
        return [
            an_application(id=i, tenant_id=tenant_id, status=s, submitted_at=NOW, updated_at=LATER)
            for i, s in zip(APPS, statuses, strict=True)
        ]

    with uow:
        added_both_ways(moved, uow.applications.update, uow.applications.update_many)
        uow.commit()

    same_in_both(uow, lambda t: uow.applications.get_many(t, APPS))
    query = ApplicationQuery(statuses=frozenset({ApplicationStatus.APPROVED}))
    same_in_both(uow, lambda t: [i.application for i in uow.applications.search(t, query).items])


def test_update_many_of_one_application_twice_keeps_the_later(uow: UnitOfWork) -> None:
    stored_in_both(uow)

    def twice(tenant_id: str) -> list[Any]:
        return [
            an_application(id="app-1", tenant_id=tenant_id, status=status, updated_at=at)
            for status, at in [(ApplicationStatus.SCORING, NOW), (ApplicationStatus.REVIEW, LATER)]
        ]

    with uow:
        added_both_ways(twice, uow.applications.update, uow.applications.update_many)
        uow.commit()

    same_in_both(uow, lambda t: uow.applications.get(t, "app-1"))


def test_update_many_with_an_unknown_application_updates_none(uow: UnitOfWork) -> None:
    stored_in_both(uow, ["app-1"])
    review = an_application(id="app-1", status=ApplicationStatus.REVIEW, updated_at=LATER)
    with uow:
        with pytest.raises(RecordNotFound):
            uow.applications.update_many([review, an_application(id="app-404")])
        # Nothing of the refused write stays, and the unit of work goes on.
        assert uow.applications.get(TENANT, "app-1") == an_application(id="app-1")
        uow.applications.update_many([review])
        uow.commit()

    with uow:
        assert uow.applications.get(TENANT, "app-1") == review


def _results(tenant_id: str) -> list[Any]:
    """Results of three applications, ties and older results added later included."""

    def result(application_id: str, at: Any, pd: float, version: str = "xgb-1") -> Any:
        model = a_model_score(model_version=version, probability_of_default=pd)
        form = an_application_form(net_monthly_income=eur(3_000 + int(5_000 * pd)))
        return a_scoring_result(
            tenant_id=tenant_id, application_id=application_id, scored_at=at, model=model, form=form
        )

    return [
        result("app-1", NOW, 0.10),
        result("app-1", LATER, 0.20),
        result("app-1", NOW, 0.30),
        result("app-2", NOW, 0.05),
        result("app-2", NOW, 0.15, "xgb-2"),
        result("app-3", LATER, 0.40, "xgb-2"),
    ]


def test_add_many_results_stores_what_add_stores(uow: UnitOfWork) -> None:
    stored_in_both(uow, status=ApplicationStatus.APPROVED)
    with uow:
        added_both_ways(_results, uow.scoring_results.add, uow.scoring_results.add_many)
        uow.scoring_results.add_many([])
        uow.commit()

    same_in_both(uow, lambda t: [uow.scoring_results.latest(t, i) for i in APPS])
    same_in_both(uow, lambda t: [uow.scoring_results.for_model(t, i, "xgb-1") for i in APPS])
    by_score = ApplicationQuery(sort=ApplicationSort.SCORE)
    with uow:  # the score each application lists with is its latest result's
        scores = {
            t: [(i.application.id, i.score) for i in uow.applications.search(t, by_score).items]
            for t in (TENANT, OTHER_TENANT)
        }
        assert scores[TENANT] == scores[OTHER_TENANT]
        here = derive_features(an_application_form())
        similar = {
            t: uow.scoring_results.similar(t, here, exclude_application_id="x", limit=5)
            for t in (TENANT, OTHER_TENANT)
        }
        assert similar[TENANT] == similar[OTHER_TENANT] != []


def test_add_many_results_older_than_the_stored_one_leave_the_score_alone(
    uow: UnitOfWork,
) -> None:
    stored_in_both(uow, status=ApplicationStatus.APPROVED)
    newer, *older = _results(TENANT)[1:4]  # app-1 at LATER, then app-1 at NOW, app-2 at NOW
    with uow:
        for tenant_id in (TENANT, OTHER_TENANT):
            uow.scoring_results.add(evolve(newer, tenant_id=tenant_id))
        uow.commit()
    with uow:
        added_both_ways(
            lambda t: [evolve(r, tenant_id=t) for r in older],
            uow.scoring_results.add,
            uow.scoring_results.add_many,
        )
        uow.commit()

    by_score = ApplicationQuery(sort=ApplicationSort.SCORE)
    same_in_both(
        uow,
        lambda t: [(i.application, i.score) for i in uow.applications.search(t, by_score).items],
    )


def test_for_model_many_reads_what_for_model_reads(uow: UnitOfWork) -> None:
    stored_in_both(uow, status=ApplicationStatus.APPROVED)
    with uow:
        for result in _results(TENANT):
            uow.scoring_results.add(result)
        uow.commit()

    with uow:
        for version in ("xgb-1", "xgb-2", "xgb-3"):
            one_by_one = {i: uow.scoring_results.for_model(TENANT, i, version) for i in APPS}
            found = uow.scoring_results.for_model_many(TENANT, [*APPS, "app-404"], version)
            assert found == {i: r for i, r in one_by_one.items() if r is not None}
        assert uow.scoring_results.for_model_many(OTHER_TENANT, APPS, "xgb-1") == {}
        assert uow.scoring_results.for_model_many(TENANT, [], "xgb-1") == {}

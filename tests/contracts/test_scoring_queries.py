"""Contract of the scoring-result reads beyond `latest`: `for_model` and `similar`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from attrs import evolve

from application.credit.ports import UnitOfWork
from application.credit.queries import SimilarCase
from domain.credit.features import Features, derive_features
from domain.credit.status import ApplicationStatus
from tests.builders import (
    NOW,
    OTHER_TENANT,
    TENANT,
    a_model_score,
    a_scoring_result,
    an_application,
    an_application_form,
)
from tests.contracts.parents import with_parents, with_tenants

S = ApplicationStatus
HERE = derive_features(an_application_form())


def test_for_model_finds_the_result_of_that_model_version(uow: UnitOfWork) -> None:
    first = a_scoring_result(application_id="app-1", model=a_model_score(model_version="xgb-1"))
    second = a_scoring_result(
        application_id="app-1",
        scored_at=NOW + timedelta(hours=1),
        model=a_model_score(model_version="xgb-2", probability_of_default=0.3),
    )
    with uow:
        with_parents(uow)
        uow.applications.add(an_application(id="app-1"))
        uow.applications.add(an_application(id="app-2"))
        uow.scoring_results.add(first)
        uow.scoring_results.add(second)
        uow.commit()

    with uow:
        assert uow.scoring_results.for_model(TENANT, "app-1", "xgb-1") == first
        assert uow.scoring_results.for_model(TENANT, "app-1", "xgb-2") == second
        assert uow.scoring_results.for_model(TENANT, "app-1", "xgb-3") is None
        assert uow.scoring_results.for_model(TENANT, "app-2", "xgb-1") is None
        assert uow.scoring_results.for_model(OTHER_TENANT, "app-1", "xgb-1") is None


# id -> (status, the features of its latest result or None when unscored, probability of default)
CASES: dict[str, tuple[ApplicationStatus, Features | None, float]] = {
    "app-a": (S.APPROVED, evolve(HERE, debt_to_income=HERE.debt_to_income + 0.1), 0.04),
    "app-b": (S.DECLINED, evolve(HERE, debt_to_income=HERE.debt_to_income + 0.1), 0.30),
    "app-c": (
        S.APPROVED,
        evolve(
            HERE, savings_ratio=HERE.savings_ratio + 0.3, loan_to_income=HERE.loan_to_income + 0.4
        ),
        0.06,
    ),
    "app-d": (
        S.DECLINED,
        evolve(HERE, employment_stability=HERE.employment_stability + 10),
        0.40,
    ),
    # Outside the distance: disposable income and the payment in money.
    "app-e": (
        S.APPROVED,
        evolve(
            HERE,
            disposable_income=HERE.disposable_income + 1000,
            monthly_payment=HERE.monthly_payment + 50,
        ),
        0.08,
    ),
    "app-f": (
        S.APPROVED,
        evolve(
            HERE,
            payment_to_income=HERE.payment_to_income + 0.2,
            existing_debt_ratio=HERE.existing_debt_ratio + 0.2,
            debt_to_income=HERE.debt_to_income + 0.1,
        ),
        0.10,
    ),
    "app-pending": (S.PENDING, HERE, 0.05),
    "app-review": (S.REVIEW, HERE, 0.05),
    "app-cancelled": (S.CANCELLED, HERE, 0.05),
    "app-unscored": (S.APPROVED, None, 0.05),
    "app-self": (S.APPROVED, HERE, 0.12),
}
DISTANCES = {"app-e": 0.0, "app-a": 0.1, "app-b": 0.1, "app-f": 0.3, "app-c": 0.5, "app-d": 1.0}


@pytest.fixture
def decided(uow: UnitOfWork) -> UnitOfWork:
    """The cases above; app-f was scored exactly `HERE` first, its latest result lies farther."""
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        for id, (status, features, pd) in CASES.items():
            uow.applications.add(an_application(id=id, status=status))
            if features is not None:
                model = a_model_score(probability_of_default=pd)
                uow.scoring_results.add(
                    a_scoring_result(
                        application_id=id,
                        scored_at=NOW + timedelta(hours=1),
                        features=features,
                        model=model,
                    )
                )
        uow.scoring_results.add(a_scoring_result(application_id="app-f", features=HERE))
        uow.applications.add(an_application(id="app-0", tenant_id=OTHER_TENANT, status=S.APPROVED))
        uow.scoring_results.add(
            a_scoring_result(tenant_id=OTHER_TENANT, application_id="app-0", features=HERE)
        )
        uow.commit()
    return uow


def _expected(ids: list[str]) -> list[SimilarCase]:
    return [
        SimilarCase(
            application_id=id,
            external_id=f"LND-{id}",
            status=CASES[id][0],
            score=a_model_score(probability_of_default=CASES[id][2]).score,
            distance=pytest.approx(DISTANCES.get(id, 0.0), abs=1e-9),  # type: ignore[arg-type]
        )
        for id in ids
    ]


def test_similar_lists_decided_cases_nearest_first_ties_by_id(decided: UnitOfWork) -> None:
    with decided:
        found = decided.scoring_results.similar(
            TENANT, HERE, exclude_application_id="app-self", limit=10
        )

    assert found == _expected(["app-e", "app-a", "app-b", "app-f", "app-c", "app-d"])


def test_similar_stops_at_the_limit(decided: UnitOfWork) -> None:
    with decided:
        three = decided.scoring_results.similar(
            TENANT, HERE, exclude_application_id="app-self", limit=3
        )
        one = decided.scoring_results.similar(
            TENANT, HERE, exclude_application_id="app-self", limit=1
        )

    assert three == _expected(["app-e", "app-a", "app-b"])
    assert one == _expected(["app-e"])


def test_similar_excludes_only_the_application_named(decided: UnitOfWork) -> None:
    with decided:
        found = decided.scoring_results.similar(
            TENANT, HERE, exclude_application_id="app-e", limit=3
        )

    assert found == _expected(["app-self", "app-a", "app-b"])


def test_similar_measures_from_the_features_given(decided: UnitOfWork) -> None:
    there = CASES["app-d"][1]
    assert there is not None
    with decided:
        found = decided.scoring_results.similar(
            TENANT, there, exclude_application_id="app-self", limit=1
        )

    assert [(case.application_id, case.distance) for case in found] == [("app-d", 0.0)]


def test_similar_stays_in_the_tenant(decided: UnitOfWork) -> None:
    with decided:
        elsewhere = decided.scoring_results.similar(
            OTHER_TENANT, HERE, exclude_application_id="app-self", limit=10
        )
        nobody = decided.scoring_results.similar(
            "tenant-nobody", HERE, exclude_application_id="app-self", limit=10
        )

    assert [(case.application_id, case.distance) for case in elsewhere] == [("app-0", 0.0)]
    assert nobody == []

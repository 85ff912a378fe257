"""Predict one form or a batch, and describe a model: what-ifs that store and decide nothing."""

from __future__ import annotations

import pytest

from application.credit.model_serving import MAX_BATCH, DescribeModel, Predict
from application.errors import ModelUnavailable, NoChampion, NotFound
from domain.credit.model_monitoring import FeatureProfile
from domain.credit.model_registry import ModelStage
from domain.credit.reasons import DEFAULT_REASON_CODES, adverse_action_reasons
from domain.credit.scoring import RiskCategory
from domain.errors import PermissionDenied, ValidationFailed
from tests.builders import a_model_version, an_application_form, eur
from tests.fakes import FakeModelLoader, FakeScorer
from tests.unit.application.helpers import (
    ANALYST,
    DECLINE_PD,
    DESK_CHAMPION,
    LENDER,
    OUTSIDER,
    READONLY,
    SENIOR,
    Desk,
    scorer_giving,
)

# Training put three quarters of applicants below a debt-to-income of 0.3.
PROFILES = (
    FeatureProfile("debt_to_income", (0.0, 0.1, 0.2, 0.3, 0.6), 0.0),
    FeatureProfile("payment_to_income", (0.0, 0.05, 0.1, 0.2, 0.5), 0.0),
)


def _predict(desk: Desk, loader: FakeModelLoader) -> Predict:
    return Predict(desk.uow, loader)


def _champion(pd: float = DECLINE_PD) -> FakeScorer:
    base = scorer_giving(pd, version=DESK_CHAMPION)
    return FakeScorer(
        base_value=base.explainer.base_value, model_version=DESK_CHAMPION, profiles=PROFILES
    )


def test_a_prediction_explains_itself_in_codes_and_words_and_stores_nothing() -> None:
    desk = Desk()
    form = an_application_form(existing_loan_payments=eur(900))
    before = desk.stored()

    prediction = _predict(desk, FakeModelLoader(_champion())).one(SENIOR, form)

    assert desk.stored() == before
    score = prediction.score
    assert score == _champion().score(form)
    assert score.probability_of_default >= 0.35  # the default bands call that very high
    assert prediction.risk_category is RiskCategory.VERY_HIGH
    assert prediction.reasons == adverse_action_reasons(
        score.contribution_map(), DEFAULT_REASON_CODES
    )
    assert [f.feature for f in prediction.factors] == ["debt_to_income", "payment_to_income"]
    assert all(f.contribution > 0 for f in prediction.factors)
    assert all(f.contribution < 0 for f in prediction.strengths)
    debt = prediction.factors[0]
    assert debt.reading.value == pytest.approx(score.contribution_map()["debt_to_income"] / 2.5)
    assert debt.statement.startswith("Debt-to-income ")
    assert "of approved applicants" in debt.statement  # placed among the training profile
    assert prediction.strengths[0].statement.endswith("years")  # employment, no profile


def test_a_batch_is_each_form_alone_and_may_leave_out_the_factors() -> None:
    desk = Desk()
    forms = [an_application_form(amount=eur(5_000 + 1_000 * i)) for i in range(5)]
    predict = _predict(desk, FakeModelLoader(_champion()))

    batch = predict.batch(SENIOR, forms, explain=False)

    assert [p.score for p in batch] == [predict.one(SENIOR, form).score for form in forms]
    assert all(p.factors == () and p.strengths == () for p in batch)
    assert all(p.reasons for p in batch)


@pytest.mark.parametrize("size", [0, MAX_BATCH + 1])
def test_a_batch_outside_its_bounds_is_refused(size: int) -> None:
    desk = Desk()
    form = an_application_form()
    with pytest.raises(ValidationFailed) as refused:
        _predict(desk, FakeModelLoader(_champion())).batch(SENIOR, [form] * size)
    assert refused.value.problems[0].path == "forms"


def test_a_named_version_predicts_instead_of_the_champion() -> None:
    desk = Desk()
    with desk.uow:
        desk.uow.models.add(a_model_version("candidate-7"))
        desk.uow.commit()
    candidate = FakeScorer(model_version="candidate-7", base_value=-6.0)
    loader = FakeModelLoader(_champion(), candidate)

    prediction = _predict(desk, loader).one(SENIOR, an_application_form(), version="candidate-7")

    assert prediction.score.model_version == "candidate-7"
    with pytest.raises(NotFound):
        _predict(desk, loader).one(SENIOR, an_application_form(), version="no-such")


def test_a_champion_whose_artifact_cannot_load_is_named() -> None:
    desk = Desk()
    with pytest.raises(ModelUnavailable, match=DESK_CHAMPION):
        _predict(desk, FakeModelLoader()).one(SENIOR, an_application_form())


def test_no_champion_is_a_clear_conflict() -> None:
    desk = Desk()
    with desk.uow:
        desk.uow.models.update(a_model_version(DESK_CHAMPION, stage=ModelStage.RETIRED))
        desk.uow.commit()
    with pytest.raises(NoChampion):
        _predict(desk, FakeModelLoader(_champion())).one(SENIOR, an_application_form())


def test_prediction_and_description_need_their_permissions() -> None:
    desk = Desk()
    loader = FakeModelLoader(_champion())
    with pytest.raises(PermissionDenied):
        _predict(desk, loader).one(READONLY, an_application_form())
    with pytest.raises(PermissionDenied):
        DescribeModel(desk.uow, loader)(LENDER)


def test_a_description_ranks_the_features_by_importance() -> None:
    desk = Desk()

    described = DescribeModel(desk.uow, FakeModelLoader(_champion()))(ANALYST)

    assert described.version.version == DESK_CHAMPION
    assert described.feature_names == (
        "debt_to_income",
        "payment_to_income",
        "savings_ratio",
        "employment_stability",
    )
    names = [name for name, _share in described.importance]
    assert names == ["payment_to_income", "debt_to_income", "savings_ratio", "employment_stability"]
    assert sum(share for _name, share in described.importance) == pytest.approx(1.0)


def test_another_tenant_sees_its_own_champion_only() -> None:
    desk = Desk()
    with desk.uow:
        desk.uow.models.add(a_model_version("candidate-7"))
        desk.uow.commit()
    loader = FakeModelLoader(_champion(), FakeScorer(model_version="candidate-7"))
    with pytest.raises(NotFound):
        _predict(desk, loader).one(OUTSIDER, an_application_form(), version="candidate-7")
    # The outsider's tenant has a champion of its own (the desk registers one per tenant).
    assert _predict(desk, loader).one(OUTSIDER, an_application_form()).score.model_version == (
        DESK_CHAMPION
    )

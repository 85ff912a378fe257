"""Scoring with the registry's champion, and challengers in shadow that never decide."""

from __future__ import annotations

import pytest
from attrs import evolve

from application.credit.score_application import ScoreApplication
from application.errors import NoChampion
from domain.credit.model_registry import ModelStage, shadow_share
from domain.credit.scoring import ShadowScore
from domain.credit.status import ApplicationStatus
from tests.builders import TENANT, a_model_version, an_application_form
from tests.fakes import FakeModelLoader, FakeScorer
from tests.unit.application.helpers import (
    APPROVE_PD,
    DECLINE_PD,
    DESK_CHAMPION,
    LENDER,
    REVIEW_PD,
    WORKER,
    BrokenScorer,
    Desk,
    scorer_giving,
)


def _live(desk: Desk, loader: FakeModelLoader, share: float = 1.0) -> ScoreApplication:
    return ScoreApplication(desk.uow, desk.clock, desk.ids, loader, shadow_share=share)


def _add_challenger(desk: Desk, version: str) -> None:
    with desk.uow:
        desk.uow.models.add(a_model_version(version, stage=ModelStage.CHALLENGER))
        desk.uow.commit()


def _shadows(desk: Desk, application_id: str) -> list[ShadowScore]:
    return desk.read(lambda uow: uow.shadow_scores.for_application(TENANT, application_id))


def _submitted(desk: Desk, n: int) -> list[str]:
    return [
        desk.submit(LENDER, an_application_form(external_id=f"ext-{i}")).application.id
        for i in range(n)
    ]


def test_the_champion_in_the_registry_scores_and_is_loaded_once() -> None:
    desk = Desk()
    loader = FakeModelLoader(scorer_giving(APPROVE_PD, version=DESK_CHAMPION))
    score = _live(desk, loader)

    results = [score(WORKER, application_id) for application_id in _submitted(desk, 3)]

    assert {r.model.model_version for r in results} == {DESK_CHAMPION}
    assert all(r.routing.outcome.value == "auto_approve" for r in results)
    assert loader.loads == {DESK_CHAMPION: 3}  # asked each time; the real loader caches bytes


def test_a_promotion_takes_effect_on_the_next_application_without_a_restart() -> None:
    desk = Desk()
    loader = FakeModelLoader(
        scorer_giving(APPROVE_PD, version=DESK_CHAMPION), scorer_giving(DECLINE_PD, version="v2")
    )
    score = _live(desk, loader)
    first, second = _submitted(desk, 2)
    assert score(WORKER, first).model.model_version == DESK_CHAMPION

    with desk.uow:
        old = desk.uow.models.get(TENANT, DESK_CHAMPION)
        assert old is not None
        desk.uow.models.update(evolve(old, stage=ModelStage.RETIRED))
        desk.uow.models.add(a_model_version("v2", stage=ModelStage.CHAMPION))
        desk.uow.commit()

    result = score(WORKER, second)
    assert result.model.model_version == "v2"
    assert desk.application(second).status is ApplicationStatus.DECLINED  # type: ignore[union-attr]


def test_without_a_champion_nothing_is_scored_and_nothing_written() -> None:
    desk = Desk()
    (application_id,) = _submitted(desk, 1)
    with desk.uow:
        champion = desk.uow.models.get(TENANT, DESK_CHAMPION)
        assert champion is not None
        desk.uow.models.update(evolve(champion, stage=ModelStage.RETIRED))
        desk.uow.commit()
    before = desk.stored()

    with pytest.raises(NoChampion, match="promote"):
        _live(desk, FakeModelLoader())(WORKER, application_id)

    assert desk.stored() == before


def test_a_challenger_scores_the_picked_share_in_shadow_and_never_decides() -> None:
    desk = Desk()
    champion = scorer_giving(REVIEW_PD, version=DESK_CHAMPION)
    challenger = scorer_giving(DECLINE_PD, version="challenger-1")
    _add_challenger(desk, "challenger-1")
    score = _live(desk, FakeModelLoader(champion, challenger), share=0.5)
    ids = _submitted(desk, 40)

    for application_id in ids:
        result = score(WORKER, application_id)
        assert result.routing.outcome.value == "human_review"  # the champion's call, always
        shadows = _shadows(desk, application_id)
        picked = shadow_share(application_id, 0.5)
        assert [s.model.model_version for s in shadows] == (["challenger-1"] if picked else [])
        stored = desk.application(application_id)
        assert stored is not None
        for shadow in shadows:
            assert shadow.champion_version == DESK_CHAMPION
            assert shadow.model == challenger.score(stored.form)
    assert 5 < sum(shadow_share(i, 0.5) for i in ids) < 35  # the share is a share, not all


def test_a_rescore_with_the_same_champion_adds_no_second_shadow() -> None:
    desk = Desk()
    _add_challenger(desk, "challenger-1")
    loader = FakeModelLoader(
        scorer_giving(REVIEW_PD, version=DESK_CHAMPION),
        scorer_giving(REVIEW_PD, version="challenger-1"),
    )
    (application_id,) = _submitted(desk, 1)
    _live(desk, loader)(WORKER, application_id)
    before = desk.stored()

    _live(desk, loader)(WORKER, application_id)

    assert desk.stored() == before
    assert len(_shadows(desk, application_id)) == 1


def test_a_broken_challenger_is_skipped_and_the_decision_stands(
    caplog: pytest.LogCaptureFixture,
) -> None:
    desk = Desk()
    _add_challenger(desk, "broken-1")
    _add_challenger(desk, "missing-artifact")
    _add_challenger(desk, "challenger-ok")
    loader = FakeModelLoader(
        scorer_giving(APPROVE_PD, version=DESK_CHAMPION),
        BrokenScorer(),
        scorer_giving(APPROVE_PD, version="challenger-ok"),
    )
    (application_id,) = _submitted(desk, 1)

    result = _live(desk, loader)(WORKER, application_id)

    assert result.model.model_version == DESK_CHAMPION
    assert [s.model.model_version for s in _shadows(desk, application_id)] == ["challenger-ok"]
    assert desk.application(application_id).status is ApplicationStatus.APPROVED  # type: ignore[union-attr]
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("broken-1" in w and "RuntimeError" in w for w in warnings)
    assert any("missing-artifact" in w and "ModelUnavailable" in w for w in warnings)


def test_a_share_of_zero_scores_no_shadow_and_a_bad_share_is_refused() -> None:
    desk = Desk()
    _add_challenger(desk, "challenger-1")
    loader = FakeModelLoader(
        scorer_giving(REVIEW_PD, version=DESK_CHAMPION), FakeScorer(model_version="challenger-1")
    )
    ids = _submitted(desk, 10)
    for application_id in ids:
        _live(desk, loader, share=0.0)(WORKER, application_id)
    assert all(_shadows(desk, i) == [] for i in ids)
    with pytest.raises(ValueError, match="shadow_share"):
        _live(desk, loader, share=1.5)

"""Scoring many applications at once: what scoring them one by one does, in one go."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import pytest
from attrs import evolve

from application.credit.ports import ModelLoader
from application.credit.score_application import ScoreApplication
from application.credit.score_applications import ScoreApplications
from application.errors import NoChampion, NotFound
from domain.credit.application import ApplicationForm
from domain.credit.model_registry import ModelStage, shadow_share
from domain.credit.routing import RoutingOutcome
from domain.credit.scoring import ModelScore
from domain.credit.status import ApplicationStatus
from domain.errors import PermissionDenied
from tests.builders import TENANT, a_model_version, eur
from tests.fakes import FakeModelLoader, FakeScorer
from tests.unit.application.helpers import (
    ADMIN,
    ANALYST,
    DESK_CHAMPION,
    LENDER,
    OUTSIDE_WORKER,
    REVIEW_PD,
    WORKER,
    BrokenScorer,
    Desk,
    OneModelLoader,
    scorer_giving,
)

#: Net monthly incomes that take the champion from a decline through review to approval.
INCOMES = [500, 5_000, 1_000, 9_000, 650, 3_200, 12_000, 1_400, 2_900, 700, 800, 4_000]
#: The champion's probability of default for the default form (its net income is 2,800).
CHAMPION_PD = 0.02
CHALLENGER = "challenger-1"


class CountingScorer(FakeScorer):
    """The desk's model, counting its calls: how a test sees that scoring was vectorised."""

    def __init__(self, base: FakeScorer) -> None:
        super().__init__(base_value=base.explainer.base_value, model_version=base.model_version)
        self.single_calls = 0
        self.batch_sizes: list[int] = []

    def score(self, form: ApplicationForm) -> ModelScore:
        self.single_calls += 1
        return super().score(form)

    def score_batch(self, forms: Sequence[ApplicationForm]) -> list[ModelScore]:
        self.batch_sizes.append(len(forms))
        return [FakeScorer.score(self, form) for form in forms]


def _models(*extra: FakeScorer) -> FakeModelLoader:
    """The desk's champion, and a challenger that would decline most of those it sees."""
    champion = scorer_giving(CHAMPION_PD, version=DESK_CHAMPION)
    return FakeModelLoader(champion, scorer_giving(0.5, version=CHALLENGER), *extra)


def _desk(*challengers: str) -> tuple[Desk, list[str]]:
    """A desk with challengers registered, and applications of every outcome submitted."""
    desk = Desk()
    with desk.uow:
        for version in challengers:
            desk.uow.models.add(a_model_version(version, stage=ModelStage.CHALLENGER))
        desk.uow.commit()
    ids = [
        desk.submitted(f"LND-{n}", net_monthly_income=eur(income)).id
        for n, income in enumerate(INCOMES)
    ]
    return desk, ids


def _batch(desk: Desk, models: ModelLoader, share: float = 0.5) -> ScoreApplications:
    return ScoreApplications(desk.uow, desk.clock, desk.ids, models, shadow_share=share)


def test_a_batch_stores_exactly_what_scoring_one_by_one_stores() -> None:
    alone, ids = _desk(CHALLENGER)
    together, same_ids = _desk(CHALLENGER)
    assert same_ids == ids
    single = ScoreApplication(alone.uow, alone.clock, alone.ids, _models(), shadow_share=0.5)
    one_by_one = [single(WORKER, application_id) for application_id in ids]

    results = _batch(together, _models())(WORKER, ids)

    assert results == one_by_one
    # Every table: results, shadows, decisions, queue entries, applications, audit, outbox.
    assert together.stored() == alone.stored()
    assert {result.routing.outcome for result in results} == set(RoutingOutcome)
    shadows = together.read(lambda uow: uow.shadow_scores.for_model(TENANT, CHALLENGER, limit=99))
    assert {s.application_id for s in shadows} == {i for i in ids if shadow_share(i, 0.5)} != set()
    assert together.verify_audit(ADMIN).ok


def test_each_application_gets_the_events_of_scoring_it_alone_in_order() -> None:
    desk, ids = _desk()

    _batch(desk, _models())(WORKER, ids)

    events = [e for e in desk.events() if e.action != "application.submitted"]
    assert len(events) == 3 * len(ids)
    for n, application_id in enumerate(ids):
        scored, made, routed = events[3 * n : 3 * n + 3]
        assert (scored.action, scored.entity_id) == ("application.scored", application_id)
        assert made.action in ("queue.entered", "decision.made")
        assert (routed.action, routed.entity_id) == ("application.routed", application_id)
    decided = [e.entity_id for e in events if e.action == "decision.made"]
    topics = desk.topics()
    assert topics.count("application.decided") == len(decided) > 0


def test_the_champion_scores_the_batch_in_one_call() -> None:
    desk, ids = _desk()
    champion = CountingScorer(scorer_giving(CHAMPION_PD, version=DESK_CHAMPION))

    results = _batch(desk, FakeModelLoader(champion))(WORKER, ids)

    assert (champion.batch_sizes, champion.single_calls) == ([len(ids)], 0)
    assert [r.application_id for r in results] == ids


def test_only_pending_applications_are_scored_and_the_others_left_alone() -> None:
    desk, ids = _desk()
    cancelled, by_other_model, by_champion, *rest = ids
    desk.cancel(LENDER, cancelled)
    desk.scoring(scorer_giving(REVIEW_PD, version="fake-logistic-0"))(WORKER, by_other_model)
    earlier = desk.score(WORKER, by_champion)
    desk.clock.advance(timedelta(minutes=5))

    results = _batch(desk, _models())(WORKER, ids)

    assert [r.application_id for r in results] == [by_champion, *rest]
    assert results[0] == earlier  # the champion's stored result, not a second one
    assert {r.scored_at for r in results[1:]} == {desk.clock.now()}
    assert desk.application(cancelled).status is ApplicationStatus.CANCELLED  # type: ignore[union-attr]
    with desk.uow:  # each keeps the one result it had
        latest = {
            i: desk.uow.scoring_results.latest(TENANT, i) for i in (by_other_model, by_champion)
        }
    assert {i: (r.model.model_version, r.scored_at) for i, r in latest.items() if r} == {
        by_other_model: ("fake-logistic-0", earlier.scored_at),
        by_champion: (DESK_CHAMPION, earlier.scored_at),
    }


def test_a_replay_returns_the_same_results_and_writes_nothing() -> None:
    desk, ids = _desk(CHALLENGER)
    score = _batch(desk, _models())
    first = score(WORKER, ids)
    before = desk.stored()
    desk.clock.advance(timedelta(minutes=5))

    again = score(WORKER, [*reversed(ids), ids[-1]])

    assert again == list(reversed(first))
    assert desk.stored() == before


def test_unknown_ids_are_refused_by_name_before_anything_is_written() -> None:
    desk, ids = _desk()
    before = desk.stored()

    with pytest.raises(NotFound, match="applications app-404, app-405 not found"):
        _batch(desk, _models())(WORKER, [ids[0], "app-404", ids[1], "app-405"])
    with pytest.raises(NotFound, match=f"{ids[0]}, {ids[1]}"):
        _batch(desk, _models())(OUTSIDE_WORKER, ids[:2])  # another tenant's are unknown

    assert desk.stored() == before
    assert desk.uow.committed[-2:] == [False, False]


def test_a_broken_challenger_is_skipped_and_the_decisions_stand(
    caplog: pytest.LogCaptureFixture,
) -> None:
    desk, ids = _desk("broken-1", CHALLENGER)

    results = _batch(desk, _models(BrokenScorer()), share=1.0)(WORKER, ids)

    assert len(results) == len(ids)
    shadows = desk.read(lambda uow: uow.shadow_scores.for_model(TENANT, CHALLENGER, limit=99))
    assert len(shadows) == len(ids)
    assert desk.read(lambda uow: uow.shadow_scores.for_model(TENANT, "broken-1", limit=99)) == []
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("broken-1" in w and "RuntimeError" in w and str(len(ids)) in w for w in warnings)


def test_a_failing_champion_leaves_nothing_written() -> None:
    desk, ids = _desk()
    before = desk.stored()

    with pytest.raises(RuntimeError, match="model server"):
        _batch(desk, OneModelLoader(BrokenScorer()))(WORKER, ids)

    assert desk.stored() == before


def test_without_a_champion_nothing_is_scored() -> None:
    desk, ids = _desk()
    with desk.uow:
        champion = desk.uow.models.get(TENANT, DESK_CHAMPION)
        assert champion is not None
        desk.uow.models.update(evolve(champion, stage=ModelStage.RETIRED))
        desk.uow.commit()
    before = desk.stored()

    with pytest.raises(NoChampion):
        _batch(desk, _models())(WORKER, ids)

    assert desk.stored() == before


def test_scoring_a_batch_needs_the_score_permission_and_an_empty_one_is_nothing() -> None:
    desk, ids = _desk()

    with pytest.raises(PermissionDenied, match="application:score"):
        _batch(desk, _models())(ANALYST, ids)
    with pytest.raises(PermissionDenied):
        _batch(desk, _models())(ANALYST, [])
    assert _batch(desk, _models())(WORKER, []) == []

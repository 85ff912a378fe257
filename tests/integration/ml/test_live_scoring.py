"""The model lifecycle end to end with every real adapter, on both shipped data sets.

History imported into SQLite, two small XGBoost models trained on it and stored in a local
folder, one promoted to champion and one to challenger (four eyes each), live applications
submitted and scored by the champion loaded from its artifact while the challenger scores a
share in shadow, a what-if prediction explained in words, and monitoring that stays quiet on
applicants like the training ones and raises an alert when loan amounts triple.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from attrs import evolve, frozen
from sqlalchemy.engine import Engine

from adapters.ml.datasets import (
    CREDIT_DATA,
    GERMAN_CREDIT,
    HistoricalRecord,
    credit_data,
    german_credit,
)
from adapters.ml.serving import ArtifactModelLoader
from adapters.ml.synthetic_applicant import AS_OF
from adapters.ml.trainer import XGBoostTrainer
from adapters.ml.training import TrainingConfig
from adapters.ml.tuning import SearchSpace
from adapters.sql import SqlUnitOfWork, create_engine_for
from adapters.storage.local import LocalObjectStore
from application.credit.import_history import ImportHistory
from application.credit.model_promotions import ApprovePromotion, RequestPromotion
from application.credit.model_serving import Predict
from application.credit.monitor_model import MonitorModel
from application.credit.recording import Topic
from application.credit.score_application import ScoreApplication
from application.credit.submit_application import SubmitApplication
from application.credit.train_model import TrainModel
from domain.credit.application import ApplicationForm
from domain.credit.model_registry import ModelStage, ModelVersion, shadow_share
from domain.credit.money import Money
from domain.credit.monitoring import DriftLevel
from domain.credit.validation import problems
from domain.identity import Permission, Principal, Role
from tests.builders import NOW, TENANT, a_principal, a_tenant
from tests.fakes import FixedClock, SequentialIds

pytestmark = pytest.mark.integration

SMALL = TrainingConfig(
    outer_folds=3,
    inner_folds=1,
    search=SearchSpace(
        max_depths=(2,), learning_rates=(0.1,), tree_counts=(40,), blend_weights=(1.0,)
    ),
)
ADMIN = a_principal(Role.ADMIN, user_id="user-adm")
ADMIN_2 = a_principal(Role.ADMIN, user_id="user-adm2")
LENDER = a_principal(Role.API_CONSUMER, user_id="svc-lender")
WORKER = Principal(
    "system", TENANT, Role.READONLY, extra_grants=frozenset({Permission.APPLICATION_SCORE})
)
LIVE = 120
SHARE = 0.5


def _promote(uow: SqlUnitOfWork, clock: FixedClock, version: str, stage: ModelStage) -> None:
    ids = SequentialIds(f"promo-{version}-")
    RequestPromotion(uow, clock, ids)(ADMIN, version, stage, "Small model for the test.")
    ApprovePromotion(uow, clock, ids)(ADMIN_2, version)


def _live_forms(records: list[HistoricalRecord], *, scale: int = 1) -> list[ApplicationForm]:
    """Applicants like the training ones (every 7th), as new applications; `scale` multiplies
    the amount asked for."""
    forms: list[ApplicationForm] = []
    for i, record in enumerate(records[::7]):
        loan = record.form.loan
        amount = Money(loan.amount.amount * Decimal(scale), loan.amount.currency)
        form = evolve(
            record.form, external_id=f"live-{scale}-{i}", loan=evolve(loan, amount=amount)
        )
        if not problems(form, AS_OF):
            forms.append(form)
        if len(forms) == LIVE:
            return forms
    raise AssertionError("too few valid forms in the data set")


@frozen
class Lender:
    """One tenant's desk on real adapters, with a champion and a challenger registered."""

    uow: SqlUnitOfWork
    clock: FixedClock
    ids: SequentialIds
    loader: ArtifactModelLoader
    champion: ModelVersion
    challenger: ModelVersion

    def scored(self, forms: list[ApplicationForm]) -> list[str]:
        submit = SubmitApplication(self.uow, self.clock, self.ids)
        score = ScoreApplication(self.uow, self.clock, self.ids, self.loader, shadow_share=SHARE)
        application_ids = []
        for form in forms:
            application_id = submit(LENDER, form).application.id
            assert score(WORKER, application_id).model.model_version == self.champion.version
            application_ids.append(application_id)
        return application_ids


def _lender(
    engine: Engine, store: LocalObjectStore, source: str, records: list[HistoricalRecord]
) -> Lender:
    uow = SqlUnitOfWork(engine)
    with uow:
        uow.tenants.add(a_tenant(id=TENANT, slug=TENANT))
        uow.commit()
    clock = FixedClock(NOW)
    ids = SequentialIds("id-")
    ImportHistory(uow, clock, ids)(ADMIN, source, [(r.form, r.defaulted) for r in records])
    train = TrainModel(uow, clock, ids, store, XGBoostTrainer(SMALL))
    champion = train(ADMIN, source=source, seed=1).version
    challenger = train(ADMIN, source=source, seed=2).version
    assert champion.version != challenger.version
    _promote(uow, clock, champion.version, ModelStage.CHAMPION)
    _promote(uow, clock, challenger.version, ModelStage.CHALLENGER)
    clock.advance(timedelta(days=60))  # the imported history lies outside every window
    return Lender(uow, clock, ids, ArtifactModelLoader(store), champion, challenger)


def _check_shadows(lender: Lender, application_ids: list[str]) -> None:
    challenger = lender.challenger.version
    with lender.uow as uow:
        for application_id in application_ids:
            shadows = uow.shadow_scores.for_application(TENANT, application_id)
            expected = [challenger] if shadow_share(application_id, SHARE) else []
            assert [s.model.model_version for s in shadows] == expected
            assert all(s.champion_version == lender.champion.version for s in shadows)
        (sample,) = uow.shadow_scores.for_model(TENANT, challenger, limit=1)
        stored = uow.applications.get(TENANT, sample.application_id)
    assert stored is not None
    assert sample.model == lender.loader.load(lender.challenger).score(stored.form)


@pytest.mark.parametrize(
    ("source", "load"), [(GERMAN_CREDIT, german_credit), (CREDIT_DATA, credit_data)]
)
def test_champion_scores_challenger_shadows_and_monitoring_watches(
    sqlite_database: Path,
    tmp_path: Path,
    source: str,
    load: Callable[[], list[HistoricalRecord]],
) -> None:
    engine = create_engine_for(sqlite_database)
    try:
        records = load()
        lender = _lender(engine, LocalObjectStore(tmp_path / "objects"), source, records)

        _check_shadows(lender, lender.scored(_live_forms(records)))
        assert lender.loader.loaded == 2  # each artifact read once, however many scores

        prediction = Predict(lender.uow, lender.loader).one(ADMIN, _live_forms(records)[0])
        assert prediction.score.model_version == lender.champion.version
        statements = [f.statement for f in (*prediction.factors, *prediction.strengths)]
        assert statements
        assert all(s and "nan" not in s.lower() for s in statements)

        lender.clock.advance(timedelta(minutes=5))
        monitor = MonitorModel(
            lender.uow, lender.loader, lender.clock, lender.ids, window=timedelta(days=1)
        )
        calm = monitor(ADMIN)
        assert (calm.quality.rows, calm.quality.duplicates) == (LIVE, 0)
        calm_amount = next(d for d in calm.drift if d.feature == "loan_amount")
        assert calm_amount.level is not DriftLevel.ACT  # 120 applicants: sampling noise only

        lender.clock.advance(timedelta(days=2))
        lender.scored(_live_forms(records, scale=3))
        lender.clock.advance(timedelta(minutes=5))
        shifted = monitor(ADMIN)
        amount = next(d for d in shifted.drift if d.feature == "loan_amount")
        assert amount.level is DriftLevel.ACT
        assert amount.psi > 4 * calm_amount.psi
        assert shifted.level is DriftLevel.ACT
        with lender.uow as uow:
            topics = [m.topic for m in uow.outbox.pending(10_000)]
            assert uow.monitoring.recent(TENANT, limit=5) == [shifted, calm]
        alerts = 1 + (calm.level is not DriftLevel.STABLE)
        assert topics.count(Topic.MODEL_DRIFT_DETECTED) == alerts
    finally:
        engine.dispose()

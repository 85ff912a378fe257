"""From imported history to a registered candidate, with every real adapter: German credit
imported into SQLite, trained by XGBoost (small and fast), stored in a local folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.ml.datasets import GERMAN_CREDIT, german_credit
from adapters.ml.model import TrainedModel
from adapters.ml.report import PLOTS
from adapters.ml.scorer import XGBoostScorer
from adapters.ml.trainer import XGBoostTrainer
from adapters.ml.training import TrainingConfig
from adapters.ml.tuning import SearchSpace
from adapters.sql import SqlUnitOfWork, create_engine_for
from adapters.storage.local import LocalObjectStore
from application.credit.import_history import ImportHistory
from application.credit.model_promotions import ListModels
from application.credit.train_model import TrainModel
from domain.credit.model_registry import ModelStage
from domain.identity import Role
from tests.builders import NOW, TENANT, a_principal, a_tenant
from tests.fakes import FixedClock, SequentialIds

pytestmark = pytest.mark.integration

SMALL = TrainingConfig(
    outer_folds=3,
    inner_folds=1,
    search=SearchSpace(
        max_depths=(2,), learning_rates=(0.1,), tree_counts=(25,), blend_weights=(1.0,)
    ),
)


def test_german_credit_trains_into_a_stored_loadable_registered_candidate(
    sqlite_database: Path, tmp_path: Path
) -> None:
    engine = create_engine_for(sqlite_database)
    try:
        uow = SqlUnitOfWork(engine)
        with uow:
            uow.tenants.add(a_tenant(id=TENANT, slug=TENANT))
            uow.commit()
        admin = a_principal(Role.ADMIN)
        clock = FixedClock(NOW)
        records = german_credit()
        ImportHistory(uow, clock, SequentialIds("gc-"))(
            admin, GERMAN_CREDIT, [(r.form, r.defaulted) for r in records]
        )
        store = LocalObjectStore(tmp_path / "objects")
        train = TrainModel(uow, clock, SequentialIds("msg-"), store, XGBoostTrainer(SMALL))

        report = train(admin, source=GERMAN_CREDIT)

        version = report.version
        assert (report.rows, report.defaulted, report.registered) == (1000, 300, True)
        assert version.stage is ModelStage.CANDIDATE
        assert ListModels(uow)(admin) == [version]
        auc = version.metric("auc")
        assert auc is not None
        assert auc > 0.7  # cross-validated, on rows each fold's model never saw
        # The stored artifact is the model registered: it loads, names itself, and scores.
        model = TrainedModel.from_bytes(store.get(version.artifact_key))
        assert model.version == version.version
        assert model.training_data_hash == version.training_data_hash
        assert model.training_rows == 1000
        scores = XGBoostScorer(model).score_batch([r.form for r in records[:5]])
        assert [s.model_version for s in scores] == [version.version] * 5
        assert all(0.0 < s.probability_of_default < 1.0 for s in scores)
        # The report's page and every plot it links to, side by side.
        assert version.report_key is not None
        page = store.get(version.report_key).decode("utf-8")
        assert version.version in page
        folder = version.report_key.rsplit("/", 1)[0]
        for plot in PLOTS:
            assert f'src="{plot}"' in page
            assert store.get(f"{folder}/{plot}").startswith(b"\x89PNG")
        # Training the same data the same way again is recognised as a retry.
        again = train(admin, source=GERMAN_CREDIT)
        assert (again.version, again.registered) == (version, False)
    finally:
        engine.dispose()

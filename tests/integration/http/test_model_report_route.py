"""`GET /api/v1/models/{version}/report/{name}` over SQLite and the local object store, serving
the report a real training run (XGBoost, small and fast) stored through `TrainModel`."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from adapters.ml.report import PLOTS
from adapters.ml.trainer import XGBoostTrainer
from adapters.ml.training import TrainingConfig
from adapters.ml.tuning import SearchSpace
from adapters.storage.local import LocalObjectStore
from application.credit.import_history import ImportHistory
from application.credit.model_reports import REPORT_PLOTS
from application.credit.train_model import TrainModel
from domain.credit.model_registry import ModelVersion
from domain.identity import Role
from entrypoints.composition import Deps
from entrypoints.http.model_report_routes import REPORT_PAGE_CSP
from tests.builders import OTHER_TENANT, a_principal
from tests.fakes import SequentialIds
from tests.integration.http.support import auth
from tests.unit.ml.synthetic import synthetic_history

pytestmark = pytest.mark.integration

Client = TestClient[Any]
SMALL = TrainingConfig(
    outer_folds=3,
    inner_folds=1,
    search=SearchSpace(
        max_depths=(2,), learning_rates=(0.1,), tree_counts=(25,), blend_weights=(1.0,)
    ),
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def trained(deps: Deps) -> ModelVersion:
    """A model trained on 300 synthetic loans and registered with its report, as the CLI and
    the demo do it."""
    admin = a_principal(Role.ADMIN)
    forms, defaulted = synthetic_history(300)
    ImportHistory(deps.uow(), deps.clock, SequentialIds("hist-"))(
        admin, "synthetic", list(zip(forms, defaulted, strict=True))
    )
    train = TrainModel(deps.uow(), deps.clock, deps.ids, deps.store, XGBoostTrainer(SMALL))
    return train(admin, source="synthetic").version


def _path(version: ModelVersion, name: str) -> str:
    return f"/api/v1/models/{version.version}/report/{name}"


def test_the_route_serves_the_plots_the_trainer_draws() -> None:
    assert REPORT_PLOTS == PLOTS


def test_each_plot_and_the_page_of_a_trained_model_are_served(
    client: Client, trained: ModelVersion
) -> None:
    for name in PLOTS:
        plot = client.get(_path(trained, name), headers=auth(Role.ANALYST))
        assert plot.status_code == 200, f"{name}: {plot.text}"
        assert plot.headers["content-type"] == "image/png"
        assert plot.headers["x-content-type-options"] == "nosniff"
        assert plot.content.startswith(PNG_SIGNATURE)
        assert len(plot.content) > 1000, name  # a drawn figure, not an empty file
    page = client.get(_path(trained, "report.html"), headers=auth(Role.SENIOR_ANALYST))
    assert page.status_code == 200, page.text
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"] == REPORT_PAGE_CSP
    assert trained.version in page.text
    for name in PLOTS:  # relative names: they resolve to this same route
        assert f'src="{name}"' in page.text


def test_only_the_reports_own_files_of_the_tenants_own_versions_are_found(
    client: Client, trained: ModelVersion
) -> None:
    artifact = trained.artifact_key.rsplit("/", 1)[1]
    for name in (artifact, "model.bin", "REPORT.HTML", "..%2Froc.png"):
        missing = client.get(_path(trained, name), headers=auth(Role.ADMIN))
        assert missing.status_code == 404, f"{name}: {missing.text}"
        assert missing.headers["content-type"] == "application/problem+json"
    theirs = client.get(_path(trained, "roc.png"), headers=auth(Role.ADMIN, OTHER_TENANT))
    assert theirs.status_code == 404
    refused = client.get(_path(trained, "roc.png"), headers=auth(Role.READONLY))
    assert refused.status_code == 403


def test_a_plot_altered_in_the_store_is_never_served(
    deps: Deps, client: Client, trained: ModelVersion
) -> None:
    assert isinstance(deps.store, LocalObjectStore)
    assert trained.report_key is not None
    stored = deps.store.path_of(trained.report_key.replace("report.html", "roc.png"))
    raw = bytearray(stored.read_bytes())
    raw[-1] ^= 0xFF
    stored.write_bytes(bytes(raw))

    response = client.get(_path(trained, "roc.png"), headers=auth(Role.ANALYST))

    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert PNG_SIGNATURE not in response.content

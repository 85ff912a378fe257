"""Scoring observes its duration into the histogram `/metrics` serves.

The worker's actor is called in process, on SQLite with a small real champion; the histogram's
count, read through the registry of an app's `AppMetrics`, must go up by one per application
scored.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.ml.model import TrainedModel
from application.credit.recording import Topic
from application.credit.submit_application import SubmitApplication
from domain.credit.model_registry import ModelStage
from domain.credit.status import ApplicationStatus
from domain.identity import Role
from entrypoints import worker
from entrypoints.composition import Deps, build
from entrypoints.http.metrics import AppMetrics
from entrypoints.settings import Settings
from tests.builders import TENANT, a_model_version, a_principal, a_tenant, an_application_form

pytestmark = pytest.mark.integration

COUNT = "creditdesk_scoring_duration_seconds_count"


@pytest.fixture
def deps(tmp_path: Path, small_model: TrainedModel) -> Iterator[Deps]:
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'c.db'}")
    built = build(settings)
    champion = a_model_version(small_model.version, stage=ModelStage.CHAMPION)
    built.store.put(champion.artifact_key, small_model.to_bytes(), "application/zip")
    with built.uow() as uow:
        uow.tenants.add(a_tenant(id=TENANT, slug=TENANT))
        uow.models.add(champion)
        uow.commit()
    yield built
    built.close()


def scored_count(metrics: AppMetrics) -> float:
    return metrics.registry.get_sample_value(COUNT, {"scope": "application"}) or 0.0


def test_scoring_an_application_is_timed_into_the_served_histogram(deps: Deps) -> None:
    metrics = AppMetrics(None, deps.clock.now)
    lender = a_principal(Role.API_CONSUMER, user_id="svc-lender")
    application_id = SubmitApplication(deps.uow(), deps.clock, deps.ids)(
        lender, an_application_form()
    ).application.id
    score = worker.background(deps).broker.get_actor(Topic.SCORE_APPLICATION)
    before = scored_count(metrics)

    score.fn(TENANT, application_id)

    assert scored_count(metrics) == before + 1
    with deps.uow() as uow:
        stored = uow.applications.get(TENANT, application_id)
    assert stored is not None
    assert stored.status != ApplicationStatus.PENDING
    assert metrics.scoring_seconds is AppMetrics(None, deps.clock.now).scoring_seconds

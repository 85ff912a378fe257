"""`/api/v1/models` and `/api/v1/monitoring` over SQLite with a small real champion."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from adapters.ml.model import TrainedModel
from domain.credit.model_registry import ModelStage
from domain.identity import Role
from entrypoints.composition import Deps
from tests.builders import OTHER_TENANT, a_model_version
from tests.integration.http.support import auth, form_json
from tests.integration.queue.conftest import small_model

__all__ = ["small_model"]

Client = TestClient[Any]
MODELS = "/api/v1/models"
MONITORING = "/api/v1/monitoring"


@pytest.fixture
def champion(deps: Deps, small_model: TrainedModel) -> str:
    """The small model stored as the first tenant's champion, and a candidate beside it."""
    version = a_model_version(small_model.version, stage=ModelStage.CHAMPION)
    deps.store.put(version.artifact_key, small_model.to_bytes(), "application/zip")
    with deps.uow() as uow:
        uow.models.add(version)
        uow.models.add(a_model_version("xgb-next"))
        uow.commit()
    return version.version


def test_the_registry_lists_and_describes_models(client: Client, champion: str) -> None:
    listed = client.get(MODELS, headers=auth(Role.ADMIN)).json()
    assert {item["version"] for item in listed["items"]} == {champion, "xgb-next"}
    assert client.get(MODELS, headers=auth(Role.SENIOR_ANALYST)).status_code == 403

    info = client.get(f"{MODELS}/champion/info", headers=auth(Role.ANALYST))
    assert info.status_code == 200, info.text
    assert info.json()["model"]["version"] == champion
    importance = info.json()["importance"]
    assert importance
    assert set(info.json()["feature_names"]) >= {i["feature"] for i in importance}
    assert [i["importance"] for i in importance] == sorted(
        (i["importance"] for i in importance), reverse=True
    )
    one = client.get(f"{MODELS}/{champion}", headers=auth(Role.ANALYST)).json()
    assert (one["model"]["stage"], "importance" in one) == ("champion", False)
    by_version = client.get(f"{MODELS}/{champion}/importance", headers=auth(Role.ANALYST))
    assert by_version.json()["importance"] == importance


def test_predictions_score_forms_without_storing_them(client: Client, champion: str) -> None:
    scorer = auth(Role.SENIOR_ANALYST)
    one = client.post(f"{MODELS}/predict", json=form_json(), headers=scorer)
    assert one.status_code == 200, one.text
    assert 0.0 <= one.json()["score"]["probability_of_default"] <= 1.0
    assert one.json()["risk_category"]
    forms = [form_json("P-1"), form_json("P-2")]
    batch = client.post(f"{MODELS}/predict/batch", json=forms, headers=scorer)
    assert batch.status_code == 200, batch.text
    assert [item["score"] for item in batch.json()["items"]] == [one.json()["score"]] * 2
    assert client.get("/api/v1/applications", headers=scorer).json()["total"] == 0

    invalid = client.post(f"{MODELS}/predict", json={"loan": {}}, headers=scorer)
    assert invalid.status_code == 422
    assert (
        client.post(f"{MODELS}/predict", json=form_json(), headers=auth(Role.ANALYST)).status_code
        == 403
    )
    theirs = client.post(
        f"{MODELS}/predict", json=form_json(), headers=auth(Role.ADMIN, OTHER_TENANT)
    )
    assert theirs.status_code == 409  # the other tenant has no champion
    assert theirs.headers["content-type"] == "application/problem+json"


def test_a_promotion_takes_two_people(client: Client, champion: str, deps: Deps) -> None:
    admin = auth(Role.ADMIN)
    asked = {"target": "challenger", "reason": "Beats the champion on AUC."}
    requested = client.post(f"{MODELS}/xgb-next/promote", json=asked, headers=admin)
    assert requested.status_code == 202, requested.text
    assert requested.json()["pending_promotion"]["target"] == "challenger"
    own = client.post(f"{MODELS}/xgb-next/approve-promotion", headers=admin)
    assert own.status_code == 403
    rejected = client.post(
        f"{MODELS}/xgb-next/reject-promotion", json={"comment": "Not yet."}, headers=admin
    )
    assert rejected.status_code == 403  # rejecting is a review too: someone else's
    with deps.uow() as uow:
        uow.models.update(a_model_version("xgb-next", pending=ModelStage.CHALLENGER))
        uow.commit()
    approved = client.post(f"{MODELS}/xgb-next/approve-promotion", headers=admin)
    assert (approved.status_code, approved.json()["stage"]) == (200, "challenger")


def test_another_tenants_model_is_not_found(client: Client, champion: str) -> None:
    theirs = auth(Role.ADMIN, OTHER_TENANT)
    for path in (f"{MODELS}/{champion}", f"{MODELS}/{champion}/importance"):
        assert client.get(path, headers=theirs).status_code == 404
    asked = {"target": "retired", "reason": "Old."}
    assert (
        client.post(f"{MODELS}/{champion}/promote", json=asked, headers=theirs).status_code == 404
    )
    assert client.post(f"{MODELS}/xgb-next/approve-promotion", headers=theirs).status_code == 404
    assert client.get(MODELS, headers=theirs).json()["items"] == []


def test_monitoring_runs_on_demand_and_lists_its_reports(client: Client, champion: str) -> None:
    assert client.post(f"{MONITORING}/check", headers=auth(Role.SENIOR_ANALYST)).status_code == 403
    ran = client.post(f"{MONITORING}/check", headers=auth(Role.ADMIN))
    assert ran.status_code == 201, ran.text
    assert (ran.json()["model_version"], ran.json()["quality"]["rows"]) == (champion, 0)
    reports = client.get(f"{MONITORING}/reports", headers=auth(Role.ANALYST)).json()
    assert [report["id"] for report in reports["items"]] == [ran.json()["id"]]
    other = client.get(f"{MONITORING}/reports", headers=auth(Role.ADMIN, OTHER_TENANT))
    assert other.json()["items"] == []

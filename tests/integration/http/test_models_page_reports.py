"""The models page links the evaluation plots the report route serves: the champion's for
everyone who reads analytics, every other version's for those who manage configuration."""

from __future__ import annotations

from typing import Any

import pytest
from attrs import evolve
from litestar.testing import TestClient

from adapters.ml.model import TrainedModel
from domain.credit.model_registry import ModelStage
from domain.identity import Role
from entrypoints.composition import Deps
from tests.builders import a_model_version, a_principal, a_user
from tests.integration.http.support import auth
from tests.integration.queue.conftest import small_model

__all__ = ["small_model"]

Client = TestClient[Any]


@pytest.fixture
def registry(deps: Deps, small_model: TrainedModel) -> str:
    """A champion, a candidate with a report and one trained without; the champion's name."""
    champion = a_model_version(small_model.version, stage=ModelStage.CHAMPION)
    deps.store.put(champion.artifact_key, small_model.to_bytes(), "application/zip")
    with deps.uow() as uow:
        for role in (Role.ADMIN, Role.ANALYST):
            principal = a_principal(role)
            uow.users.add(a_user(id=principal.user_id, email=f"{role.value}@example.com",
                                 role=role))  # fmt: skip
        uow.models.add(champion)
        uow.models.add(a_model_version("xgb-next"))
        uow.models.add(evolve(a_model_version("xgb-bare"), report_key=None))
        uow.commit()
    return champion.version


def _plots(version: str) -> list[str]:
    return [
        f'src="/api/v1/models/{version}/report/{name}"'
        for name in ("roc.png", "calibration.png", "scores.png", "contributions.png")
    ]


def test_an_administrator_sees_the_champions_plots_and_every_other_reports(
    client: Client, registry: str
) -> None:
    page = client.get("/app/models", headers=auth(Role.ADMIN))
    assert page.status_code == 200, page.text
    html = page.text
    assert 'data-testid="champion-report"' in html
    for expected in [*_plots(registry), *_plots("xgb-next")]:
        assert expected in html
    assert f'href="/api/v1/models/{registry}/report/report.html"' in html
    assert 'data-report-of="xgb-next"' in html
    assert 'data-report-of="xgb-bare"' not in html  # nothing to show
    assert f'data-report-of="{registry}"' not in html  # shown once, above
    assert 'alt="ROC curve, out of fold' in html


def test_an_analyst_sees_the_champions_plots_alone(client: Client, registry: str) -> None:
    html = client.get("/app/models", headers=auth(Role.ANALYST)).text
    for expected in _plots(registry):
        assert expected in html
    assert 'data-testid="version-reports"' not in html
    assert "xgb-next" not in html

"""What the second-opinion HTTP tests share: the routes' table, an app whose LLM settings point
at the scripted loopback server, and a way to score an application with the adviser on.

Scoring runs the use case as the scoring actor builds it (`scoring_adviser(deps)`, the real
gateway: openai client, cattrs reader, SQL cache and ledger), with the fake logistic model as
the tenant's champion, so no model has to be trained for a test about the second opinion."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from attrs import evolve

from application.credit.score_application import ScoreApplication
from domain.credit.model_registry import ModelStage
from domain.credit.scoring import ScoringResult
from domain.identity import Permission, Role
from entrypoints.actors.common import worker_principal
from entrypoints.composition import Deps
from entrypoints.llm_settings import LlmSettings
from entrypoints.second_opinion_wiring import scoring_adviser
from tests.builders import OTHER_TENANT, TENANT, a_model_version
from tests.integration.http.support import auth, form_json, sqlite_deps
from tests.services.openai_server import MODEL, OpenAiServer
from tests.unit.application.helpers import DESK_CHAMPION, OneModelLoader, scorer_giving

APPS = "/api/v1/applications"
OPINIONS = f"{APPS}/{{application_id:str}}/second-opinions"
#: Every route of `second_opinion_routes`: (method, path as Litestar names it, permission).
ROUTES: list[tuple[str, str, Permission]] = [
    ("GET", OPINIONS, Permission.APPLICATION_VIEW),
    ("POST", OPINIONS, Permission.DECISION_CREATE),
]
ROUTE_KEYS = frozenset((method, path) for method, path, _permission in ROUTES)


def opinion_json(
    suggested: str = "approve", risk: str = "low", confidence: float = 0.8
) -> dict[str, Any]:
    return {
        "suggested_outcome": suggested,
        "risk_level": risk,
        "key_factors": [
            {"name": "Debt to income", "evidence": "0.22 of income goes to debt payments"},
            {"name": "Savings", "evidence": "Savings cover half of the loan"},
        ],
        "confidence": confidence,
    }


def llm_deps(database: Path, server: OpenAiServer | None) -> Deps:
    """`sqlite_deps` with LLM use pointed at `server` (off with None), each tenant a champion."""
    deps = sqlite_deps(database)
    llm = (
        LlmSettings()
        if server is None
        else LlmSettings(
            base_url=server.base_url,
            model=MODEL,
            api_key="test-key",
            timeout=2.0,
            max_retries=0,
        )
    )
    deps = evolve(deps, settings=evolve(deps.settings, llm=llm))
    with deps.uow() as uow:
        for tenant_id in (TENANT, OTHER_TENANT):
            uow.models.add(
                a_model_version(DESK_CHAMPION, tenant_id=tenant_id, stage=ModelStage.CHAMPION)
            )
        uow.commit()
    return deps


def submit(client: Any, external_id: str, tenant_id: str = TENANT) -> str:
    response = client.post(APPS, json=form_json(external_id), headers=auth(Role.ADMIN, tenant_id))
    assert response.status_code == 201, response.text
    identifier: str = response.json()["id"]
    return identifier


def score(deps: Deps, application_id: str, pd: float, tenant_id: str = TENANT) -> ScoringResult:
    """Score as the actor does, the fake model giving `pd` (0.01 approves, 0.30 declines)."""
    use_case = ScoreApplication(
        deps.uow(),
        deps.clock,
        deps.ids,
        OneModelLoader(scorer_giving(pd)),
        adviser=scoring_adviser(deps),
    )
    return use_case(worker_principal(tenant_id), application_id)

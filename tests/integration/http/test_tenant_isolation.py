"""Another tenant's object answers 404, never 403 nor 2xx: its existence does not leak.

Every route of the app whose path takes a parameter is found by walking `app.routes`, so a new
route is covered as soon as it exists, or fails `test_every_id_taking_route_has_ids_to_try`
until it is given a record to try (or is listed in `NOT_TENANT_OWNED`). Hypothesis then draws a
route and a calling tenant; each example runs against a fresh database holding both tenants,
each with a record of every kind, so a call that changes its own tenant's record cannot spoil
the next example. The admin of one tenant (every permission) asks for the other tenant's id and
must get problem+json 404; the same call with its own tenant's id must not answer 404, so the
test cannot pass merely because the ids are wrong. The routes times the two tenants are few
enough that Hypothesis tries every pair before `max_examples` runs out.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar import Litestar
from litestar.testing import TestClient

from adapters.ml.model import TrainedModel
from application.credit.api_keys import CreateApiKey
from application.credit.dead_jobs import FailedJob, RecordDeadJob
from application.credit.upload_batch import UploadBatch
from application.credit.webhooks import RegisterWebhook
from domain.credit.model_registry import ModelStage
from domain.credit.queue import QueueStatus
from domain.identity import Role
from entrypoints.composition import Deps
from entrypoints.http.app import create_app
from tests.builders import OTHER_TENANT, TENANT, a_model_version, a_principal
from tests.integration.http import case_actions, casework, portfolio, testgen
from tests.integration.http.auth_support import auth_deps, bearer, login
from tests.integration.http.exports import seed_export
from tests.integration.http.test_route_guards import handlers
from tests.integration.queue.conftest import small_model
from tests.notification_builders import an_inbox_message

__all__ = ["small_model"]

Client = TestClient[Any]
TENANTS = (TENANT, OTHER_TENANT)
#: Routes whose parameter names no tenant's record (the documentation's own files).
NOT_TENANT_OWNED = {"/schema/{path:str}", "/static/{file_path:path}"}
#: The threshold version each tenant proposes: distinct, so one tenant's is not the other's.
PROPOSED_VERSION = {TENANT: 2, OTHER_TENANT: 3}
PARAMETER = re.compile(r"\{(\w+):\w+\}")
#: The bodies the routes need to get past validation to the lookup.
BODIES: dict[tuple[str, str], Any] = {
    (method, path): body
    for method, path, body, _ in [
        *casework.ROUTES,
        *portfolio.ROUTES,
        *case_actions.ROUTES,
        *testgen.ROUTES,
    ]
} | {
    ("PATCH", "/api/v1/applications/{application_id:str}"): {"attributes": {}},
    ("PATCH", "/api/v1/admin/users/{user_id:str}"): {"display_name": "Renamed"},
}
#: The actions whose one parameter names a different record each (`/queue/{entry_id}/start`).
ACTIONS = ("assign", "start", "release", "promote", "approve-promotion", "reject-promotion")
#: The case actions, each on a case of its own held by the admin (the flagged one is cleared).
CASE_ACTIONS = ("help", "flag", "attention")


def seed(deps: Deps, model: TrainedModel, tenant_id: str) -> dict[str, str]:
    """A record of every kind an id-taking route reads, for `tenant_id`; its ids by parameter
    name (and by action where one parameter names different records)."""
    admin = a_principal(Role.ADMIN, user_id=f"{tenant_id}-admin", tenant_id=tenant_id)
    casework.store_case(deps, f"{tenant_id}-assign", tenant_id=tenant_id)
    for held in (f"{tenant_id}-start", f"{tenant_id}-release"):
        casework.store_case(
            deps, held, tenant_id=tenant_id, status=QueueStatus.ASSIGNED, analyst_id=admin.user_id
        )
    casework.store_case(
        deps, f"{tenant_id}-decide", tenant_id=tenant_id, status=QueueStatus.IN_PROGRESS,
        analyst_id=admin.user_id, score=casework.IN_THE_REVIEW_BAND,
    )  # fmt: skip
    for action in CASE_ACTIONS:
        case_actions.store_held_case(
            deps, f"{tenant_id}-{action}", admin.user_id, tenant_id=tenant_id,
            flagged=action == "flag",
        )  # fmt: skip
    casework.store_decision(
        deps, casework.awaiting_override(f"{tenant_id}-override", tenant_id=tenant_id)
    )
    casework.store_decision(
        deps, casework.conditional_approval(f"{tenant_id}-cond", tenant_id=tenant_id)
    )
    casework.store_proposal(deps, PROPOSED_VERSION[tenant_id], tenant_id=tenant_id)
    batch = UploadBatch(deps.uow(), deps.store, deps.clock, deps.ids)(admin, [portfolio.CSV_FILE])
    hook = RegisterWebhook(deps.uow(), deps.clock, deps.ids)(
        admin, portfolio.HOOK["url"], portfolio.HOOK["secret"]
    )
    RecordDeadJob(deps.uow(), deps.clock)(
        FailedJob(f"{tenant_id}-job", "application.score", {"tenant_id": tenant_id}, "Boom", 5)
    )
    key = CreateApiKey(deps.uow(), deps.clock, deps.ids, deps.secrets)(admin, "reporting").key
    export_id = seed_export(deps, tenant_id)
    viewed = a_model_version(f"{tenant_id}-view", tenant_id=tenant_id)
    deps.store.put(viewed.artifact_key, model.to_bytes(), "application/zip")
    portfolio.store_report_plot(deps, viewed)
    with deps.uow() as uow:
        uow.inbox.add(
            an_inbox_message(f"{tenant_id}-message", tenant_id=tenant_id, user_id=admin.user_id)
        )
        uow.models.add(viewed)
        uow.models.add(a_model_version(f"{tenant_id}-promote", tenant_id=tenant_id))
        for action in ("approve-promotion", "reject-promotion"):
            uow.models.add(
                a_model_version(
                    f"{tenant_id}-{action}", tenant_id=tenant_id, pending=ModelStage.CHALLENGER
                )
            )
        uow.commit()
    return {
        "application_id": f"app-{tenant_id}-decide",
        "decision_id": f"{tenant_id}-override",
        "conditions": f"{tenant_id}-cond",
        "condition_index": "0",
        "version:int": str(PROPOSED_VERSION[tenant_id]),
        "version": f"{tenant_id}-view",
        "batch_id": batch.batch.id,
        "endpoint_id": hook.id,
        "job_id": f"{tenant_id}-job",
        "message_id": f"{tenant_id}-message",
        "key_id": key.id,
        "user_id": f"{tenant_id}-analyst",
        "export_id": export_id,
        "name": portfolio.REPORT_PLOT,
        **testgen.seed(deps, tenant_id),  # suite_id, case_id
        **{action: f"{tenant_id}-{action}" for action in ACTIONS + CASE_ACTIONS},
    }


def id_for(path: str, name: str, kind: str, ids: dict[str, str]) -> str | None:
    """The seeded id for parameter `name` of `path`, or None when none was seeded."""
    action = path.rsplit("/", 1)[1]
    if name in {"entry_id", "version"} and kind == "str" and action in ids:
        return ids[action]
    if name == "decision_id" and "/conditions/" in path:
        return ids["conditions"]
    return ids.get(f"{name}:{kind}", ids.get(name))


def concrete(path: str, ids: dict[str, str]) -> str | None:
    """`path` with every parameter replaced by a seeded id, or None if one has none."""
    for name, kind in re.findall(r"\{(\w+):(\w+)\}", path):
        value = id_for(path, name, kind, ids)
        if value is None:
            return None
        path = path.replace(f"{{{name}:{kind}}}", value)
    return path


def id_taking_routes(app: Litestar) -> list[tuple[str, str]]:
    return sorted(
        (method, path)
        for path, handler in handlers(app)
        if PARAMETER.search(path) and path not in NOT_TENANT_OWNED
        for method in handler.http_methods - {"OPTIONS", "HEAD"}
    )


@contextmanager
def two_tenants(template: Path, folder: Path, model: TrainedModel) -> Iterator[tuple[Any, ...]]:
    """A fresh app over both seeded tenants, a client, each tenant's ids and admin headers."""
    database = folder / "creditdesk.db"
    shutil.copyfile(template, database)
    deps = auth_deps(database)
    try:
        ids = {tenant_id: seed(deps, model, tenant_id) for tenant_id in TENANTS}
        with TestClient(create_app(deps)) as client:
            headers = {t: bearer(login(client, Role.ADMIN, t)) for t in TENANTS}
            yield client, ids, headers
    finally:
        deps.close()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def routes(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    database = tmp_path_factory.mktemp("routes") / "creditdesk.db"
    shutil.copyfile(sqlite_template, database)
    deps = auth_deps(database)
    try:
        return list(id_taking_routes(create_app(deps)))
    finally:
        deps.close()


def test_every_id_taking_route_has_ids_to_try(
    routes: list[tuple[str, str]],
    sqlite_template: Path,
    tmp_path_factory: pytest.TempPathFactory,
    small_model: TrainedModel,
) -> None:
    with two_tenants(sqlite_template, tmp_path_factory.mktemp("ids"), small_model) as world:
        _client, ids, _headers = world
    missing = [f"{m} {p}" for m, p in routes if concrete(p, ids[OTHER_TENANT]) is None]
    assert missing == [], (
        f"no record of another tenant to try on {missing}: seed one in `seed` of "
        "test_tenant_isolation.py, or list the route in NOT_TENANT_OWNED if no tenant owns it"
    )
    assert len(routes) >= 20


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_another_tenants_ids_are_not_found_never_forbidden(
    data: st.DataObject,
    routes: list[tuple[str, str]],
    sqlite_template: Path,
    tmp_path_factory: pytest.TempPathFactory,
    small_model: TrainedModel,
) -> None:
    method, path = data.draw(st.sampled_from(routes), label="route")
    caller = data.draw(st.sampled_from(TENANTS), label="calling tenant")
    owner = OTHER_TENANT if caller == TENANT else TENANT
    with two_tenants(sqlite_template, tmp_path_factory.mktemp("iso"), small_model) as world:
        client, ids, headers = world
        body = BODIES.get((method, path))
        kwargs: dict[str, Any] = portfolio.call_kwargs(body)
        sent = {**headers[caller], **kwargs.pop("headers", {})}
        theirs = concrete(path, ids[owner])
        assert theirs is not None, f"{method} {path} has no id of another tenant to try"
        response = client.request(method, theirs, headers=sent, **kwargs)
        assert response.status_code == 404, f"{method} {theirs}: {response.text}"
        # The workbench's pages answer a page saying so; the API, problem+json.
        expected = "text/html" if path.startswith("/app/") else "application/problem+json"
        assert response.headers["content-type"].startswith(expected)
        own = client.request(method, str(concrete(path, ids[caller])), headers=sent, **kwargs)
        assert own.status_code != 404, f"{method} {path} finds nothing of its own: {own.text}"

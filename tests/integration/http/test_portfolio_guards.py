"""Each role reaches exactly the batch, notification, webhook, dead-job, model and monitoring
routes its permissions allow, and an id of another tenant answers 404 on every route taking one."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from adapters.ml.model import TrainedModel
from domain.identity import Permission, Role, can
from entrypoints.composition import Deps
from tests.builders import OTHER_TENANT, TENANT, a_principal
from tests.integration.http.portfolio import ROUTES, call_kwargs, concrete, seed
from tests.integration.http.support import assert_allowed_or_refused, assert_not_found, auth
from tests.integration.queue.conftest import small_model

__all__ = ["small_model"]

Client = TestClient[Any]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("method", "path", "body", "permission"), ROUTES)
def test_each_role_is_allowed_or_refused_as_its_permissions_say(
    deps: Deps,
    client: Client,
    small_model: TrainedModel,
    role: Role,
    method: str,
    path: str,
    body: Any,
    permission: Permission,
) -> None:
    ids = seed(deps, small_model, role, TENANT)
    kwargs = call_kwargs(body)
    headers = {**auth(role), **kwargs.pop("headers", {})}
    response = client.request(method, concrete(path, ids), headers=headers, **kwargs)
    assert_allowed_or_refused(response, can(a_principal(role), permission))


ID_TAKING = [route for route in ROUTES if "{" in route[1]]


@pytest.mark.parametrize(("method", "path", "body", "permission"), ID_TAKING)
def test_another_tenants_ids_are_not_found(
    deps: Deps,
    client: Client,
    small_model: TrainedModel,
    method: str,
    path: str,
    body: Any,
    permission: Permission,
) -> None:
    ids = seed(deps, small_model, Role.ADMIN, OTHER_TENANT)
    kwargs = call_kwargs(body)
    headers = {**auth(Role.ADMIN), **kwargs.pop("headers", {})}
    response = client.request(method, concrete(path, ids), headers=headers, **kwargs)
    assert_not_found(response)


def test_nothing_of_another_tenant_is_listed(
    deps: Deps, client: Client, small_model: TrainedModel
) -> None:
    seed(deps, small_model, Role.ADMIN, OTHER_TENANT)
    headers = auth(Role.ADMIN)
    for path in ("/api/v1/batches", "/api/v1/notifications", "/api/v1/webhooks",
                 "/api/v1/jobs/dead", "/api/v1/models", "/api/v1/monitoring/reports"):  # fmt: skip
        assert client.get(path, headers=headers).json()["items"] == [], path

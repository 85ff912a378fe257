"""Every route declares its permission, and each role reaches exactly the routes it may."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar, get
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute
from litestar.testing import TestClient

from domain.identity import Permission, Role, can
from entrypoints.composition import Deps
from entrypoints.http.app import create_app
from entrypoints.http.auth import PUBLIC, is_authenticated_only, is_public, route_permission
from tests.builders import OTHER_TENANT, a_principal
from tests.integration.http.admin_audit import ROUTE_KEYS as ADMIN_AUDIT_ROUTES
from tests.integration.http.analytics import ROUTE_KEYS as ANALYTICS_ROUTES
from tests.integration.http.auth_support import AUTH_GUARDED
from tests.integration.http.case_actions import ROUTE_KEYS as CASE_ACTION_ROUTES
from tests.integration.http.casework import ROUTE_KEYS as CASEWORK_ROUTES
from tests.integration.http.exports import ROUTE_KEYS as EXPORT_ROUTES
from tests.integration.http.portfolio import ROUTE_KEYS as PORTFOLIO_ROUTES
from tests.integration.http.second_opinions import ROUTE_KEYS as SECOND_OPINION_ROUTES
from tests.integration.http.support import app_for, assert_allowed_or_refused, auth, form_json
from tests.integration.http.testgen import ROUTE_KEYS as TESTGEN_ROUTES
from tests.integration.http.testgen import WEBHOOK as TESTGEN_WEBHOOK

Client = TestClient[Any]
APPS = "/api/v1/applications"
#: The routes anyone may call; every other route must name a permission.
PUBLIC_ROUTES = (
    {"/health", "/ready", "/metrics", "/schema", "/schema/openapi.json"}
    | {
        "/api/v1/auth/login",
        "/api/v1/auth/refresh",
        TESTGEN_WEBHOOK,  # signed with the tenant's secret instead of a credential
    }
    | {  # the workbench's way in: its root, login page and form, renewal, and its assets
        "/",
        "/login",
        "/app/session/refresh",
        "/static/{file_path:path}",
    }
)
PUBLIC_PREFIXES = ("/schema/",)


def handlers(app: Litestar) -> list[tuple[str, HTTPRouteHandler]]:
    """Every route handler of the app but the OPTIONS ones Litestar adds for CORS."""
    found = []
    for route in app.routes:
        assert isinstance(route, HTTPRoute), f"{route.path} is not an HTTP route"
        for handler in route.route_handlers:
            if isinstance(handler, HTTPRouteHandler) and handler.http_methods != {"OPTIONS"}:
                found.append((route.path, handler))
    return found


def unguarded(app: Litestar) -> list[str]:
    """The routes that neither declare a permission guard nor are listed (and marked) public."""
    wrong = []
    for path, handler in handlers(app):
        if path in PUBLIC_ROUTES or path.startswith(PUBLIC_PREFIXES):
            if not is_public(handler):
                wrong.append(f"{path} is listed public but not marked so")
        elif is_public(handler) or not (
            route_permission(handler) is not None or is_authenticated_only(handler)
        ):
            wrong.append(f"{path} {sorted(handler.http_methods)} has no permission guard")
    return wrong


def test_every_route_is_guarded_unless_it_is_listed_public(deps: Deps) -> None:
    app = app_for(deps)
    assert len(handlers(app)) >= 8
    assert unguarded(app) == []


def test_a_route_without_a_guard_is_caught(deps: Deps) -> None:
    @get("/api/v1/forgotten", sync_to_thread=False)
    def forgotten() -> None: ...

    @get("/health/deep", opt=PUBLIC, sync_to_thread=False)
    def unlisted() -> None: ...

    app = create_app(deps, extra_routes=[forgotten, unlisted])
    assert len(unguarded(app)) == 2


#: (method, path, sends a form, the permission it requires).
MATRIX = [
    ("POST", APPS, True, Permission.APPLICATION_CREATE),
    ("GET", APPS, False, Permission.APPLICATION_VIEW),
    ("GET", f"{APPS}/{{id}}", False, Permission.APPLICATION_VIEW),
    ("PATCH", f"{APPS}/{{id}}", True, Permission.APPLICATION_CREATE),
    ("DELETE", f"{APPS}/{{id}}", False, Permission.APPLICATION_CREATE),
]


def test_the_matrix_covers_every_guarded_route(deps: Deps) -> None:
    guarded = {
        (method, path.replace("{application_id:str}", "{id}").replace("{key_id:str}", "{id}"))
        for path, handler in handlers(app_for(deps))
        if route_permission(handler) is not None
        for method in handler.http_methods
    }
    # The queue, decision and threshold routes have their own matrix (test_casework_guards).
    casework = {(m, p.replace("{application_id:str}", "{id}")) for m, p in CASEWORK_ROUTES}
    assert casework <= guarded
    guarded -= casework
    # Batches, notifications, webhooks, dead jobs, models: their own (test_portfolio_guards).
    assert guarded >= PORTFOLIO_ROUTES
    guarded -= PORTFOLIO_ROUTES
    # Users, roles, the tenant and the audit trail: their own (test_admin_audit_guards).
    assert guarded >= ADMIN_AUDIT_ROUTES
    guarded -= ADMIN_AUDIT_ROUTES
    # The analytics reports: their own (test_analytics_routes).
    assert guarded >= ANALYTICS_ROUTES
    guarded -= ANALYTICS_ROUTES
    # Exports: their own (test_export_guards).
    assert guarded >= EXPORT_ROUTES
    guarded -= EXPORT_ROUTES
    # Help requests and flags on a case: their own (test_case_action_routes).
    assert guarded >= CASE_ACTION_ROUTES
    guarded -= CASE_ACTION_ROUTES
    # Second opinions on an application: their own (test_second_opinion_routes).
    opinions = {(m, p.replace("{application_id:str}", "{id}")) for m, p in SECOND_OPINION_ROUTES}
    assert guarded >= opinions
    guarded -= opinions
    # Test generation's suites: their own (test_testgen_guards).
    assert guarded >= TESTGEN_ROUTES
    guarded -= TESTGEN_ROUTES
    # The workbench's pages: their own, found by walking the routes (test_page_guards).
    guarded -= {(method, path) for method, path in guarded if path.startswith("/app/")}
    assert guarded == {(method, path) for method, path, _, _ in MATRIX} | AUTH_GUARDED


def _submit(client: Client, external_id: str, tenant_id: str | None = None) -> str:
    headers = auth(Role.ADMIN) if tenant_id is None else auth(Role.ADMIN, tenant_id)
    response = client.post(APPS, json=form_json(external_id), headers=headers)
    assert response.status_code == 201, response.text
    identifier: str = response.json()["id"]
    return identifier


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("method", "path", "sends_form", "permission"), MATRIX)
def test_each_role_is_allowed_or_refused_as_its_permissions_say(
    client: Client,
    role: Role,
    method: str,
    path: str,
    sends_form: bool,
    permission: Permission,
) -> None:
    application_id = _submit(client, f"M-{role.value}")
    kwargs: dict[str, Any] = {"headers": auth(role)}
    if sends_form:
        kwargs["json"] = form_json(f"M-{role.value}") if method == "POST" else {"attributes": {}}
    response = client.request(method, path.replace("{id}", application_id), **kwargs)
    assert_allowed_or_refused(response, can(a_principal(role), permission))


@pytest.mark.parametrize(("method", "path", "sends_form", "permission"), MATRIX[2:])
def test_another_tenants_application_is_not_found_never_forbidden(
    client: Client, method: str, path: str, sends_form: bool, permission: Permission
) -> None:
    theirs = _submit(client, "THEIRS", OTHER_TENANT)
    kwargs: dict[str, Any] = {"headers": auth(Role.ADMIN)}
    if sends_form:
        kwargs["json"] = {"attributes": {}}
    response = client.request(method, path.replace("{id}", theirs), **kwargs)
    assert response.status_code == 404, response.text
    listed = client.get(APPS, headers=auth(Role.ADMIN)).json()
    assert theirs not in {item["application"]["id"] for item in listed["items"]}

"""What the HTTP tests share: an authenticator that knows test tokens, and the app over SQLite.

Each token names a principal: `token_for(role)` is a person of that role in the first tenant,
`token_for(role, OTHER_TENANT)` one in the second. Anything else is refused as an invalid token,
exactly as the real authenticator refuses a forged one.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import httpx
from attrs import evolve
from litestar import Litestar

from adapters.serialization import unstructure
from application.ports import InvalidToken
from domain.identity import Principal, Role
from entrypoints.composition import Deps, build
from entrypoints.http.app import create_app
from entrypoints.http.settings import HttpSettings
from entrypoints.settings import Settings
from tests.builders import OTHER_TENANT, TENANT, a_principal, a_tenant, an_application_form
from tests.fakes import FixedClock, SequentialIds


def token_for(role: Role, tenant_id: str = TENANT) -> str:
    return f"test-token:{tenant_id}:{role.value}"


class TokenTableAuthenticator:
    """Maps the tokens of `token_for` to their principals; refuses every other credential."""

    def authenticate(self, credential: str, now: datetime) -> Principal:
        kind, _, rest = credential.partition(":")
        tenant_id, _, role = rest.partition(":")
        if kind != "test-token" or tenant_id not in {TENANT, OTHER_TENANT}:
            raise InvalidToken("unknown test token")
        try:
            return a_principal(Role(role), tenant_id=tenant_id)
        except ValueError:
            raise InvalidToken("unknown test token") from None


def auth(role: Role, tenant_id: str = TENANT) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(role, tenant_id)}"}


def sqlite_deps(database: Path, http: HttpSettings | None = None) -> Deps:
    """Deps over a migrated SQLite file holding both test tenants, on a fixed clock."""
    settings = Settings(
        data_dir=database.parent,
        database_url=f"sqlite:///{database}",
        http=http or HttpSettings(),
    )
    deps = evolve(build(settings, migrate=False), clock=FixedClock(), ids=SequentialIds("app-"))
    with deps.uow() as uow:
        for tenant_id in (TENANT, OTHER_TENANT):
            uow.tenants.add(a_tenant(id=tenant_id, slug=tenant_id))
        uow.commit()
    return deps


def app_for(deps: Deps) -> Litestar:
    return create_app(deps, authenticator=TokenTableAuthenticator())


def form_json(external_id: str = "LND-2026-000123") -> dict[str, object]:
    body: dict[str, object] = unstructure(an_application_form(external_id=external_id))
    return body


def assert_allowed_or_refused(response: httpx.Response, allowed: bool) -> None:
    """The authorization matrix's verdict: a 2xx when the role may, else 403 problem+json."""
    if allowed:
        assert 200 <= response.status_code < 300, response.text
    else:
        assert response.status_code == 403, response.text
        assert response.headers["content-type"] == "application/problem+json"


def assert_not_found(response: httpx.Response) -> None:
    """Another tenant's id: 404 problem+json, never 403 (which would say it exists)."""
    assert response.status_code == 404, response.text
    assert response.headers["content-type"] == "application/problem+json"

"""Who is calling, and whether the route lets them: every route declares its permission.

A route is guarded by `requires(Permission.X)`, or by `authenticated()` when any caller may use
it whatever the role (who am I, log out), or opts out with `PUBLIC` (health, readiness,
metrics, login, refresh, docs); the route-enumeration test refuses any route that does none. The
guard turns the credential (`Authorization: Bearer ...`, `X-API-Key`, or the browser session's
cookie, `entrypoints.http.cookies`) into a `Principal` through an `Authenticator`, keeps it
on the request for the `principal` dependency, and checks the permission. The tenant comes
from the credential alone, never from the request.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

import anyio.to_thread
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler
from litestar.openapi.spec import SecurityScheme
from litestar.params import SkipValidation

from application.ports import Clock
from domain.identity import Permission, Principal, authorize
from entrypoints.composition import Deps
from entrypoints.http.cookies import cookie_credential
from entrypoints.http.limits import RATE_LIMIT_OPT
from entrypoints.http.openapi_docs import GUARDED_PROBLEMS, problem_responses
from entrypoints.http.query_rules import refuse_lenient_query

#: The route opt key naming a route's permission, and the one marking it public.
PERMISSION_OPT = "permission"
PUBLIC_OPT = "public"
PUBLIC: dict[str, Any] = {PUBLIC_OPT: True}
#: The route opt key marking a route open to every authenticated caller, whatever the role.
AUTHENTICATED_OPT = "authenticated"
_PRINCIPAL = "creditdesk.principal"
#: The OpenAPI security schemes a guarded route accepts, and their requirement (either one).
SECURITY_SCHEMES = {
    "bearer": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT"),
    "apiKey": SecurityScheme(type="apiKey", name="X-API-Key", security_scheme_in="header"),
}
SECURITY: list[dict[str, list[str]]] = [{"bearer": []}, {"apiKey": []}]

#: Handler parameter types for the two dependencies every route may ask for; validation is
#: skipped because they are built by the app, not parsed from the request.
CurrentPrincipal = NamedDependency[SkipValidation[Principal]]
AppDeps = NamedDependency[SkipValidation[Deps]]


class Authenticator(Protocol):
    """Turns a presented credential (a bearer token or an API key) into the acting principal."""

    def authenticate(self, credential: str, now: datetime) -> Principal:
        """The principal the credential stands for at `now`; raises `InvalidToken` or
        `Unauthenticated` otherwise (malformed, unknown, revoked, expired: one error for all)."""
        ...


def credential_of(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The bearer token or API key the request presents, if any; else the browser session's
    access token, on the CSRF rule of `cookies.cookie_credential`."""
    scheme, _, token = connection.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    if "Authorization" in connection.headers or "X-API-Key" in connection.headers:
        return connection.headers.get("X-API-Key", "").strip() or None
    return cookie_credential(connection)


class PermissionGuard:
    """A Litestar guard: authenticate, then require one permission (None: any caller)."""

    def __init__(self, permission: Permission | None) -> None:
        self.permission = permission

    async def __call__(
        self, connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler
    ) -> None:
        credential = credential_of(connection)
        if credential is None:
            raise NotAuthorizedException("no credential")
        authenticator: Authenticator = connection.app.state["authenticator"]
        clock: Clock = connection.app.state["clock"]
        principal = await anyio.to_thread.run_sync(
            authenticator.authenticate, credential, clock.now()
        )
        connection.scope[_PRINCIPAL] = principal  # type: ignore[literal-required]
        if self.permission is not None:
            authorize(principal, self.permission)

    def __repr__(self) -> str:
        return "authenticated()" if self.permission is None else f"requires({self.permission})"


def requires(permission: Permission, **opt: Any) -> dict[str, Any]:
    """Route keyword arguments declaring `permission` (and any other `opt`):
    `@get(..., **requires(P.X))`. The route documents the problem statuses every guarded route
    may answer (429 too when it is rate limited), and reads its query strictly
    (`query_rules`)."""
    return {
        "guards": [PermissionGuard(permission)],
        "opt": {**opt, PERMISSION_OPT: permission},
        "security": SECURITY,
        "description": f"Requires the permission `{permission.value}`.",
        "responses": _guarded_responses(opt),
        "before_request": refuse_lenient_query,
    }


def authenticated(**opt: Any) -> dict[str, Any]:
    """Route keyword arguments for a route any authenticated caller may use, whatever their
    role (who am I, log out): `@get(..., **authenticated())`."""
    return {
        "guards": [PermissionGuard(None)],
        "opt": {**opt, AUTHENTICATED_OPT: True},
        "security": SECURITY,
        "description": "Requires any valid credential.",
        "responses": _guarded_responses(opt, forbidden=False),
        "before_request": refuse_lenient_query,
    }


def _guarded_responses(opt: dict[str, Any], *, forbidden: bool = True) -> dict[int, Any]:
    """The problems a guarded route declares; 403 only where a permission can be lacking
    (a route open to every authenticated caller never answers it)."""
    limited = (429,) if opt.get(RATE_LIMIT_OPT) else ()
    statuses = (s for s in GUARDED_PROBLEMS if forbidden or s != 403)
    return problem_responses(*statuses, *limited)


def provide_principal(request: Request[Any, Any, Any]) -> Principal:
    """The `principal` dependency: who the route's guard authenticated."""
    principal = request.scope.get(_PRINCIPAL)
    if not isinstance(principal, Principal):  # a public route asked for a principal: a defect
        raise RuntimeError("the route has no permission guard")
    return principal


def route_permission(handler: BaseRouteHandler) -> Permission | None:
    """The permission a route handler declares and enforces, or None."""
    guarded = any(isinstance(guard, PermissionGuard) for guard in handler.guards or ())
    permission = handler.opt.get(PERMISSION_OPT)
    return permission if guarded and isinstance(permission, Permission) else None


def is_authenticated_only(handler: BaseRouteHandler) -> bool:
    """Whether the route is guarded and open to every authenticated caller."""
    guarded = any(
        isinstance(guard, PermissionGuard) and guard.permission is None
        for guard in handler.guards or ()
    )
    return guarded and handler.opt.get(AUTHENTICATED_OPT) is True


def is_public(handler: BaseRouteHandler) -> bool:
    return handler.opt.get(PUBLIC_OPT) is True

"""Who is calling, and whether the route lets them: every route declares its permission.

A route is guarded by `requires(Permission.X)`, or opts out with `PUBLIC` (health, readiness,
metrics, login, docs); the route-enumeration test refuses any route that does neither. The
guard turns the credential (`Authorization: Bearer ...` or `X-API-Key`) into a `Principal`
through an `Authenticator`, keeps it on the request for the `principal` dependency, and checks
the permission. The tenant comes from the credential alone, never from the request.
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

from application.ports import Clock, InvalidToken
from domain.identity import Permission, Principal, authorize
from entrypoints.composition import Deps

#: The route opt key naming a route's permission, and the one marking it public.
PERMISSION_OPT = "permission"
PUBLIC_OPT = "public"
PUBLIC: dict[str, Any] = {PUBLIC_OPT: True}
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
        """The principal the credential stands for at `now`; raises `InvalidToken` otherwise
        (malformed, unknown, revoked, expired: one error for all)."""
        ...


class RefuseEveryone:
    """The authenticator of an app given none: every guarded route answers 401."""

    def authenticate(self, credential: str, now: datetime) -> Principal:
        raise InvalidToken("no authenticator is configured")


def credential_of(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The bearer token or API key the request presents, if any."""
    scheme, _, token = connection.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return connection.headers.get("X-API-Key", "").strip() or None


class PermissionGuard:
    """A Litestar guard: authenticate, then require one permission."""

    def __init__(self, permission: Permission) -> None:
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
        authorize(principal, self.permission)

    def __repr__(self) -> str:
        return f"requires({self.permission.value})"


def requires(permission: Permission, **opt: Any) -> dict[str, Any]:
    """Route keyword arguments declaring `permission` (and any other `opt`):
    `@get(..., **requires(P.X))`."""
    return {
        "guards": [PermissionGuard(permission)],
        "opt": {**opt, PERMISSION_OPT: permission},
        "security": SECURITY,
        "description": f"Requires the permission `{permission.value}`.",
    }


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


def is_public(handler: BaseRouteHandler) -> bool:
    return handler.opt.get(PUBLIC_OPT) is True

"""`/api/v1/auth`: log in, refresh, log out, and who am I.

Login and refresh are public (they are how a credential is had); login is rate limited per
client, against password guessing. Every refusal is the same 401, whatever was wrong (an
unknown email, a wrong password, a used refresh token), so the answers tell nothing about
which accounts exist. Logging out ends the access token it is called with (denylisted until
it expires) and, when the body names it, the session's refresh-token family.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import JSONBody

from adapters.serialization import unstructure
from application.credit.auth import Login, Logout, Refresh, TokenPair
from application.credit.authenticate import Authenticated, Me
from entrypoints.http.auth import (
    PUBLIC,
    AppDeps,
    CurrentPrincipal,
    authenticated,
    credential_of,
)
from entrypoints.http.authentication import UseCaseAuthenticator
from entrypoints.http.limits import RATE_LIMIT_OPT
from entrypoints.http.openapi_docs import problem_responses

BASE = "/api/v1/auth"


@dataclass(frozen=True)
class LoginRequest:
    email: str
    password: str
    #: The tenant's slug; needed only by someone with accounts at two lenders.
    tenant: str | None = None


@dataclass(frozen=True)
class RefreshRequest:
    refresh_token: str


@dataclass(frozen=True)
class LogoutRequest:
    #: The session's refresh token, to end the session itself and not only this access token.
    refresh_token: str | None = None


def token_response(pair: TokenPair, deps: AppDeps) -> dict[str, Any]:
    """The OAuth 2.0 token response shape (RFC 6749 section 5.1)."""
    lifetime = deps.settings.auth.lifetimes.access
    return {
        "access_token": pair.access_token,
        "refresh_token": pair.refresh_token,
        "token_type": "bearer",
        "expires_in": int(lifetime.total_seconds()),
        "refresh_expires_at": pair.refresh_expires_at.isoformat(),
    }


class AuthController(Controller):
    """Sessions; a controller, so each app gets its own copy of the handlers."""

    path = BASE
    tags = ["auth"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @post("/login", summary="Log in with an email and a password", operation_id="login",
          status_code=200, sync_to_thread=True, responses=problem_responses(400, 401, 422, 429),
          opt={**PUBLIC, RATE_LIMIT_OPT: "login"})  # fmt: skip
    def login(self, deps: AppDeps, data: JSONBody[LoginRequest]) -> dict[str, Any]:
        """An access token and a refresh token; 401 for any wrong or unknown login."""
        login = Login(
            deps.uow(), deps.clock, deps.ids, deps.tokens, deps.secrets,
            lifetimes=deps.settings.auth.lifetimes, hasher=deps.hasher,
        )  # fmt: skip
        return token_response(login(data.email, data.password, data.tenant), deps)

    @post("/refresh", summary="Trade a refresh token for a new pair", operation_id="refresh",
          status_code=200, sync_to_thread=True, opt=PUBLIC,
          responses=problem_responses(400, 401, 422))  # fmt: skip
    def refresh(self, deps: AppDeps, data: JSONBody[RefreshRequest]) -> dict[str, Any]:
        """The refresh token is used up; presenting it again ends its whole session."""
        refresh = Refresh(
            deps.uow(), deps.clock, deps.ids, deps.tokens, deps.secrets,
            lifetimes=deps.settings.auth.lifetimes,
        )  # fmt: skip
        return token_response(refresh(data.refresh_token), deps)

    @post("/logout", summary="End this access token (and the session)", operation_id="logout",
          status_code=204, sync_to_thread=True, **authenticated())  # fmt: skip
    def logout(
        self,
        deps: AppDeps,
        principal: CurrentPrincipal,
        request: Request[Any, Any, Any],
        data: JSONBody[LogoutRequest | None] = None,
    ) -> None:
        authenticator = request.app.state["authenticator"]
        credential = credential_of(request)
        session = (
            authenticator.session(credential, deps.clock.now())
            if isinstance(authenticator, UseCaseAuthenticator) and credential is not None
            else Authenticated(principal)  # an authenticator that knows no token ids
        )
        logout = Logout(deps.uow(), deps.clock, deps.ids, deps.tokens, deps.secrets)
        logout(session, None if data is None else data.refresh_token)

    @get("/me", summary="Who is calling, and what they may do", operation_id="me",
         sync_to_thread=True, **authenticated())  # fmt: skip
    def me(self, deps: AppDeps, principal: CurrentPrincipal) -> dict[str, Any]:
        body: dict[str, Any] = unstructure(Me(deps.uow())(principal))
        return body

"""Logging in and out of the workbench, and keeping a session alive while someone works.

The login form posts here (not to the JSON API) because the tokens it gets must land in
cookies the page's scripts cannot read (`entrypoints.http.cookies`). A wrong login answers
the same message whatever was wrong, as the API does; login is rate limited like the API's,
and a form sent from another site is refused (`same_origin`).
`next` is followed only to a page of the workbench, so the login page cannot be used to send
someone to another site.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from attrs import frozen
from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery
from litestar.response import Redirect, Response

from application.credit.auth import Login, Logout, Refresh, TokenPair
from application.credit.authenticate import Authenticated
from application.errors import Unauthenticated
from entrypoints.composition import Deps
from entrypoints.http.auth import PUBLIC, AppDeps, CurrentPrincipal, credential_of
from entrypoints.http.authentication import UseCaseAuthenticator
from entrypoints.http.cookies import (
    REFRESH_COOKIE,
    cleared_cookies,
    csrf_matches,
    session_cookies,
)
from entrypoints.http.limits import RATE_LIMIT_OPT
from entrypoints.web.guards import any_user
from entrypoints.web.layout import navigation
from entrypoints.web.rendering import render

HOME = "/app"
LOGIN = "/login"


def safe_next(target: str | None) -> str:
    """`target` when it is a page of the workbench on this site, else the home page."""
    if target and target.startswith(HOME) and not target.startswith("//") and "\\" not in target:
        return target
    return HOME


def same_origin(request: Request[Any, Any, Any]) -> bool:
    """Whether a form was sent from this site: a browser names the page's origin in `Origin`
    on every POST, so another site's form posting someone's browser into an account of the
    other site's choosing (login CSRF) is refused. A browser that will not say where the form
    came from sends `null` (the pages ask for `same-origin` referrers, so theirs say), and is
    refused too; a client that sends no `Origin` at all (a script, curl) is not a browser on
    another site, and is let through."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc == request.headers.get("Host", "")


def login_url(target: str) -> str:
    return f"{LOGIN}?next={quote(safe_next(target), safe='/')}"


@frozen
class LoginForm:
    email: str = ""
    password: str = ""
    next: str = HOME


def with_session(response: Response[Any], pair: TokenPair, deps: Deps) -> Response[Any]:
    """`response`, setting the cookies of the session `pair` begins."""
    cookies = session_cookies(
        pair.access_token,
        pair.refresh_token,
        secrets.token_urlsafe(32),
        refresh_lifetime=deps.settings.auth.lifetimes.refresh,
        secure=deps.settings.http.hsts,
    )
    for cookie in cookies:
        response.set_cookie(cookie)
    return response


def refreshed(deps: Deps, refresh_token: str) -> TokenPair:
    refresh = Refresh(
        deps.uow(), deps.clock, deps.ids, deps.tokens, deps.secrets,
        lifetimes=deps.settings.auth.lifetimes,
    )  # fmt: skip
    return refresh(refresh_token)


class SessionController(Controller):
    """The login page and the session's start, renewal and end."""

    include_in_schema = False

    @get("/", opt=PUBLIC, include_in_schema=False)
    async def root(self) -> Redirect:
        return Redirect(HOME)

    @get(LOGIN, opt=PUBLIC, include_in_schema=False)
    async def login_page(self, next: FromQuery[str] = HOME) -> Any:
        return render("login.html", {"next": safe_next(next), "error": None, "email": ""})

    @post(LOGIN, opt={**PUBLIC, RATE_LIMIT_OPT: "login"}, include_in_schema=False,
          sync_to_thread=True, status_code=303)  # fmt: skip
    def log_in(
        self,
        deps: AppDeps,
        request: Request[Any, Any, Any],
        data: Annotated[LoginForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Any:
        if not same_origin(request):
            context = {
                "next": safe_next(data.next),
                "error": "Log in from this site's own login page.",
                "email": "",
            }
            return render("login.html", context, status_code=403)
        login = Login(
            deps.uow(), deps.clock, deps.ids, deps.tokens, deps.secrets,
            lifetimes=deps.settings.auth.lifetimes, hasher=deps.hasher,
        )  # fmt: skip
        try:
            pair = login(data.email.strip(), data.password)
        except Unauthenticated:
            context = {
                "next": safe_next(data.next),
                "error": "That email and password do not match an account.",
                "email": data.email,
            }
            return render("login.html", context, status_code=401)
        return with_session(Redirect(safe_next(data.next), status_code=303), pair, deps)

    @post("/app/session/refresh", opt=PUBLIC, include_in_schema=False, sync_to_thread=True,
          status_code=204)  # fmt: skip
    def refresh(self, deps: AppDeps, request: Request[Any, Any, Any]) -> Response[None]:
        """A new token pair for the page's scripts when the access token has run out; the
        CSRF header is required, as for any change made with the session's cookies."""
        token = request.cookies.get(REFRESH_COOKIE, "")
        if not token or not csrf_matches(request):
            raise Unauthenticated()
        return with_session(Response(None, status_code=204), refreshed(deps, token), deps)

    @post("/logout", status_code=303, **any_user())
    def log_out(
        self, deps: AppDeps, principal: CurrentPrincipal, request: Request[Any, Any, Any]
    ) -> Redirect:
        authenticator = request.app.state["authenticator"]
        credential = credential_of(request)
        session = (
            authenticator.session(credential, deps.clock.now())
            if isinstance(authenticator, UseCaseAuthenticator) and credential is not None
            else Authenticated(principal)
        )
        logout = Logout(deps.uow(), deps.clock, deps.ids, deps.tokens, deps.secrets)
        logout(session, request.cookies.get(REFRESH_COOKIE) or None)
        redirect = Redirect(LOGIN, status_code=303)
        for cookie in cleared_cookies(secure=deps.settings.http.hsts):
            redirect.set_cookie(cookie)
        return redirect

    @get(HOME, **any_user(sync=False))
    async def home(self, principal: CurrentPrincipal) -> Redirect:
        """The first page the role may open (the dashboard, else the queue, ...)."""
        pages = navigation(principal)
        return Redirect(pages[0].path if pages else LOGIN)

"""Errors on a page are pages: the login page when there is no session, a page saying what
the role may not do, a not-found page; never a stack trace, always the request id.

A page opened after the access token has run out (but not the session) renews the session
with the refresh cookie and comes back to the same address, so someone reviewing cases all day
is not sent to the login page every quarter of an hour.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import structlog
from litestar import Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, NotFoundException
from litestar.response import Redirect

from application.errors import Unauthenticated
from application.ports import InvalidToken, RecordNotFound
from domain.errors import PermissionDenied
from entrypoints.http.cookies import REFRESH_COOKIE
from entrypoints.http.request_id import request_id_of
from entrypoints.web.rendering import render
from entrypoints.web.session_routes import login_url, refreshed, with_session

_log = structlog.get_logger("creditdesk.web")


def _no_session(request: Request[Any, Any, Any], _error: Exception) -> Response[Any]:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET":
        return _page(request, 401, "Your session has ended", "Log in again to go on.")
    token = request.cookies.get(REFRESH_COOKIE, "")
    if token:
        deps = request.app.state["deps"]
        try:
            pair = refreshed(deps, token)
        except (Unauthenticated, InvalidToken):
            pass
        else:
            return with_session(Redirect(target, status_code=303), pair, deps)
    return Redirect(login_url(target), status_code=303)


def _forbidden(request: Request[Any, Any, Any], _error: Exception) -> Response[Any]:
    return _page(request, 403, "Not for your role", "Your role does not allow this page or action.")


def _not_found(request: Request[Any, Any, Any], _error: Exception) -> Response[Any]:
    return _page(request, 404, "Not found", "There is nothing at this address for your lender.")


def _http(request: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    return _page(request, error.status_code, "This request could not be served", error.detail)


def _internal(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    _log.error("page failed", error_type=type(error).__name__, path=request.url.path)
    return _page(
        request, 500, "Something went wrong", "Quote the request id below when reporting it."
    )


def _page(request: Request[Any, Any, Any], status: int, title: str, message: str) -> Response[Any]:
    context = {"status": status, "title": title, "message": message,
               "request_id": request_id_of(request.scope)}  # fmt: skip
    return render("error.html", context, status_code=status)


PAGE_HANDLERS: dict[
    int | type[Exception], Callable[[Request[Any, Any, Any], Any], Response[Any]]
] = {
    NotAuthorizedException: _no_session,
    Unauthenticated: _no_session,
    InvalidToken: _no_session,
    PermissionDenied: _forbidden,
    RecordNotFound: _not_found,
    NotFoundException: _not_found,
    HTTPException: _http,
    Exception: _internal,
}

"""Every error as RFC 9457 problem details (`application/problem+json`).

Each error family has one answer: a rule broken by the input is 422 listing every field at
once (the domain's `ValidationFailed` and Litestar's own checks of JSON and parameters alike);
a record the tenant does not have is 404 (another tenant's included, so ids leak nothing); a
missing permission 403; a missing or false credential 401 with `WWW-Authenticate`; a conflict
with the current state 409. Anything else is a defect: 500 with a generic text and the request
id to quote, and a log line naming only the error's type and the route (an exception's message
may quote SQL and the personal data in it, so it is not written).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    SerializationException,
    ValidationException,
)
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY

from application.errors import Unauthenticated
from application.ports import InvalidToken, RecordNotFound
from domain.errors import (
    ConflictError,
    DomainError,
    IllegalTransition,
    PermissionDenied,
    Problem,
    ValidationFailed,
)
from entrypoints.http.logging import get_logger
from entrypoints.http.request_id import request_id_of

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "urn:creditdesk:problem:"
_log = get_logger(__name__)

Handler = Callable[[Request[Any, Any, Any], Any], Response[Any]]


def problem_response(
    request: Request[Any, Any, Any],
    status: int,
    slug: str,
    title: str,
    detail: str,
    *,
    headers: Mapping[str, str] | None = None,
    errors: tuple[Problem, ...] = (),
) -> Response[dict[str, Any]]:
    """A problem document; `instance` is the path only (a query may hold a search term)."""
    body: dict[str, Any] = {
        "type": TYPE_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "request_id": request_id_of(request.scope),
    }
    if errors:
        body["errors"] = [{"field": p.path, "message": p.message} for p in errors]
    return Response(body, status_code=status, media_type=MEDIA_TYPE, headers=dict(headers or {}))


def _validation(request: Request[Any, Any, Any], error: ValidationFailed) -> Response[Any]:
    return problem_response(
        request,
        HTTP_422_UNPROCESSABLE_ENTITY,
        "validation-failed",
        "The request is not valid",
        f"{len(error.problems)} problem(s) with the request; see errors",
        errors=error.problems,
    )


def _not_found(request: Request[Any, Any, Any], error: RecordNotFound) -> Response[Any]:
    return problem_response(request, 404, "not-found", "Not found", str(error))


def _forbidden(request: Request[Any, Any, Any], error: PermissionDenied) -> Response[Any]:
    return problem_response(request, 403, "forbidden", "Forbidden", str(error))


def _unauthenticated(request: Request[Any, Any, Any], _error: Exception) -> Response[Any]:
    return problem_response(
        request,
        401,
        "unauthenticated",
        "Authentication required",
        "send a valid bearer token (Authorization: Bearer ...) or an X-API-Key",
        headers={"WWW-Authenticate": 'Bearer realm="creditdesk"'},
    )


def _conflict(request: Request[Any, Any, Any], error: DomainError) -> Response[Any]:
    return problem_response(request, 409, "conflict", "Conflict", str(error))


def _litestar_problems(extra: object) -> tuple[Problem, ...]:
    """Litestar's own validation errors ({"key", "message", "source"} each) as problems."""
    if not isinstance(extra, list):
        return ()
    return tuple(
        Problem(str(item.get("key") or "(body)"), str(item.get("message", "is not valid")))
        for item in extra
        if isinstance(item, dict)
    )


def _http(request: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    """Litestar's own errors: its validation as 422, the rest with their status and text."""
    if isinstance(error, NotAuthorizedException):
        return _unauthenticated(request, error)
    if isinstance(error.__cause__, SerializationException):  # a body that is not JSON
        return _validation(request, ValidationFailed((Problem("(body)", "is not valid JSON"),)))
    if isinstance(error, ValidationException):
        found = _litestar_problems(error.extra) or (Problem("(body)", "is not valid JSON"),)
        return _validation(request, ValidationFailed(found))
    status = error.status_code
    if status >= 500:
        return _internal(request, error)
    headers = {k: v for k, v in (error.headers or {}).items() if k.lower() != "content-type"}
    title = error.detail if status != 429 else "Too many requests"
    return problem_response(request, status, f"http-{status}", title, error.detail, headers=headers)


def _internal(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    _log.error(
        "request failed",
        error_type=type(error).__name__,
        method=request.method,
        route=request.scope.get("path_template", ""),
    )
    return problem_response(
        request,
        500,
        "internal",
        "Internal server error",
        "the request could not be completed; quote the request id when reporting it",
    )


#: Most specific first is irrelevant: Litestar picks the handler by the exception's MRO.
EXCEPTION_HANDLERS: Mapping[type[Exception], Handler] = {
    ValidationFailed: _validation,
    RecordNotFound: _not_found,
    PermissionDenied: _forbidden,
    InvalidToken: _unauthenticated,
    Unauthenticated: _unauthenticated,
    ConflictError: _conflict,
    IllegalTransition: _conflict,
    HTTPException: _http,
    Exception: _internal,
}

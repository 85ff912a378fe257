"""The request id: one per request, on its response and on every log line it causes.

A caller's `X-Request-ID` is kept when it is sane (1 to 128 of letters, digits, `.`, `_`, `-`),
so a trace spans services; anything else is replaced by a fresh random id, never echoed, since
a header is attacker text that would otherwise land in logs. The id lives in the ASGI scope, so
a response made anywhere (a handler, an exception handler, the router's own 404) finds it.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from litestar.datastructures import Headers
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from entrypoints.http.logging import bind_request_id

HEADER = "X-Request-ID"
_SANE = re.compile(r"[A-Za-z0-9._-]{1,128}")
_KEY = "creditdesk.request_id"


def request_id_of(scope: Scope | dict[str, Any]) -> str:
    """The request's id, chosen on first ask and the same afterwards."""
    found = scope.get(_KEY)
    if isinstance(found, str):
        return found
    given = Headers.from_scope(scope).get(HEADER, "")  # type: ignore[arg-type]
    chosen = given if _SANE.fullmatch(given) else uuid.uuid4().hex
    scope[_KEY] = chosen  # type: ignore[literal-required]
    return chosen


class RequestIdMiddleware(ASGIMiddleware):
    """Chooses the id before anything else runs and binds it to the request's log lines."""

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        bind_request_id(request_id_of(scope))
        await next_app(scope, receive, send)

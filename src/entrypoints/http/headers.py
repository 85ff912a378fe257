"""Headers every response carries: its request id and what browsers are asked to enforce.

Added by a `before_send` hook, which sees every response the app sends (the router's own 404
and 405 included, which no route middleware does). The API serves JSON only, so its content
security policy allows nothing; the docs page has its own (`page_policies`), and a header
a response already has is left as it is. HSTS is sent only when the settings say the service
is behind HTTPS.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

from entrypoints.http.request_id import HEADER, request_id_of

API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
HSTS = "max-age=31536000; includeSubDomains"
SECURITY_HEADERS: Mapping[str, str] = {
    "Content-Security-Policy": API_CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def response_headers(
    *, hsts: bool, page_policies: Mapping[str, str] | None = None
) -> Callable[[Message, Scope], Awaitable[None]]:
    """The hook adding the request id and the security headers to every response;
    `page_policies` give the HTML pages (by path) their own content security policy."""
    fixed = {**SECURITY_HEADERS, **({"Strict-Transport-Security": HSTS} if hsts else {})}
    pages = dict(page_policies or {})

    async def add_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = MutableScopeHeaders.from_message(message)
        headers[HEADER] = request_id_of(scope)
        policy = pages.get(str(scope.get("path", "")).rstrip("/"))
        if policy is not None:
            headers["Content-Security-Policy"] = policy
        for name, value in fixed.items():
            if name not in headers:
                headers[name] = value

    return add_headers

"""The browser's session: the access and refresh tokens in cookies, and the CSRF rule for them.

The workbench pages (entrypoints.web) log a person in and keep the token pair in cookies that
scripts cannot read (HttpOnly) and that the browser sends to this site alone (SameSite=Strict).
The pages' own scripts call the same JSON API as every other client; the API accepts the
cookie as the credential, but a request that changes anything must also carry the CSRF token
in a header, equal to the readable CSRF cookie (the double-submit rule): another site can
make a browser send the cookies, never read them to set that header.

A request with an `Authorization` or `X-API-Key` header is judged by that header alone, so
service clients are not affected by a cookie they do not send.
"""

from __future__ import annotations

import hmac
from datetime import timedelta
from typing import Any

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie

ACCESS_COOKIE = "creditdesk_access"
REFRESH_COOKIE = "creditdesk_refresh"
CSRF_COOKIE = "creditdesk_csrf"
CSRF_HEADER = "X-CSRF-Token"
#: Methods that change nothing; they need no CSRF header (SameSite=Strict covers them too).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def cookie_credential(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The access token of the browser's session, if the request may use it: any safe
    request, and an unsafe one only with the CSRF header equal to the CSRF cookie."""
    token = connection.cookies.get(ACCESS_COOKIE, "").strip()
    if not token:
        return None
    if connection.scope.get("method", "GET") in SAFE_METHODS:
        return token
    return token if csrf_matches(connection) else None


def csrf_matches(connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    expected = connection.cookies.get(CSRF_COOKIE, "")
    presented = connection.headers.get(CSRF_HEADER, "")
    return bool(expected) and hmac.compare_digest(expected.encode(), presented.encode())


def session_cookies(
    access_token: str,
    refresh_token: str,
    csrf_token: str,
    *,
    refresh_lifetime: timedelta,
    secure: bool,
) -> list[Cookie]:
    """The cookies that hold a session; the CSRF one is readable by the pages' scripts."""
    lasting = int(refresh_lifetime.total_seconds())
    common: dict[str, Any] = {"path": "/", "samesite": "strict", "secure": secure}
    return [
        Cookie(key=ACCESS_COOKIE, value=access_token, httponly=True, max_age=lasting, **common),
        Cookie(key=REFRESH_COOKIE, value=refresh_token, httponly=True, max_age=lasting, **common),
        Cookie(key=CSRF_COOKIE, value=csrf_token, httponly=False, max_age=lasting, **common),
    ]


def cleared_cookies(*, secure: bool) -> list[Cookie]:
    """The session's cookies, expired: what logging out sends."""
    return [
        Cookie(
            key=name,
            value="",
            path="/",
            max_age=0,
            samesite="strict",
            secure=secure,
            httponly=name != CSRF_COOKIE,
        )
        for name in (ACCESS_COOKIE, REFRESH_COOKIE, CSRF_COOKIE)
    ]

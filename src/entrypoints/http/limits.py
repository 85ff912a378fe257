"""Rate limits on the routes worth hammering: login (password guessing) and intake (floods).

Litestar's `RateLimitMiddleware` fits: it counts per client address in a fixed window (the
window starts at a client's first request and resets after a minute) and answers 429 with
`RateLimit-*` headers, which the problem handlers turn into problem+json. A route opts in with
`opt={RATE_LIMIT_OPT: "login"}` (or "intake"); each kind has its own limit and its own count.

The counts live in the app's in-memory store, so each replica limits on its own: with N
replicas a client gets up to N times the limit. A shared store (Redis) would make it global.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.middleware.base import DefineMiddleware
from litestar.middleware.rate_limit import RateLimitConfig, get_remote_address

from entrypoints.http.settings import HttpSettings

RATE_LIMIT_OPT = "rate_limit"


def _limit(kind: str, per_minute: int) -> DefineMiddleware:
    def applies(request: Request[Any, Any, Any]) -> bool:
        return bool(request.route_handler.opt.get(RATE_LIMIT_OPT) == kind)

    def client(request: Request[Any, Any, Any]) -> str:
        return f"{kind}:{get_remote_address(request)}"

    config = RateLimitConfig(
        rate_limit=("minute", per_minute),
        check_throttle_handler=applies,
        identifier_for_request=client,
    )
    return config.middleware


def rate_limits(settings: HttpSettings) -> list[DefineMiddleware]:
    """The middleware limiting login and intake per client address."""
    return [
        _limit("login", settings.login_per_minute),
        _limit("intake", settings.intake_per_minute),
    ]

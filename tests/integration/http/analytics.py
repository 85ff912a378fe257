"""The analytics routes and the permission each requires (all of them analytics:view)."""

from __future__ import annotations

from domain.identity import Permission

BASE = "/api/v1/analytics"
REPORTS = ("dashboard", "trends", "decisions", "scores", "analysts", "models", "queue")
#: (method, path as the app lists it, the permission it requires).
ROUTES = [("GET", f"{BASE}/{report}", Permission.ANALYTICS_VIEW) for report in REPORTS]
#: The (method, path) pairs of `ROUTES`, as the route-enumeration test lists guarded routes.
ROUTE_KEYS = frozenset((method, path) for method, path, _permission in ROUTES)

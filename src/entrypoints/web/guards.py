"""Route keyword arguments for the workbench's pages: the API's guard, kept out of the API docs.

A page declares its permission exactly as an API route does (`PermissionGuard` and the
permission in its opt), so the route-enumeration test holds pages to the same rule. What the
guard raises is turned into a page, not problem+json, by `errors.PAGE_HANDLERS`: no session
sends the browser to the login page, a missing permission shows a page that says so.
"""

from __future__ import annotations

from typing import Any

from domain.identity import Permission
from entrypoints.http.auth import AUTHENTICATED_OPT, PERMISSION_OPT, PermissionGuard


def page(permission: Permission, *, sync: bool = True) -> dict[str, Any]:
    """`@get(..., **page(P.X))`: a page for those who hold `permission`; a sync handler (the
    use cases are sync) runs in a worker thread unless `sync` is False (an async handler)."""
    return {
        "guards": [PermissionGuard(permission)],
        "opt": {PERMISSION_OPT: permission},
        "include_in_schema": False,
        **({"sync_to_thread": True} if sync else {}),
    }


def any_user(*, sync: bool = True) -> dict[str, Any]:
    """A page for anyone logged in, whatever the role (the home page, logging out)."""
    return {
        "guards": [PermissionGuard(None)],
        "opt": {AUTHENTICATED_OPT: True},
        "include_in_schema": False,
        **({"sync_to_thread": True} if sync else {}),
    }

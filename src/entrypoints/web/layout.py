"""What every page's layout shows: who is logged in, for which lender, in which role, their
unread messages, and the pages their role may open (a page it may not open is not offered)."""

from __future__ import annotations

from typing import Any

from attrs import frozen

from application.credit.authenticate import Me
from application.credit.inbox import ListNotifications
from domain.identity import Permission, Principal, effective_permissions
from entrypoints.composition import Deps


@frozen
class NavItem:
    key: str
    label: str
    path: str
    permission: Permission


NAVIGATION = (
    NavItem("dashboard", "Dashboard", "/app/dashboard", Permission.ANALYTICS_VIEW),
    NavItem("queue", "Queue", "/app/queue", Permission.QUEUE_VIEW),
    NavItem("applications", "Applications", "/app/applications", Permission.APPLICATION_VIEW),
    NavItem("overrides", "Overrides", "/app/overrides", Permission.DECISION_APPROVE_OVERRIDE),
    NavItem("thresholds", "Thresholds", "/app/thresholds", Permission.CONFIG_MANAGE),
    NavItem("batches", "Batches", "/app/batches", Permission.APPLICATION_CREATE),
    NavItem("models", "Models", "/app/models", Permission.ANALYTICS_VIEW),
    NavItem("audit", "Audit", "/app/audit", Permission.AUDIT_VIEW),
    NavItem("testgen", "Test suites", "/app/testgen", Permission.TESTGEN_VIEW),
)


def navigation(principal: Principal) -> tuple[NavItem, ...]:
    held = effective_permissions(principal)
    return tuple(item for item in NAVIGATION if item.permission in held)


def page_context(deps: Deps, principal: Principal, active: str, **values: Any) -> dict[str, Any]:
    """The layout's values and the page's own (`values`), for `rendering.render`."""
    profile = Me(deps.uow())(principal)
    with deps.uow() as uow:
        tenant = uow.tenants.get(principal.tenant_id)
    inbox = ListNotifications(deps.uow())(principal, unread_only=True, page_size=5)
    held = effective_permissions(principal)
    return {
        "user": profile,
        "role": principal.role.value.replace("_", " "),
        "tenant_name": tenant.name if tenant is not None else principal.tenant_id,
        "unread": inbox.unread,
        "messages": inbox.messages.items,
        "nav": navigation(principal),
        "active": active,
        "can": {permission.value: True for permission in held},
        **values,
    }

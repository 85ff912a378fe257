"""The table of the admin and audit routes, and the records their id-taking routes need."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from domain.identity import Permission, Role
from entrypoints.composition import Deps
from tests.builders import TENANT, a_user

_P = Permission
ADMIN = "/api/v1/admin"
AUDIT = "/api/v1/audit"
PASSWORD = "correct horse battery staple"
#: The user every id-taking route of the table names.
SEEDED_USER = "m-user"


def new_user_json(email: str = "new.analyst@example.com") -> dict[str, Any]:
    return {"email": email, "display_name": "New Analyst", "role": "analyst",
            "password": PASSWORD}  # fmt: skip


def store_user(deps: Deps, user_id: str = SEEDED_USER, *, tenant_id: str = TENANT) -> None:
    with deps.uow() as uow:
        uow.users.add(
            a_user(id=user_id, tenant_id=tenant_id, email=f"{user_id}@{tenant_id}.example",
                   role=Role.ANALYST)
        )  # fmt: skip
        uow.commit()


def forge_audit_event(deps: Deps, sequence: int, *, tenant_id: str = TENANT) -> None:
    """Edit a stored event behind the application's back, as a tamperer with SQL access would:
    first dropping the SQLite trigger that keeps the table append-only."""
    with deps.engine.begin() as connection:
        connection.execute(text("DROP TRIGGER IF EXISTS audit_events_no_update"))
        connection.execute(
            text(
                "UPDATE audit_events SET record = json_set(record, '$.action', 'forged')"
                " WHERE tenant_id = :tenant AND sequence = :sequence"
            ),
            {"tenant": tenant_id, "sequence": sequence},
        )


#: Every admin and audit route: (method, path as Litestar names it, JSON body, permission).
ROUTES: list[tuple[str, str, dict[str, Any] | None, Permission]] = [
    ("GET", AUDIT, None, _P.AUDIT_VIEW),
    ("GET", f"{AUDIT}/verify", None, _P.AUDIT_VIEW),
    ("GET", f"{ADMIN}/users", None, _P.USER_MANAGE),
    ("POST", f"{ADMIN}/users", new_user_json(), _P.USER_MANAGE),
    ("GET", f"{ADMIN}/users/{{user_id:str}}", None, _P.USER_MANAGE),
    ("PATCH", f"{ADMIN}/users/{{user_id:str}}", {"role": "senior_analyst"}, _P.USER_MANAGE),
    ("GET", f"{ADMIN}/roles", None, _P.USER_MANAGE),
    ("GET", f"{ADMIN}/tenant", None, _P.USER_MANAGE),
]
#: The (method, path) pairs of `ROUTES`, as the route-enumeration test lists guarded routes.
ROUTE_KEYS = frozenset((method, path) for method, path, _body, _permission in ROUTES)

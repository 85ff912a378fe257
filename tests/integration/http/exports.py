"""The export routes, with what each needs: a done export of the tenant to read and download."""

from __future__ import annotations

from typing import Any

from application.credit.exports import RequestExport
from domain.credit.exports import ExportFilter, ExportFormat
from domain.identity import Permission, Role
from entrypoints.composition import Deps
from tests.builders import a_principal

_P = Permission
EXPORTS = "/api/v1/exports"

#: (method, path as the app lists it, JSON body or None, the permission it requires).
ROUTES: list[tuple[str, str, Any, Permission]] = [
    ("POST", EXPORTS, {"format": "csv"}, _P.ANALYTICS_VIEW),
    ("GET", f"{EXPORTS}/{{export_id:str}}", None, _P.ANALYTICS_VIEW),
    ("GET", f"{EXPORTS}/{{export_id:str}}/download", None, _P.ANALYTICS_VIEW),
]
#: The (method, path) pairs of `ROUTES`, as the route-enumeration test lists guarded routes.
ROUTE_KEYS = frozenset((method, path) for method, path, _body, _permission in ROUTES)


def seed_export(deps: Deps, tenant_id: str, export_format: ExportFormat = ExportFormat.CSV) -> str:
    """A done export of `tenant_id` (written at once: the tenant has few applications)."""
    admin = a_principal(Role.ADMIN, tenant_id=tenant_id)
    request = RequestExport(deps.uow(), deps.store, deps.export_files, deps.clock, deps.ids)
    return request(admin, export_format, ExportFilter()).id

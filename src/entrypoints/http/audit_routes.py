"""`/api/v1/audit`: search the tenant's audit trail, and check that nobody has tampered with it.

Events come newest first, a page at a time, with the filters `AuditQuery` supports. Their
`old` and `new` snapshots are the masked ones the trail stores (never a password or its hash).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Controller, get
from litestar.params import FromQuery

from adapters.serialization import unstructure
from application.credit.audit import QueryAudit, VerifyAuditChain
from application.credit.queries import AuditQuery
from domain.identity import Permission
from entrypoints.http.auth import AppDeps, CurrentPrincipal, requires
from entrypoints.http.openapi_docs import PageNumber, PageSize

BASE = "/api/v1/audit"
_P = Permission


class AuditController(Controller):
    path = BASE
    tags = ["audit"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @get(summary="Search the audit trail, newest first", operation_id="listAuditEvents",
         sync_to_thread=True, **requires(_P.AUDIT_VIEW))  # fmt: skip
    def list_events(
        self,
        *,
        deps: AppDeps,
        principal: CurrentPrincipal,
        entity_type: FromQuery[str | None] = None,
        entity_id: FromQuery[str | None] = None,
        actor: FromQuery[str | None] = None,
        occurred_from: FromQuery[datetime | None] = None,
        occurred_to: FromQuery[datetime | None] = None,
        page: PageNumber = 1,
        page_size: PageSize = 50,
    ) -> dict[str, Any]:
        query = AuditQuery(
            entity_type=entity_type,
            entity_id=entity_id,
            actor=actor,
            occurred_from=occurred_from,
            occurred_to=occurred_to,
            page=page,
            page_size=page_size,
        )
        found = QueryAudit(deps.uow())(principal, query)
        return {
            "items": [unstructure(event) for event in found.items],
            "total": found.total,
            "total_exact": found.total_exact,
            "page": page,
            "page_size": page_size,
        }

    @get("/verify", summary="Check the audit chain", operation_id="verifyAuditChain",
         sync_to_thread=True, **requires(_P.AUDIT_VIEW))  # fmt: skip
    def verify(self, deps: AppDeps, principal: CurrentPrincipal) -> dict[str, Any]:
        """Whether the chain is intact; if not, the first sequence number where it breaks."""
        result: dict[str, Any] = unstructure(VerifyAuditChain(deps.uow())(principal))
        return result

"""The audit page: the tenant's trail filtered and paged, and the chain's check on demand.

The filters are a plain GET form, so a filtered page is a link one can share; the page reads
through `QueryAudit`, the use case of `GET /api/v1/audit`. Checking the chain reads every
event, so it runs only when asked: the page's script calls `GET /api/v1/audit/verify`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from attrs import frozen
from litestar import Controller, get
from litestar.params import FromQuery

from application.credit.audit import QueryAudit
from application.credit.queries import AuditQuery
from domain.errors import Problem, ValidationFailed
from domain.identity import Permission
from entrypoints.http.auth import AppDeps, CurrentPrincipal
from entrypoints.web.guards import page
from entrypoints.web.layout import page_context
from entrypoints.web.rendering import render

PAGE_SIZE = 50


@frozen
class AuditFilters:
    """The form's values as typed: text, dates as YYYY-MM-DD, the page number."""

    entity_type: str = ""
    entity_id: str = ""
    actor: str = ""
    date_from: str = ""
    date_to: str = ""
    page: int = 1

    def link(self, page: int) -> str:
        """The address of page `page` under the same filters."""
        values = {
            "entity_type": self.entity_type, "entity_id": self.entity_id, "actor": self.actor,
            "date_from": self.date_from, "date_to": self.date_to,
        }  # fmt: skip
        kept = {name: value for name, value in values.items() if value}
        return "/app/audit?" + urlencode({**kept, "page": page})


def _day(text: str, field: str, problems: list[Problem]) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(Problem(field, "must be a date like 2026-03-31"))
        return None


def audit_query(filters: AuditFilters, page_size: int = PAGE_SIZE) -> AuditQuery:
    """The query the filters ask for: whole days in UTC, the last day included (the query's
    end is exclusive, so it is the start of the next day). Unreadable dates are a
    `ValidationFailed` naming the field, as the use case's own problems are."""
    problems: list[Problem] = []
    start = _day(filters.date_from.strip(), "date_from", problems)
    end = _day(filters.date_to.strip(), "date_to", problems)
    if problems:
        raise ValidationFailed(tuple(problems))
    return AuditQuery(
        entity_type=filters.entity_type.strip() or None,
        entity_id=filters.entity_id.strip() or None,
        actor=filters.actor.strip() or None,
        occurred_from=datetime.combine(start, datetime.min.time(), UTC) if start else None,
        occurred_to=(
            datetime.combine(end + timedelta(days=1), datetime.min.time(), UTC) if end else None
        ),
        page=filters.page,
        page_size=page_size,
    )


_FIELD_NAMES = {"occurred_from": "date_from", "occurred_to": "date_to"}


class AuditPage(Controller):
    include_in_schema = False

    @get("/app/audit", **page(Permission.AUDIT_VIEW))
    def audit(
        self,
        *,
        deps: AppDeps,
        principal: CurrentPrincipal,
        entity_type: FromQuery[str] = "",
        entity_id: FromQuery[str] = "",
        actor: FromQuery[str] = "",
        date_from: FromQuery[str] = "",
        date_to: FromQuery[str] = "",
        page: FromQuery[int] = 1,
    ) -> Any:
        filters = AuditFilters(entity_type, entity_id, actor, date_from, date_to, max(page, 1))
        values: dict[str, Any] = {"filters": filters, "events": (), "problems": {}}
        status = 200
        try:
            found = QueryAudit(deps.uow())(principal, audit_query(filters))
        except ValidationFailed as failed:
            values["problems"] = {_FIELD_NAMES.get(p.path, p.path): p.message
                                  for p in failed.problems}  # fmt: skip
            status = 422
        else:
            pages = max(1, -(-found.total // PAGE_SIZE))
            values |= {"events": found.items, "total": found.total,
                       "total_exact": found.total_exact, "pages": pages}  # fmt: skip
        context = page_context(deps, principal, "audit", **values)
        return render("audit.html", context, status_code=status)

"""The queue page: the summary counts, the tabs (my cases, unassigned, all) with their priority
and SLA badges, and picking a case.

The page reads through the use cases behind `GET /api/v1/queue` and its summary. Picking goes
through the API from `queue.js` (assign to oneself, then start), so a case someone else took a
moment earlier, or a full workload, is the API's 409, shown as it says it. The Pick button is
offered only to someone the domain lets take a case (who can decide it: decision:create).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get

from application.credit.case_flagging import FlagsOfCases
from application.credit.queue_views import ListQueue, SummarizeQueue
from domain.credit.queue import QueuePolicy
from domain.errors import ValidationFailed
from domain.identity import Permission, can
from entrypoints.http.auth import AppDeps, CurrentPrincipal
from entrypoints.web.application_view import label, money
from entrypoints.web.guards import page
from entrypoints.web.layout import page_context
from entrypoints.web.people import display_names
from entrypoints.web.queue_tabs import (
    PAGE_SIZE,
    SLA_LABELS,
    SORT_LABELS,
    TAB_LABELS,
    case_row,
    read_tab,
    tab_query,
)
from entrypoints.web.rendering import render


def tab_link(tab: str, sort: str, page: int = 1) -> str:
    return f"/app/queue?tab={tab}&sort={sort}&page={page}"


class QueuePage(Controller):
    include_in_schema = False

    @get("/app/queue", **page(Permission.QUEUE_VIEW))
    def queue(
        self, deps: AppDeps, principal: CurrentPrincipal, request: Request[Any, Any, Any]
    ) -> Any:
        can_pick = can(principal, Permission.DECISION_CREATE)
        asked = read_tab(
            request.query_params.get("tab", ""),
            request.query_params.get("sort", ""),
            request.query_params.get("page", ""),
            can_hold_cases=can_pick,
        )
        policy = QueuePolicy()
        counts = SummarizeQueue(deps.uow(), deps.clock, policy)(principal)
        problems, rows, found = asked.problems, [], None
        if not problems:
            try:
                found = ListQueue(deps.uow())(principal, tab_query(asked, principal.user_id))
            except ValidationFailed as failed:
                problems = failed.problems
        if found is not None:
            now = deps.clock.now()
            rows = [
                case_row(entry, viewer_id=principal.user_id, can_pick=can_pick, now=now,
                         policy=policy)
                for entry in found.items
            ]  # fmt: skip
        pages = 1 if found is None else max(1, -(-found.total // PAGE_SIZE))
        flagged = FlagsOfCases(deps.uow())(principal, tuple(row.entry.id for row in rows))
        return render(
            "queue.html",
            page_context(
                deps, principal, "queue",
                counts=counts, tab=asked.tab.value, sort=asked.sort.value, page_number=asked.page,
                pages=pages, total=0 if found is None else found.total, rows=rows,
                problems=problems, tabs=list(TAB_LABELS.items()), sorts=list(SORT_LABELS.items()),
                sla_labels=SLA_LABELS, tab_link=tab_link, label=label, money=money,
                me=principal.user_id, can_pick=can_pick, flags=flagged,
                names=display_names(deps, principal, (row.entry.analyst_id for row in rows)),
            ),
            status_code=422 if problems else 200,
        )  # fmt: skip

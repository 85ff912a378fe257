"""`/api/v1/queue`: the analyst queue (list and summary) and the moves on a case in it.

Thin on purpose, like `applications`: the request becomes the use case's arguments, the result
JSON through the one converter. Taking, starting and handing back a case all need only
queue:view at the door; giving a case to someone else is checked by the use case (queue:assign),
and a case that is taken or over an analyst's workload answers 409 from the domain.
"""

from __future__ import annotations

from typing import Annotated, Any

from attrs import frozen
from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery, QueryParameter

from adapters.serialization import structure, unstructure
from application.credit.case_flagging import FlagsOfCases
from application.credit.queries import Cursor, QueueQuery, QueueSort, SortOrder
from application.credit.queue_views import ListQueue, SummarizeQueue
from application.credit.queue_work import AssignCase, ReleaseCase, StartCase
from domain.credit.queue import QueueStatus
from domain.identity import Permission
from entrypoints.http.auth import AppDeps, CurrentPrincipal, requires
from entrypoints.http.openapi_docs import DocumentedJSON, PageNumber, PageSize

BASE = "/api/v1/queue"
_P = Permission


@frozen
class AssignRequest:
    """Who gets the case; nobody named means the caller takes it."""

    assignee_id: str | None = None


class QueueController(Controller):
    path = BASE
    tags = ["queue"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @get(summary="List queue cases", operation_id="listQueue", sync_to_thread=True,
         **requires(_P.QUEUE_VIEW))  # fmt: skip
    def list_queue(
        self,
        *,
        deps: AppDeps,
        principal: CurrentPrincipal,
        status: FromQuery[list[QueueStatus] | None] = None,
        analyst_id: FromQuery[str | None] = None,
        max_priority: Annotated[int | None, QueryParameter(ge=1, le=100)] = None,
        include_completed: FromQuery[bool] = False,
        sort: FromQuery[QueueSort] = QueueSort.PRIORITY,
        order: FromQuery[SortOrder] = SortOrder.ASC,
        page: PageNumber = 1,
        page_size: PageSize = 20,
        cursor: FromQuery[str | None] = None,
    ) -> dict[str, Any]:
        query = QueueQuery(
            statuses=frozenset(status or ()),
            analyst_id=analyst_id,
            max_priority=max_priority,
            include_completed=include_completed,
            sort=sort,
            order=order,
            page=page,
            page_size=page_size,
            cursor=None if cursor is None else Cursor.decode(cursor),
        )
        found = ListQueue(deps.uow())(principal, query)
        # Each case with the flag it carries (null when none): `case_action_routes`.
        flags = FlagsOfCases(deps.uow())(principal, tuple(entry.id for entry in found.items))
        return {
            "items": [
                {**unstructure(entry), "flag": unstructure(flags.get(entry.id))}
                for entry in found.items
            ],
            "total": found.total,
            "total_exact": found.total_exact,
            "next_cursor": None if found.next_cursor is None else found.next_cursor.encode(),
        }

    @get("/summary", summary="Open cases by status, SLA and priority band",
         operation_id="summarizeQueue", sync_to_thread=True,
         **requires(_P.QUEUE_VIEW))  # fmt: skip
    def summary(self, deps: AppDeps, principal: CurrentPrincipal) -> dict[str, Any]:
        body: dict[str, Any] = unstructure(SummarizeQueue(deps.uow(), deps.clock)(principal))
        return body

    @post("/{entry_id:str}/assign", summary="Take a case, or give it to someone",
          operation_id="assignCase", status_code=200, sync_to_thread=True,
          **requires(_P.QUEUE_VIEW))  # fmt: skip
    def assign(
        self,
        deps: AppDeps,
        principal: CurrentPrincipal,
        entry_id: FromPath[str],
        data: DocumentedJSON[AssignRequest | None] = None,
    ) -> dict[str, Any]:
        """Body `{"assignee_id": ...}`; an empty or missing body assigns the case to the caller."""
        request = structure(data or {}, AssignRequest)
        assigned = AssignCase(deps.uow(), deps.clock, deps.ids)(
            principal, entry_id, request.assignee_id
        )
        body: dict[str, Any] = unstructure(assigned)
        return body

    @post("/{entry_id:str}/start", summary="Open an assigned case",
          operation_id="startCase", status_code=200, sync_to_thread=True,
          **requires(_P.QUEUE_VIEW))  # fmt: skip
    def start(
        self, deps: AppDeps, principal: CurrentPrincipal, entry_id: FromPath[str]
    ) -> dict[str, Any]:
        body: dict[str, Any] = unstructure(StartCase(deps.uow(), deps.clock)(principal, entry_id))
        return body

    @post("/{entry_id:str}/release", summary="Hand a case back to the queue",
          operation_id="releaseCase", status_code=200, sync_to_thread=True,
          **requires(_P.QUEUE_VIEW))  # fmt: skip
    def release(
        self, deps: AppDeps, principal: CurrentPrincipal, entry_id: FromPath[str]
    ) -> dict[str, Any]:
        released = ReleaseCase(deps.uow(), deps.clock)(principal, entry_id)
        body: dict[str, Any] = unstructure(released)
        return body

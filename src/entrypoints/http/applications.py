"""`/api/v1/applications`: submit, list, read, correct and cancel loan applications.

Thin on purpose: each handler turns the request into the use case's arguments, calls it with a
fresh unit of work, and turns the result into JSON with the one converter. Validation is the
domain's (through `adapters.serialization.structure`, which lists every field at once);
permissions are checked twice, by the route's guard and again by the use case.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Controller, Response, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from adapters.serialization import structure, unstructure
from application.credit.application_detail import GetApplicationDetail
from application.credit.list_applications import ListApplications
from application.credit.queries import ApplicationQuery, ApplicationSort, Cursor, SortOrder
from application.credit.submit_application import SubmitApplication
from application.credit.update_application import CancelApplication, UpdateApplication
from domain.credit.application import Application, ApplicationForm
from domain.credit.status import ApplicationStatus
from domain.identity import Permission
from entrypoints.http.auth import AppDeps, CurrentPrincipal, requires
from entrypoints.http.limits import RATE_LIMIT_OPT
from entrypoints.http.openapi_docs import (
    DocumentedJSON,
    IdempotencyKey,
    PageNumber,
    PageSize,
    also_succeeds,
)

BASE = "/api/v1/applications"
_P = Permission


def location(application: Application) -> str:
    return f"{BASE}/{application.id}"


def merge_patch(target: Any, patch_: Any) -> Any:
    """RFC 7396 JSON merge patch: objects merge key by key, null removes, the rest replaces."""
    if not isinstance(patch_, dict):
        return patch_
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch_.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_patch(merged.get(key), value)
    return merged


class ApplicationsController(Controller):
    """The application resource; a controller, so each app gets its own copy of the handlers."""

    path = BASE
    tags = ["applications"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @post(summary="Submit an application", operation_id="submitApplication", sync_to_thread=True,
          **also_succeeds(requires(_P.APPLICATION_CREATE, **{RATE_LIMIT_OPT: "intake"}), 200,
                          "The application an earlier request with the same key or external "
                          "id and the same form made"))  # fmt: skip
    def submit(
        self,
        deps: AppDeps,
        principal: CurrentPrincipal,
        data: DocumentedJSON[ApplicationForm],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[Any]:
        """201 with the new application, or 200 with the one an earlier identical request made."""
        form = structure(data, ApplicationForm)
        submitted = SubmitApplication(deps.uow(), deps.clock, deps.ids)(
            principal, form, idempotency_key
        )
        return Response(
            unstructure(submitted.application),
            status_code=201 if submitted.created else 200,
            headers={"Location": location(submitted.application)},
        )

    @get(summary="List applications", operation_id="listApplications", sync_to_thread=True,
         **requires(_P.APPLICATION_VIEW))  # fmt: skip
    def list_applications(
        self,
        *,
        deps: AppDeps,
        principal: CurrentPrincipal,
        status: FromQuery[list[ApplicationStatus] | None] = None,
        created_from: FromQuery[datetime | None] = None,
        created_to: FromQuery[datetime | None] = None,
        search: FromQuery[str] = "",
        scored_only: FromQuery[bool] = False,
        sort: FromQuery[ApplicationSort] = ApplicationSort.CREATED_AT,
        order: FromQuery[SortOrder] = SortOrder.DESC,
        page: PageNumber = 1,
        page_size: PageSize = 20,
        cursor: FromQuery[str | None] = None,
    ) -> dict[str, Any]:
        query = ApplicationQuery(
            statuses=frozenset(status or ()),
            created_from=created_from,
            created_to=created_to,
            search=search,
            scored_only=scored_only,
            sort=sort,
            order=order,
            page=page,
            page_size=page_size,
            cursor=None if cursor is None else Cursor.decode(cursor),
        )
        found = ListApplications(deps.uow())(principal, query)
        return {
            "items": [
                {"application": unstructure(item.application), "score": item.score}
                for item in found.items
            ],
            "total": found.total,
            "total_exact": found.total_exact,
            "next_cursor": None if found.next_cursor is None else found.next_cursor.encode(),
        }

    @get("/{application_id:str}", summary="One application in full",
         operation_id="getApplication",
         sync_to_thread=True, **requires(_P.APPLICATION_VIEW))  # fmt: skip
    def application_detail(
        self, deps: AppDeps, principal: CurrentPrincipal, application_id: FromPath[str]
    ) -> dict[str, Any]:
        detail = GetApplicationDetail(deps.uow())(principal, application_id)
        body: dict[str, Any] = unstructure(detail)
        return body

    @patch("/{application_id:str}", summary="Correct a pending application",
           operation_id="updateApplication",
           sync_to_thread=True, **requires(_P.APPLICATION_CREATE))  # fmt: skip
    def update(
        self,
        deps: AppDeps,
        principal: CurrentPrincipal,
        application_id: FromPath[str],
        data: JSONBody[dict[str, Any]],
    ) -> dict[str, Any]:
        """The body is a JSON merge patch (RFC 7396) of the form; the result is validated whole."""
        current = GetApplicationDetail(deps.uow())(principal, application_id).application
        form = structure(merge_patch(unstructure(current.form), data), ApplicationForm)
        updated = UpdateApplication(deps.uow(), deps.clock)(principal, application_id, form)
        body: dict[str, Any] = unstructure(updated)
        return body

    @delete("/{application_id:str}", summary="Cancel a pending application",
            operation_id="cancelApplication",
            status_code=200, sync_to_thread=True, **requires(_P.APPLICATION_CREATE))  # fmt: skip
    def cancel(
        self, deps: AppDeps, principal: CurrentPrincipal, application_id: FromPath[str]
    ) -> dict[str, Any]:
        cancelled = CancelApplication(deps.uow(), deps.clock)(principal, application_id)
        body: dict[str, Any] = unstructure(cancelled)
        return body

"""The applications pages: the filtered, sorted, paged list and one application in full.

Both read through the use cases behind `GET /api/v1/applications` and its detail route, so a
page shows exactly what the API would answer its viewer. The list's filters are a GET form
(`application_filters`): its problems, and the use case's own, are shown beside the form as a
422 page, never an error page. A case in review links to its workbench page for those who
may decide it.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromPath

from application.credit.application_detail import GetApplicationDetail
from application.credit.list_applications import ListApplications
from application.credit.queries import ApplicationSort, ListedApplication, SortOrder
from domain.credit.status import ApplicationStatus
from domain.errors import Problem, ValidationFailed
from domain.identity import Permission, Principal, can
from entrypoints.composition import Deps
from entrypoints.http.auth import AppDeps, CurrentPrincipal
from entrypoints.web.application_filters import (
    PAGE_SIZES,
    SORT_LABELS,
    filters_from,
    pager,
    read_filters,
)
from entrypoints.web.application_view import (
    financial_rows,
    label,
    masked_applicant,
    masked_name,
    money,
)
from entrypoints.web.guards import page
from entrypoints.web.layout import page_context
from entrypoints.web.people import display_names
from entrypoints.web.rendering import render

FILTER_NAMES = ("created_from", "created_to", "search", "sort", "order", "page", "page_size")


def case_path(application_id: str) -> str:
    """The case workbench page of an application in review."""
    return f"/app/cases/{application_id}"


def _row(item: ListedApplication) -> dict[str, Any]:
    application = item.application
    loan = application.form.loan
    return {
        "id": application.id,
        "external_id": application.form.external_id,
        "applicant": masked_name(application.form.applicant),
        "amount": money(loan.amount),
        "term_months": loan.term_months,
        "purpose": label(loan.purpose),
        "status": application.status.value,
        "status_label": label(application.status),
        "score": None if item.score is None else round(item.score),
        "submitted_at": application.submitted_at,
    }


def _listing(
    deps: Deps, principal: Principal, request: Request[Any, Any, Any]
) -> tuple[dict[str, Any], int]:
    """The list page's values and status: the page of results, or the filters' problems."""
    values = {name: request.query_params.get(name, "") for name in FILTER_NAMES}
    filters = filters_from(
        {name: value for name, value in values.items() if value},
        request.query_params.getall("status", []),
    )
    query, problems = read_filters(filters)
    found = None
    if not problems:
        try:
            found = ListApplications(deps.uow())(principal, query)
        except ValidationFailed as failed:
            problems = failed.problems
    shown: dict[str, Any] = {
        "filters": filters,
        "problems": problems,
        "statuses": [(s.value, label(s)) for s in ApplicationStatus],
        "sorts": [(s.value, name) for s, name in SORT_LABELS.items()],
        "orders": [(SortOrder.DESC.value, "Descending"), (SortOrder.ASC.value, "Ascending")],
        "page_sizes": PAGE_SIZES,
        "rows": [] if found is None else [_row(item) for item in found.items],
        "pager": None if found is None else pager(filters, query, found.total, found.total_exact),
        "sorted_by": ApplicationSort(query.sort).value,
    }
    return shown, 422 if problems else 200


def _problems_by_field(problems: tuple[Problem, ...]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in problems:
        found.setdefault(problem.path, []).append(problem.message)
    return found


class ApplicationPages(Controller):
    include_in_schema = False

    @get("/app/applications", **page(Permission.APPLICATION_VIEW))
    def applications(
        self, deps: AppDeps, principal: CurrentPrincipal, request: Request[Any, Any, Any]
    ) -> Any:
        shown, status = _listing(deps, principal, request)
        shown["field_problems"] = _problems_by_field(shown["problems"])
        return render(
            "applications.html",
            page_context(deps, principal, "applications", **shown),
            status_code=status,
        )

    @get("/app/applications/{application_id:str}", **page(Permission.APPLICATION_VIEW))
    def application(
        self, deps: AppDeps, principal: CurrentPrincipal, application_id: FromPath[str]
    ) -> Any:
        detail = GetApplicationDetail(deps.uow())(principal, application_id)
        form = detail.application.form
        people = [d.decided_by for d in detail.decisions]
        if detail.queue_entry is not None:
            people.append(detail.queue_entry.analyst_id or "")
        # The case page is for those who decide cases; others read the case here.
        in_review = detail.application.status is ApplicationStatus.REVIEW and can(
            principal, Permission.DECISION_CREATE
        )
        return render(
            "application.html",
            page_context(
                deps, principal, "applications",
                detail=detail, form=form, applicant=masked_applicant(form),
                financials=financial_rows(form), money=money, label=label,
                case_path=case_path(detail.application.id) if in_review else None,
                me=principal.user_id, names=display_names(deps, principal, people),
            ),
        )  # fmt: skip

"""The workbench of one case: everything an analyst reads to decide it, and the decision panel.

The page reads through the same use cases as `GET /api/v1/applications/{id}` and
`GET /api/v1/queue`; every act on the case (taking it, deciding, releasing it) is the page's
script calling the JSON API, so the page can do nothing an API client could not. Only those who
may decide (decision:create) open it; a read-only role reads the application elsewhere.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, get
from litestar.params import FromPath

from adapters.serialization import unstructure
from application.credit.application_detail import ApplicationDetail, GetApplicationDetail
from application.credit.queries import QueueQuery
from application.credit.queue_views import ListQueue
from domain.credit.decisions import ConditionType, Terms
from domain.credit.overrides import MIN_JUSTIFICATION
from domain.credit.queue import QueueStatus
from domain.identity import Permission, Principal
from entrypoints.composition import Deps
from entrypoints.http.auth import AppDeps, CurrentPrincipal
from entrypoints.web import workbench_view as view
from entrypoints.web.case_attention import attention_values
from entrypoints.web.factor_chart import factor_chart
from entrypoints.web.guards import page
from entrypoints.web.layout import page_context
from entrypoints.web.rendering import render
from entrypoints.web.second_opinion_view import second_opinion_values
from entrypoints.web.workbench_factors import factor_inputs, readings

PATH = "/app/cases"
#: The most cases of one queue the previous / next shortcuts walk through.
QUEUE_WINDOW = 100


def queue_order(deps: Deps, principal: Principal) -> tuple[str, ...]:
    """The analyst's own open cases in queue order (priority first), else the unassigned ones."""
    listing = ListQueue(deps.uow())
    mine = listing(principal, QueueQuery(analyst_id=principal.user_id, page_size=QUEUE_WINDOW))
    if mine.items:
        return tuple(entry.application_id for entry in mine.items)
    pending = QueueQuery(statuses=frozenset({QueueStatus.PENDING}), page_size=QUEUE_WINDOW)
    return tuple(entry.application_id for entry in listing(principal, pending).items)


def case_values(detail: ApplicationDetail, principal: Principal) -> dict[str, Any]:
    """The template's values for one case (everything but the layout's)."""
    form = detail.application.form
    features = view.features_of(detail)
    currency = form.loan.amount.currency
    contributions = detail.scoring.model.contribution_map() if detail.scoring else {}
    factors = factor_inputs(contributions, readings(form, features))
    requested = Terms.requested(form.loan)
    return {
        "application": detail.application,
        "scoring": detail.scoring,
        "entry": detail.queue_entry,
        "applicant": view.applicant_facts(form),
        "financials": view.financial_facts(form),
        "ratios": view.ratio_facts(features, currency),
        "chart": factor_chart(factors),
        "recommendation": view.recommendation(detail),
        "state": view.case_state(detail, principal),
        "history": view.history(detail.decisions, principal),
        "similar": detail.similar,
        "version": view.case_version(unstructure(detail)),
        "requested": requested,
        "requested_payment": view.money(requested.monthly_payment),
        "condition_types": [(kind.value, kind.value.replace("_", " ")) for kind in ConditionType],
        "reason_categories": view.REASON_CATEGORIES,
        "templates": view.DECLINE_TEMPLATES,
        "min_justification": MIN_JUSTIFICATION,
    }


class WorkbenchPage(Controller):
    """`/app/cases/{application_id}`: one case in the workbench."""

    path = PATH
    include_in_schema = False

    @get("/{application_id:str}", **page(Permission.DECISION_CREATE))
    def case(
        self, deps: AppDeps, principal: CurrentPrincipal, application_id: FromPath[str]
    ) -> Any:
        detail = GetApplicationDetail(deps.uow())(principal, application_id)
        previous, following = view.neighbours(queue_order(deps, principal), application_id)
        values = case_values(detail, principal)
        values.update(attention_values(deps, principal, detail.queue_entry))
        values.update(second_opinion_values(deps, principal, application_id))
        return render(
            "workbench.html",
            page_context(
                deps, principal, "queue",
                viewer=principal, previous=previous, following=following, **values,
            ),
        )  # fmt: skip

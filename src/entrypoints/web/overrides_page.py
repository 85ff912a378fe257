"""The overrides page: each decision that went against the model and waits for a second
person, the model's recommendation beside the analyst's decision, approve or reject.

It reads through the use cases behind `GET /api/v1/decisions/pending-overrides` and the
application detail (for the score and probability of default the model gave). Approving and
rejecting go through the API from `overrides.js`; the four-eyes rule (nobody reviews their own
override) is the domain's, and its refusal is shown on the page as the API words it.
"""

from __future__ import annotations

from typing import Any

from attrs import frozen
from litestar import Controller, get

from application.credit.application_detail import ApplicationDetail, GetApplicationDetail
from application.credit.overrides import ListPendingOverrides
from domain.credit.decisions import Decision
from domain.credit.routing import RoutingOutcome
from domain.identity import Permission
from entrypoints.http.auth import AppDeps, CurrentPrincipal
from entrypoints.web.application_view import label, masked_name, money
from entrypoints.web.guards import page
from entrypoints.web.layout import page_context
from entrypoints.web.people import display_names
from entrypoints.web.rendering import render

#: What the model's routing outcome recommends, in the words of a decision.
RECOMMENDATION = {
    RoutingOutcome.AUTO_APPROVE: "Approve",
    RoutingOutcome.AUTO_DECLINE: "Decline",
    RoutingOutcome.HUMAN_REVIEW: "Review by a person",
}


@frozen
class PendingOverride:
    """One override awaiting review, with the application it decides."""

    decision: Decision
    detail: ApplicationDetail

    @property
    def recommendation(self) -> str:
        return RECOMMENDATION[self.decision.model_outcome]


class OverridesPage(Controller):
    include_in_schema = False

    @get("/app/overrides", **page(Permission.DECISION_APPROVE_OVERRIDE))
    def overrides(self, deps: AppDeps, principal: CurrentPrincipal) -> Any:
        detail_of = GetApplicationDetail(deps.uow())
        pending = [
            PendingOverride(decision, detail_of(principal, decision.application_id))
            for decision in ListPendingOverrides(deps.uow())(principal)
        ]
        return render(
            "overrides.html",
            page_context(
                deps, principal, "overrides",
                pending=pending, label=label, money=money, masked_name=masked_name,
                me=principal.user_id,
                names=display_names(deps, principal, (p.decision.decided_by for p in pending)),
            ),
        )  # fmt: skip

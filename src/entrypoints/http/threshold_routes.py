"""`/api/v1/thresholds`: the routing thresholds in force, their versions, and the four-eyes
way to change them (one person proposes, a different one approves, and it is in force at once).

Reading what is in force needs only application:view (anyone who sees applications may know
how they are routed); every other route needs config:manage. Approving one's own proposal is
the domain's 403, a version reviewed twice its 409.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from attrs import frozen
from litestar import Controller, Response, get, post

from adapters.serialization import structure, unstructure
from application.credit.thresholds import (
    ActiveThresholds,
    ApproveThresholds,
    ListThresholdVersions,
    ProposeThresholds,
)
from domain.credit.application import LoanPurpose
from domain.credit.policy_versions import PolicyVersion
from domain.credit.routing import InvalidPolicy, RoutingPolicy
from domain.errors import Problem, ValidationFailed
from domain.identity import Permission
from entrypoints.http.auth import AppDeps, CurrentPrincipal, requires
from entrypoints.http.openapi_docs import DocumentedJSON, VersionNumber

BASE = "/api/v1/thresholds"
_P = Permission


@frozen
class PolicyDraft:
    """A `RoutingPolicy` as proposed. Its version is the use case's to number, so one the body
    gives is ignored."""

    auto_decline_max: float
    auto_approve_min: float
    currency: str = "EUR"
    max_loan_amount_auto: Decimal = Decimal(50_000)
    max_term_months_auto: int = 84
    review_purposes: frozenset[LoanPurpose] = frozenset()
    version: int | None = None


@frozen
class ThresholdProposal:
    policy: PolicyDraft
    note: str = ""


def proposed_policy(draft: PolicyDraft) -> RoutingPolicy:
    """The draft as a routing policy; thresholds that contradict each other are a 422."""
    try:
        return RoutingPolicy(
            version=0,
            auto_decline_max=draft.auto_decline_max,
            auto_approve_min=draft.auto_approve_min,
            currency=draft.currency,
            max_loan_amount_auto=draft.max_loan_amount_auto,
            max_term_months_auto=draft.max_term_months_auto,
            review_purposes=draft.review_purposes,
        )
    except InvalidPolicy as error:
        raise ValidationFailed((Problem("policy", str(error)),)) from None


def _json(version: PolicyVersion) -> dict[str, Any]:
    body: dict[str, Any] = unstructure(version)
    return body


class ThresholdsController(Controller):
    path = BASE
    tags = ["thresholds"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @get("/active", summary="The routing policy in force", operation_id="getActiveThresholds",
         sync_to_thread=True, **requires(_P.APPLICATION_VIEW))  # fmt: skip
    def active(self, deps: AppDeps, principal: CurrentPrincipal) -> dict[str, Any]:
        """The policy applications are routed by now; `is_default` when the tenant approved none."""
        body: dict[str, Any] = unstructure(ActiveThresholds(deps.uow())(principal))
        return body

    @get("/versions", summary="Every threshold version, newest first",
         operation_id="listThresholdVersions", sync_to_thread=True,
         **requires(_P.CONFIG_MANAGE))  # fmt: skip
    def versions(self, deps: AppDeps, principal: CurrentPrincipal) -> dict[str, Any]:
        return {"items": [_json(v) for v in ListThresholdVersions(deps.uow())(principal)]}

    @post(summary="Propose new thresholds", operation_id="proposeThresholds",
          sync_to_thread=True, **requires(_P.CONFIG_MANAGE))  # fmt: skip
    def propose(
        self,
        deps: AppDeps,
        principal: CurrentPrincipal,
        data: DocumentedJSON[ThresholdProposal],
    ) -> Response[dict[str, Any]]:
        """Body `{"policy": {...}, "note": "..."}`; 201 with the proposal and its new number."""
        asked = structure(data, ThresholdProposal)
        proposed = ProposeThresholds(deps.uow(), deps.clock)(
            principal, proposed_policy(asked.policy), asked.note
        )
        return Response(_json(proposed), status_code=201)

    @post("/{version:int}/approve", summary="Approve a proposal and put it in force",
          operation_id="approveThresholds", status_code=200, sync_to_thread=True,
          **requires(_P.CONFIG_MANAGE))  # fmt: skip
    def approve(
        self, deps: AppDeps, principal: CurrentPrincipal, version: VersionNumber
    ) -> dict[str, Any]:
        return _json(ApproveThresholds(deps.uow(), deps.clock)(principal, version))

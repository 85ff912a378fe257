"""Decisions over HTTP: decide a case, the second pair of eyes on overrides, and conditions.

An analyst's decision is posted under its application (`POST /applications/{id}/decisions`);
everything after it is addressed by the decision's id under `/api/v1/decisions`. The doors ask
for the permission the use case authorizes with; the four-eyes rule is the domain's own (the
author of an override approving it is 403, an override reviewed twice 409).
"""

from __future__ import annotations

from typing import Any

from attrs import frozen
from litestar import Controller, Response, get, post
from litestar.params import FromPath

from adapters.serialization import structure, unstructure
from application.credit.decide import DecideCase
from application.credit.fulfil_condition import FulfilCondition
from application.credit.overrides import ApproveOverride, ListPendingOverrides, RejectOverride
from domain.credit.decisions import Decision, DecisionDraft
from domain.identity import Permission
from entrypoints.http.auth import AppDeps, CurrentPrincipal, requires
from entrypoints.http.openapi_docs import DocumentedJSON, Position

BASE = "/api/v1/decisions"
_P = Permission


@frozen
class ApprovalRequest:
    """An optional comment the reviewer leaves on an approved override."""

    comment: str = ""


@frozen
class RejectionRequest:
    """Why the override is rejected; the analyst who overrode is told."""

    reason: str


def location(decision: Decision) -> str:
    return f"{BASE}/{decision.id}"


def _json(decision: Decision) -> dict[str, Any]:
    body: dict[str, Any] = unstructure(decision)
    return body


class DecideController(Controller):
    """The one decision route that lives under its application."""

    path = "/api/v1/applications"
    tags = ["decisions"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @post("/{application_id:str}/decisions", summary="Decide the application's open case",
          operation_id="decideApplication", sync_to_thread=True,
          **requires(_P.DECISION_CREATE))  # fmt: skip
    def decide(
        self,
        deps: AppDeps,
        principal: CurrentPrincipal,
        application_id: FromPath[str],
        data: DocumentedJSON[DecisionDraft],
    ) -> Response[dict[str, Any]]:
        """201 with the decision: final, or awaiting a second person when it overrides the
        model (its `override` says so)."""
        draft = structure(data, DecisionDraft)
        decision = DecideCase(deps.uow(), deps.clock, deps.ids)(principal, application_id, draft)
        return Response(_json(decision), status_code=201, headers={"Location": location(decision)})


class DecisionsController(Controller):
    path = BASE
    tags = ["decisions"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @get("/pending-overrides", summary="Overrides waiting for a second person",
         operation_id="listPendingOverrides", sync_to_thread=True,
         **requires(_P.DECISION_VIEW))  # fmt: skip
    def pending_overrides(self, deps: AppDeps, principal: CurrentPrincipal) -> dict[str, Any]:
        found = ListPendingOverrides(deps.uow())(principal)
        return {"items": [_json(decision) for decision in found]}

    @post("/{decision_id:str}/approve-override", summary="Approve an override (four eyes)",
          operation_id="approveOverride", status_code=200, sync_to_thread=True,
          **requires(_P.DECISION_APPROVE_OVERRIDE))  # fmt: skip
    def approve_override(
        self,
        deps: AppDeps,
        principal: CurrentPrincipal,
        decision_id: FromPath[str],
        data: DocumentedJSON[ApprovalRequest | None] = None,
    ) -> dict[str, Any]:
        """The decision becomes final and the application approved or declined."""
        request = structure(data or {}, ApprovalRequest)
        approved = ApproveOverride(deps.uow(), deps.clock, deps.ids)(
            principal, decision_id, request.comment
        )
        return _json(approved)

    @post("/{decision_id:str}/reject-override", summary="Reject an override (four eyes)",
          operation_id="rejectOverride", status_code=200, sync_to_thread=True,
          **requires(_P.DECISION_APPROVE_OVERRIDE))  # fmt: skip
    def reject_override(
        self,
        deps: AppDeps,
        principal: CurrentPrincipal,
        decision_id: FromPath[str],
        data: DocumentedJSON[RejectionRequest],
    ) -> dict[str, Any]:
        """Body `{"reason": ...}`; the decision is reverted and the case goes back to the queue."""
        request = structure(data, RejectionRequest)
        rejected = RejectOverride(deps.uow(), deps.clock, deps.ids)(
            principal, decision_id, request.reason
        )
        return _json(rejected)

    @post("/{decision_id:str}/conditions/{condition_index:int}/fulfil",
          summary="Record a condition of an approval as met",
          operation_id="fulfilCondition", status_code=200, sync_to_thread=True,
          **requires(_P.DECISION_CREATE))  # fmt: skip
    def fulfil_condition(
        self,
        deps: AppDeps,
        principal: CurrentPrincipal,
        decision_id: FromPath[str],
        condition_index: Position,
    ) -> dict[str, Any]:
        """The condition is named by its place (0-based) in the decision's `conditions`."""
        fulfilled = FulfilCondition(deps.uow(), deps.clock)(principal, decision_id, condition_index)
        return _json(fulfilled)

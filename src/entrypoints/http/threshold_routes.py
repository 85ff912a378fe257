"""`/api/v1/thresholds`: the routing thresholds in force, their versions, and the four-eyes
way to change them (one person proposes, a different one approves, and it is in force at once).

Reading what is in force needs only application:view (anyone who sees applications may know
how they are routed); every other route needs config:manage. Approving one's own proposal is
the domain's 403, a version reviewed twice its 409.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get, post
from litestar.params import FromPath, JSONBody

from adapters.serialization import structure, unstructure
from application.credit.thresholds import (
    ActiveThresholds,
    ApproveThresholds,
    ListThresholdVersions,
    ProposeThresholds,
)
from domain.credit.policy_versions import PolicyVersion
from domain.credit.routing import InvalidPolicy, RoutingPolicy
from domain.errors import Problem, ValidationFailed
from domain.identity import Permission
from entrypoints.http.auth import AppDeps, CurrentPrincipal, requires

BASE = "/api/v1/thresholds"
_P = Permission


def proposed_policy(data: dict[str, Any]) -> RoutingPolicy:
    """The body's `policy` as a routing policy. Its version is the use case's to number, so
    one the body gives is ignored; thresholds that contradict each other are a 422."""
    policy = data.get("policy")
    if not isinstance(policy, dict):
        raise ValidationFailed((Problem("policy", "is required (an object)"),))
    try:
        return structure({**policy, "version": 0}, RoutingPolicy)
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
        self, deps: AppDeps, principal: CurrentPrincipal, data: JSONBody[dict[str, Any]]
    ) -> Response[dict[str, Any]]:
        """Body `{"policy": {...}, "note": "..."}`; 201 with the proposal and its new number."""
        note = data.get("note", "")
        if not isinstance(note, str):
            raise ValidationFailed((Problem("note", "must be text"),))
        proposed = ProposeThresholds(deps.uow(), deps.clock)(principal, proposed_policy(data), note)
        return Response(_json(proposed), status_code=201)

    @post("/{version:int}/approve", summary="Approve a proposal and put it in force",
          operation_id="approveThresholds", status_code=200, sync_to_thread=True,
          **requires(_P.CONFIG_MANAGE))  # fmt: skip
    def approve(
        self, deps: AppDeps, principal: CurrentPrincipal, version: FromPath[int]
    ) -> dict[str, Any]:
        return _json(ApproveThresholds(deps.uow(), deps.clock)(principal, version))

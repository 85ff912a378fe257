"""Cases, decisions and threshold proposals stored straight through the unit of work, for the
HTTP tests of the queue, decision and threshold routes, and the table of those routes.

A case in the queue is an application in review with a queue entry; it is stored directly
rather than scored, because the routes under test start where routing ends. A score of 500
is below the default auto-decline threshold (560), so approving such a case overrides the
model; 620 is in the review band, so any decision on it agrees with the model.
"""

from __future__ import annotations

from typing import Any

from attrs import evolve

from adapters.serialization import unstructure
from domain.credit.decisions import (
    Condition,
    ConditionType,
    Decision,
    DecisionStatus,
    DecisionType,
)
from domain.credit.queue import QueueStatus
from domain.credit.status import ApplicationStatus
from domain.identity import Permission
from entrypoints.composition import Deps
from tests.builders import TENANT, a_decision, a_policy_version, a_queue_entry, an_application

_P = Permission
QUEUE = "/api/v1/queue"
DECISIONS = "/api/v1/decisions"
THRESHOLDS = "/api/v1/thresholds"
AGAINST_THE_MODEL = 500.0
IN_THE_REVIEW_BAND = 620.0
JUSTIFICATION = "Twelve months of statements show stable seasonal income well above the need."
TERMS = {"amount": {"amount": "12000", "currency": "EUR"}, "term_months": 36,
         "annual_rate_percent": "7.5"}  # fmt: skip


def store_case(
    deps: Deps,
    entry_id: str,
    *,
    tenant_id: str = TENANT,
    status: QueueStatus = QueueStatus.PENDING,
    analyst_id: str | None = None,
    score: float = AGAINST_THE_MODEL,
) -> str:
    """An application in review (`app-<entry_id>`) with its case; returns the application id."""
    application_id = f"app-{entry_id}"
    with deps.uow() as uow:
        uow.applications.add(
            an_application(id=application_id, tenant_id=tenant_id, status=ApplicationStatus.REVIEW)
        )
        uow.queue.add(
            a_queue_entry(
                id=entry_id,
                tenant_id=tenant_id,
                application_id=application_id,
                status=status,
                analyst_id=analyst_id,
                score_at_routing=score,
            )
        )
        uow.commit()
    return application_id


def store_decision(deps: Deps, decision: Decision) -> None:
    """`decision` on a decided case of its own (`entry-<decision id>`, completed)."""
    store_case(
        deps,
        f"entry-{decision.id}",
        tenant_id=decision.tenant_id,
        status=QueueStatus.COMPLETED,
        analyst_id=decision.decided_by,
    )
    with deps.uow() as uow:
        uow.decisions.add(evolve(decision, application_id=f"app-entry-{decision.id}"))
        uow.commit()


def awaiting_override(decision_id: str, *, tenant_id: str = TENANT) -> Decision:
    return a_decision(
        id=decision_id,
        tenant_id=tenant_id,
        status=DecisionStatus.AWAITING_OVERRIDE_APPROVAL,
        decided_by="user-colleague",
    )


def conditional_approval(decision_id: str, *, tenant_id: str = TENANT) -> Decision:
    condition = Condition(ConditionType.DOCUMENTATION, "Last three payslips")
    decided = a_decision(
        id=decision_id,
        tenant_id=tenant_id,
        decision_type=DecisionType.ANALYST_APPROVE_WITH_CONDITIONS,
    )
    return evolve(decided, conditions=(condition,))


def store_proposal(deps: Deps, version: int, *, tenant_id: str = TENANT) -> None:
    """Thresholds version `version` proposed by a colleague, waiting for review."""
    with deps.uow() as uow:
        uow.policies.add(
            a_policy_version(tenant_id=tenant_id, version=version, proposed_by="user-colleague")
        )
        uow.commit()


def override_draft() -> dict[str, Any]:
    return {"decision_type": "analyst_approve", "terms": TERMS,
            "override_justification": JUSTIFICATION}  # fmt: skip


def policy_json(auto_decline_max: float = 540.0) -> dict[str, Any]:
    body: dict[str, Any] = unstructure(a_policy_version().policy)
    del body["version"]
    return {**body, "auto_decline_max": auto_decline_max}


#: Every route of the three modules: (method, path as Litestar names it, JSON body, permission).
ROUTES: list[tuple[str, str, dict[str, Any] | None, Permission]] = [
    ("GET", QUEUE, None, _P.QUEUE_VIEW),
    ("GET", f"{QUEUE}/summary", None, _P.QUEUE_VIEW),
    ("POST", f"{QUEUE}/{{entry_id:str}}/assign", {}, _P.QUEUE_VIEW),
    ("POST", f"{QUEUE}/{{entry_id:str}}/start", None, _P.QUEUE_VIEW),
    ("POST", f"{QUEUE}/{{entry_id:str}}/release", None, _P.QUEUE_VIEW),
    (
        "POST",
        "/api/v1/applications/{application_id:str}/decisions",
        {"decision_type": "analyst_approve", "terms": TERMS},
        _P.DECISION_CREATE,
    ),
    ("GET", f"{DECISIONS}/pending-overrides", None, _P.DECISION_VIEW),
    (
        "POST",
        f"{DECISIONS}/{{decision_id:str}}/approve-override",
        {"comment": "Agreed."},
        _P.DECISION_APPROVE_OVERRIDE,
    ),
    (
        "POST",
        f"{DECISIONS}/{{decision_id:str}}/reject-override",
        {"reason": "Not convinced."},
        _P.DECISION_APPROVE_OVERRIDE,
    ),
    (
        "POST",
        f"{DECISIONS}/{{decision_id:str}}/conditions/{{condition_index:int}}/fulfil",
        None,
        _P.DECISION_CREATE,
    ),
    ("GET", f"{THRESHOLDS}/active", None, _P.APPLICATION_VIEW),
    ("GET", f"{THRESHOLDS}/versions", None, _P.CONFIG_MANAGE),
    ("POST", THRESHOLDS, {"policy": policy_json(), "note": "Fewer declines"}, _P.CONFIG_MANAGE),
    ("POST", f"{THRESHOLDS}/{{version:int}}/approve", None, _P.CONFIG_MANAGE),
]
#: The (method, path) pairs of `ROUTES`, as the route-enumeration test lists guarded routes.
ROUTE_KEYS = frozenset((method, path) for method, path, _body, _permission in ROUTES)

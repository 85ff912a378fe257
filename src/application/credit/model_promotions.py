"""Moving a model version between stages, four eyes at a time, and listing the registry.

One person with config:manage requests a move (to challenger, champion or retired) with a
reason; a different person with config:manage approves or rejects it. The rules are the
domain's (`domain.credit.model_registry`); these use cases load and store the versions,
write the audit events and tell people through the outbox:

* a request sends `model.promotion_awaiting_approval`, for the reviewers;
* a rejection sends `model.promotion_rejected`, naming the requester (the reason why is in
  the audit event, since the version itself keeps no trace of a rejected request);
* an approval sends `model.promoted`, for the people who follow the registry (scoring needs
  no message: it asks the registry for the champion every time, see `ScoreApplication`).

Approving a promotion to champion retires the tenant's current champion in the same unit of
work, and stores the retirement first: the registry holds at most one champion per tenant (a
unique index in SQL), so of two approvals racing to crown different models, one fails cleanly
instead of leaving two champions.
"""

from __future__ import annotations

from attrs import frozen

from application.credit.ports import UnitOfWork
from application.credit.recording import Journal, Topic
from application.credit.snapshots import snapshot
from application.errors import NotFound
from application.ports import Clock, IdGenerator
from domain.credit.model_registry import (
    ModelStage,
    ModelVersion,
    approve_promotion,
    reject_promotion,
    request_promotion,
)
from domain.identity import Permission, Principal, authorize

ENTITY = "model_version"


def load_model(uow: UnitOfWork, tenant_id: str, version: str) -> ModelVersion:
    found = uow.models.get(tenant_id, version)
    if found is None:
        raise NotFound("model version", version)
    return found


@frozen
class RequestPromotion:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator

    def __call__(
        self, principal: Principal, version: str, target: ModelStage, reason: str
    ) -> ModelVersion:
        """Ask for `version` to move to `target`; nothing moves until someone else approves."""
        authorize(principal, Permission.CONFIG_MANAGE)
        now = self.clock.now()
        with self.uow:
            stored = load_model(self.uow, principal.tenant_id, version)
            requested = request_promotion(
                stored, target, requester=principal, now=now, reason=reason
            )
            self.uow.models.update(requested)
            journal = Journal.of(self.uow, principal, now)
            journal.audit(
                "model.promotion_requested",
                ENTITY,
                version,
                old=snapshot(stored),
                new=snapshot(requested),
            )
            journal.emit(
                self.ids,
                Topic.MODEL_PROMOTION_AWAITING_APPROVAL,
                {"version": version, "target": target.value, "requested_by": principal.user_id},
            )
            self.uow.commit()
            return requested


@frozen
class ApprovePromotion:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator

    def __call__(self, principal: Principal, version: str) -> ModelVersion:
        """A second person agrees: the version moves, and a displaced champion retires."""
        authorize(principal, Permission.CONFIG_MANAGE)
        tenant_id = principal.tenant_id
        now = self.clock.now()
        with self.uow:
            stored = load_model(self.uow, tenant_id, version)
            champion = self.uow.models.champion(tenant_id)
            moved, retired = approve_promotion(
                stored, reviewer=principal, now=now, current_champion=champion
            )
            journal = Journal.of(self.uow, principal, now)
            if retired is not None and champion is not None:
                self.uow.models.update(retired)  # first: one champion at a time
                journal.audit(
                    "model.retired",
                    ENTITY,
                    retired.version,
                    old=snapshot(champion),
                    new={**snapshot(retired), "replaced_by": version},
                )
            self.uow.models.update(moved)
            journal.audit(
                "model.promotion_approved",
                ENTITY,
                version,
                old=snapshot(stored),
                new=snapshot(moved),
            )
            payload: dict[str, str | int] = {"version": version, "stage": moved.stage.value}
            if retired is not None:
                payload["retired"] = retired.version
            journal.emit(self.ids, Topic.MODEL_PROMOTED, payload)
            self.uow.commit()
            return moved


@frozen
class RejectPromotion:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator

    def __call__(self, principal: Principal, version: str, comment: str) -> ModelVersion:
        """A second person disagrees, saying why: the request is dropped, nothing moves."""
        authorize(principal, Permission.CONFIG_MANAGE)
        now = self.clock.now()
        with self.uow:
            stored = load_model(self.uow, principal.tenant_id, version)
            request = stored.pending_promotion
            rejected = reject_promotion(stored, reviewer=principal, comment=comment)
            self.uow.models.update(rejected)
            journal = Journal.of(self.uow, principal, now)
            journal.audit(
                "model.promotion_rejected",
                ENTITY,
                version,
                old=snapshot(stored),
                new={**snapshot(rejected), "comment": comment.strip()},
            )
            if request is not None:  # always, once reject_promotion has accepted it
                journal.emit(
                    self.ids,
                    Topic.MODEL_PROMOTION_REJECTED,
                    {
                        "version": version,
                        "target": request.target.value,
                        "requested_by": request.requested_by,
                    },
                )
            self.uow.commit()
            return rejected


@frozen
class ListModels:
    uow: UnitOfWork

    def __call__(self, principal: Principal) -> list[ModelVersion]:
        """Every model version of the tenant, newest first, whatever its stage."""
        authorize(principal, Permission.CONFIG_MANAGE)
        with self.uow:
            return self.uow.models.list(principal.tenant_id)

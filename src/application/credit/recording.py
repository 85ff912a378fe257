"""What every mutating use case writes next to its change: audit events and outbox messages.

Both go through the use case's own unit of work, so they commit with the change or not at all
(rule 3 of DESIGN.md). Each audit event is built by `domain.audit.record_event` from the tenant's
current head, which masks personal data and links the event into the tenant's chain.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from attrs import frozen

from application.credit.ports import OutboxMessage, UnitOfWork
from application.ports import IdGenerator
from domain.audit import AuditEvent, record_event
from domain.identity import Principal
from domain.pii import JsonValue


class Topic:
    """Outbox topics: the name a relay dispatches a message by."""

    SCORE_APPLICATION = "application.score"
    APPLICATION_DECIDED = "application.decided"
    OVERRIDE_AWAITING_APPROVAL = "override.awaiting_approval"
    OVERRIDE_REJECTED = "override.rejected"
    MODEL_TRAINED = "model.trained"
    MODEL_PROMOTION_AWAITING_APPROVAL = "model.promotion_awaiting_approval"
    MODEL_PROMOTION_REJECTED = "model.promotion_rejected"
    MODEL_PROMOTED = "model.promoted"
    MODEL_DRIFT_DETECTED = "model.drift_detected"
    PROCESS_BATCH = "batch.process"
    SCORE_BATCH = "batch.score"
    BATCH_COMPLETED = "batch.completed"
    CASE_ASSIGNED = "case.assigned"
    CASE_SLA_WARNING = "case.sla_warning"
    CASE_SLA_BREACHED = "case.sla_breached"
    CASE_ESCALATED = "case.escalated"


@frozen
class Journal:
    """The audit and outbox writes of one use-case call: one tenant, one actor, one moment."""

    uow: UnitOfWork
    tenant_id: str
    actor: str
    at: datetime

    @classmethod
    def of(cls, uow: UnitOfWork, principal: Principal, at: datetime) -> Journal:
        return cls(uow, principal.tenant_id, principal.user_id, at)

    def audit(
        self,
        action: str,
        entity_type: str,
        entity_id: str,
        *,
        old: Mapping[str, JsonValue] | None = None,
        new: Mapping[str, JsonValue] | None = None,
    ) -> AuditEvent:
        """Append the event that records one change to the tenant's chain, and return it."""
        event = record_event(
            self.uow.audit.head(self.tenant_id, for_append=True),
            tenant_id=self.tenant_id,
            occurred_at=self.at,
            actor=self.actor,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            old=old,
            new=new,
        )
        self.uow.audit.append(event)
        return event

    def emit(self, ids: IdGenerator, topic: str, payload: Mapping[str, str | int]) -> OutboxMessage:
        """Queue a job or notification to leave once the unit of work commits."""
        message = OutboxMessage(
            id=ids.new_id(),
            tenant_id=self.tenant_id,
            topic=topic,
            payload=dict(payload),
            created_at=self.at,
        )
        self.uow.outbox.add(message)
        return message

"""What every mutating use case writes next to its change: audit events and outbox messages.

Both go through the use case's own unit of work, so they commit with the change or not at all
(rule 3 of DESIGN.md). Each audit event is drafted (`domain.audit_drafts`: personal data masked,
the diff taken) and linked into the tenant's chain from its current head, exactly as
`domain.audit.record_event` builds it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from attrs import frozen

from application.credit.ports import OutboxMessage, UnitOfWork
from application.ports import IdGenerator
from domain.audit import AuditEvent, ChainAnchor, unchained_event
from domain.audit_drafts import EventDraft, link_event
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
    CASE_HELP_REQUESTED = "case.help_requested"
    NOTIFICATION_DELIVER = "notification.deliver"
    RUN_EXPORT = "export.run"


@frozen
class AuditEntry:
    """One change to record: what `Journal.audit` takes, as a value, so that many can be built
    and drafted first and appended together (`Journal.audit_drafted`)."""

    action: str
    entity_type: str
    entity_id: str
    old: Mapping[str, JsonValue] | None = None
    new: Mapping[str, JsonValue] | None = None


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
        draft = self.draft(AuditEntry(action, entity_type, entity_id, old, new))
        event = link_event(self.uow.audit.anchor(self.tenant_id, for_append=True), draft)
        self.uow.audit.append(event)
        return event

    def draft(self, entry: AuditEntry) -> EventDraft:
        """The event of `entry`, masked, diffed and ready to hash, not yet in the chain."""
        return EventDraft.of(
            unchained_event(
                tenant_id=self.tenant_id,
                occurred_at=self.at,
                actor=self.actor,
                action=entry.action,
                entity_type=entry.entity_type,
                entity_id=entry.entity_id,
                old=entry.old,
                new=entry.new,
            )
        )

    def audit_drafted(self, drafts: Sequence[EventDraft]) -> list[AuditEvent]:
        """Append drafted events, in order, to the tenant's chain in one write: the events
        `audit` would append one by one.

        Only now is the head read, which holds the tenant's chain until the transaction ends
        (see `AuditLog.head`); drafting, the costly part, is done before, outside the hold.
        """
        if not drafts:
            return []
        head = self.uow.audit.anchor(self.tenant_id, for_append=True)
        events: list[AuditEvent] = []
        for draft in drafts:
            event = link_event(head, draft)
            head = ChainAnchor.at(event)
            events.append(event)
        self.uow.audit.append_many(events)
        return events

    def emit(self, ids: IdGenerator, topic: str, payload: Mapping[str, str | int]) -> OutboxMessage:
        """Queue a job or notification to leave once the unit of work commits."""
        message = self.message(ids, topic, payload)
        self.uow.outbox.add(message)
        return message

    def message(
        self, ids: IdGenerator, topic: str, payload: Mapping[str, str | int]
    ) -> OutboxMessage:
        """The message `emit` would queue, not yet queued (for `Outbox.add_many`)."""
        return OutboxMessage(
            id=ids.new_id(),
            tenant_id=self.tenant_id,
            topic=topic,
            payload=dict(payload),
            created_at=self.at,
        )

"""Fan one notifying outbox message out to the people and systems it concerns.

For one message (a case assigned, an SLA warning, a decision...) this writes, in one
transaction: an in-app message for each recipient (`domain.credit.notices.recipients`), an email
`Delivery` for each of them when email is on, a webhook `Delivery` for each endpoint subscribed
to the topic, and one `notification.deliver` outbox message per delivery, which a worker sends
and retries on its own (`DeliverNotification`). One slow mail server then holds up no inbox and
no webhook, and a crash anywhere loses nothing (rule 3 of DESIGN.md).

The message's id is the source of everything written, and a source is fanned out once: a
message handled again (delivery is at least once) finds its notifications and writes nothing;
two workers racing on it are stopped by the stores' uniqueness per source and recipient.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from attrs import field, frozen

from application.credit.ports import OutboxMessage, UnitOfWork
from application.credit.recording import Topic
from application.errors import NotFound
from application.ports import AlreadyExists, Clock, IdGenerator
from domain.credit.notices import Notice, recipients, template_of
from domain.errors import Problem, ValidationFailed
from domain.notifications import Channel, Delivery, InboxMessage, render
from domain.webhooks import subscribers

#: The outbox topics that notify someone, and the notice each one is.
NOTICE_OF_TOPIC: Mapping[str, Notice] = MappingProxyType(
    {
        Topic.CASE_ASSIGNED: Notice.CASE_ASSIGNED,
        Topic.CASE_SLA_WARNING: Notice.SLA_WARNING,
        Topic.CASE_SLA_BREACHED: Notice.SLA_BREACHED,
        Topic.CASE_ESCALATED: Notice.CASE_ESCALATED,
        Topic.CASE_HELP_REQUESTED: Notice.HELP_REQUESTED,
        Topic.OVERRIDE_AWAITING_APPROVAL: Notice.OVERRIDE_AWAITING_APPROVAL,
        Topic.APPLICATION_DECIDED: Notice.DECISION_MADE,
    }
)
NOTIFYING_TOPICS = frozenset(NOTICE_OF_TOPIC)
#: The channels that leave the system; the in-app inbox is always on.
EXTERNAL_CHANNELS = frozenset({Channel.EMAIL, Channel.WEBHOOK})
_ABOUT_A_DECISION = frozenset({Notice.OVERRIDE_AWAITING_APPROVAL, Notice.DECISION_MADE})


@frozen
class FannedOut:
    """What one source produced: in-app messages (by user) and deliveries."""

    messages: tuple[InboxMessage, ...]
    deliveries: tuple[Delivery, ...]


def notice_of(topic: str) -> Notice:
    try:
        return NOTICE_OF_TOPIC[topic]
    except KeyError:
        raise ValidationFailed((Problem("topic", f"{topic} is not a notification"),)) from None


def _context(
    uow: UnitOfWork, tenant_id: str, notice: Notice, payload: Mapping[str, str | int]
) -> dict[str, str]:
    """The template's variables: the payload, plus what a decision's notice says of it (who
    decided, and how), looked up now so that the payload stays ids only."""
    context = {key: str(value) for key, value in payload.items() if key != "tenant_id"}
    decision_id = context.get("decision_id")
    if notice in _ABOUT_A_DECISION and decision_id is not None:
        decision = uow.decisions.get(tenant_id, decision_id)
        if decision is None:
            raise NotFound("decision", decision_id)
        context.update(
            decided_by=decision.decided_by,
            decision_type=decision.decision_type.value,
            outcome="approved" if decision.decision_type.approves else "declined",
        )
    return context


@frozen
class FanOutNotification:
    """`channels` are the external channels that are on (email only with a mail server)."""

    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    channels: frozenset[Channel] = field(default=EXTERNAL_CHANNELS)

    def __call__(
        self, tenant_id: str, source_id: str, topic: str, payload: Mapping[str, str | int]
    ) -> FannedOut:
        notice = notice_of(topic)
        now = self.clock.now()
        with self.uow:
            done = self._existing(tenant_id, source_id)
            if done is not None:
                return done
            context = _context(self.uow, tenant_id, notice, payload)
            rendered = render(template_of(notice), context)
            users = recipients(notice, context, self.uow.users.list(tenant_id))
            messages = tuple(
                InboxMessage(
                    id=self.ids.new_id(),
                    tenant_id=tenant_id,
                    user_id=user_id,
                    source_id=source_id,
                    template=notice.value,
                    subject=rendered.subject,
                    body=rendered.text,
                    created_at=now,
                )
                for user_id in users
            )
            targets = [(Channel.EMAIL, user_id) for user_id in users]
            targets += [
                (Channel.WEBHOOK, endpoint.id)
                for endpoint in subscribers(self.uow.webhooks.list(tenant_id), topic)
            ]
            deliveries = tuple(
                Delivery(
                    id=self.ids.new_id(),
                    tenant_id=tenant_id,
                    source_id=source_id,
                    event=topic,
                    channel=channel,
                    recipient=recipient,
                    template=notice.value,
                    context=context,
                    created_at=now,
                )
                for channel, recipient in targets
                if channel in self.channels
            )
            try:
                self._store(messages, deliveries)
            except AlreadyExists:  # another worker fanned this source out first
                self.uow.rollback()
                return self._existing(tenant_id, source_id) or FannedOut((), ())
            self.uow.commit()
            return FannedOut(messages, deliveries)

    def _existing(self, tenant_id: str, source_id: str) -> FannedOut | None:
        messages = self.uow.inbox.from_source(tenant_id, source_id)
        deliveries = self.uow.deliveries.from_source(tenant_id, source_id)
        return FannedOut(tuple(messages), tuple(deliveries)) if messages or deliveries else None

    def _store(self, messages: tuple[InboxMessage, ...], deliveries: tuple[Delivery, ...]) -> None:
        for message in messages:
            self.uow.inbox.add(message)
        for delivery in deliveries:
            self.uow.deliveries.add(delivery)
            self.uow.outbox.add(
                OutboxMessage(
                    id=self.ids.new_id(),
                    tenant_id=delivery.tenant_id,
                    topic=Topic.NOTIFICATION_DELIVER,
                    payload={"delivery_id": delivery.id},
                    created_at=delivery.created_at,
                )
            )

"""A credit desk with its notifications wired over the fakes, and what the worker would do:
fan each notifying outbox message out, and send each delivery."""

from __future__ import annotations

from datetime import timedelta

from application.credit.deliver_notification import DeliverNotification
from application.credit.inbox import ListNotifications, MarkNotificationsRead
from application.credit.notify import NOTIFYING_TOPICS, FannedOut, FanOutNotification
from application.credit.ports import OutboxMessage
from application.credit.recording import Topic
from application.credit.webhooks import DisableWebhook, ListWebhooks, RegisterWebhook
from domain.notifications import Channel, Delivery, InboxMessage
from tests.builders import TENANT
from tests.fakes import FakeEmailSender, FakeWebhookSender
from tests.unit.application.helpers import Desk

RETRY_IN = timedelta(seconds=30)


class NotificationDesk(Desk):
    def __init__(self, *, email: bool = True) -> None:
        super().__init__()
        uow, clock, ids = self.uow, self.clock, self.ids
        self.email = FakeEmailSender()
        self.webhook_calls = FakeWebhookSender()
        channels = frozenset({Channel.WEBHOOK, Channel.EMAIL} if email else {Channel.WEBHOOK})
        self.fan_out = FanOutNotification(uow, clock, ids, channels)
        self.deliver = DeliverNotification(
            uow, clock, self.email if email else None, self.webhook_calls
        )
        self.inbox = ListNotifications(uow)
        self.mark_read = MarkNotificationsRead(uow, clock)
        self.register_webhook = RegisterWebhook(uow, clock, ids)
        self.list_webhooks = ListWebhooks(uow)
        self.disable_webhook = DisableWebhook(uow, clock)

    def pending(self, *topics: str) -> list[OutboxMessage]:
        return self.read(lambda uow: uow.outbox.pending(1000, topics=topics or None))

    def sent(self, message: OutboxMessage) -> None:
        with self.uow:
            self.uow.outbox.mark_sent(message.id)
            self.uow.commit()

    def fan_out_pending(self) -> list[FannedOut]:
        """Fan out every pending notifying message, as the worker's relay and actors would."""
        done = []
        for message in self.pending(*NOTIFYING_TOPICS):
            done.append(self.fan_out(message.tenant_id, message.id, message.topic, message.payload))
            self.sent(message)
        return done

    def deliver_pending(self, retry_in: timedelta | None = RETRY_IN) -> list[Delivery]:
        """Attempt every pending delivery job once (failures are left to the caller)."""
        done = []
        for message in self.pending(Topic.NOTIFICATION_DELIVER):
            self.sent(message)
            delivery_id = str(message.payload["delivery_id"])
            done.append(self.deliver(message.tenant_id, delivery_id, retry_in=retry_in))
        return done

    def inbox_of(self, user_id: str) -> list[InboxMessage]:
        page = self.read(
            lambda uow: uow.inbox.page(TENANT, user_id, unread_only=False, page=1, page_size=100)
        )
        return list(page.items)

    def delivery(self, delivery_id: str) -> Delivery:
        found = self.read(lambda uow: uow.deliveries.get(TENANT, delivery_id))
        assert found is not None
        return found

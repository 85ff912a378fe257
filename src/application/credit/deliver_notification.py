"""Send one delivery (an email, a webhook call) and record how the attempt went.

The delivery is read, the message built (the recipient's current address, the template, a fresh
signature), and then sent outside any transaction: a slow mail server must not hold the
database's locks. The outcome is written in a second transaction. A failed attempt is recorded
on the delivery (attempts, error, when the next try is expected) and `DeliveryFailed` is raised
again, so the queue retries it with backoff; the caller says whether another try will follow
(`retry_in`), and after the last one the delivery is `failed`. A delivery already sent is never
sent again, however often its job runs.

Some deliveries cannot succeed by waiting: the recipient left, the endpoint was disabled, email
was switched off. Those are recorded as failed at once, with the reason, and not retried.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol

from attrs import frozen

from application.credit.ports import UnitOfWork
from application.errors import NotFound
from application.ports import (
    Clock,
    DeliveryFailed,
    EmailMessage,
    EmailSender,
    WebhookRequest,
    WebhookSender,
)
from domain.credit.notices import Notice, template_of
from domain.errors import Problem, ValidationFailed
from domain.identity import Permission, Principal, authorize
from domain.notifications import (
    Channel,
    Delivery,
    DeliveryStatus,
    MissingVariables,
    attempt_failed,
    delivered,
    render,
)
from domain.webhooks import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    signature_header,
    webhook_body,
)


class _Sending(Protocol):
    def __call__(self) -> None: ...


class _Undeliverable(Exception):
    """Why a delivery cannot be sent at all (recorded as its error; not retried)."""


@frozen
class DeliverNotification:
    """`email` is None when no mail server is configured."""

    uow: UnitOfWork
    clock: Clock
    email: EmailSender | None
    webhooks: WebhookSender

    def __call__(self, tenant_id: str, delivery_id: str, *, retry_in: timedelta | None) -> Delivery:
        """Attempt the delivery; `retry_in` is when the queue will try again if this attempt
        fails (None: this is the last attempt)."""
        with self.uow:
            delivery = self._load(tenant_id, delivery_id)
            if delivery.status is DeliveryStatus.SENT:
                return delivery
            sending = self._prepared(delivery)
        if isinstance(sending, str):  # nothing to try: fails now, for good
            return self._record_failure(tenant_id, delivery_id, sending, None)
        try:
            sending()
        except DeliveryFailed as failure:
            self._record_failure(tenant_id, delivery_id, str(failure), retry_in)
            raise
        except Exception as error:  # a bug, not the far side: record its kind only
            self._record_failure(
                tenant_id, delivery_id, f"unexpected {type(error).__name__}", retry_in
            )
            raise
        return self._record_success(tenant_id, delivery_id)

    def _load(self, tenant_id: str, delivery_id: str) -> Delivery:
        delivery = self.uow.deliveries.get(tenant_id, delivery_id)
        if delivery is None:
            raise NotFound("delivery", delivery_id)
        return delivery

    def _prepared(self, delivery: Delivery) -> _Sending | str:
        """What sends the delivery, or why it cannot be sent."""
        try:
            if delivery.channel is Channel.EMAIL:
                return self._email(delivery)
            if delivery.channel is Channel.WEBHOOK:
                return self._webhook(delivery)
            raise _Undeliverable(f"{delivery.channel.value} is not sent by a delivery")
        except _Undeliverable as reason:
            return str(reason)

    def _email(self, delivery: Delivery) -> _Sending:
        sender = self.email
        if sender is None:
            raise _Undeliverable("email is off: no mail server is configured")
        user = self.uow.users.get(delivery.tenant_id, delivery.recipient)
        if user is None or not user.active:
            raise _Undeliverable("the recipient is no longer an active user")
        try:
            rendered = render(template_of(Notice(delivery.template)), delivery.context)
        except (ValueError, MissingVariables) as unrenderable:  # a template changed since
            raise _Undeliverable(f"cannot be rendered: {unrenderable}") from None
        message = EmailMessage(
            to=user.email,
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
            reference=delivery.id,
        )
        return lambda: sender.send(message)

    def _webhook(self, delivery: Delivery) -> _Sending:
        endpoint = self.uow.webhooks.get(delivery.tenant_id, delivery.recipient)
        if endpoint is None or not endpoint.active:
            raise _Undeliverable("the webhook endpoint was disabled")
        body = webhook_body(delivery)
        timestamp = int(self.clock.now().timestamp())
        request = WebhookRequest(
            url=endpoint.url,
            body=body,
            headers={
                "Content-Type": "application/json",
                EVENT_HEADER: delivery.event,
                DELIVERY_HEADER: delivery.id,
                SIGNATURE_HEADER: signature_header(endpoint.secret, timestamp, body),
            },
        )
        return lambda: self.webhooks.post(request)

    def _record_failure(
        self, tenant_id: str, delivery_id: str, error: str, retry_in: timedelta | None
    ) -> Delivery:
        now = self.clock.now()
        retry_at = None if retry_in is None else now + retry_in
        with self.uow:
            delivery = self._load(tenant_id, delivery_id)
            if delivery.status is DeliveryStatus.SENT:  # another attempt went through meanwhile
                return delivery
            failed = attempt_failed(delivery, now, error, retry_at=retry_at)
            self.uow.deliveries.update(failed)
            self.uow.commit()
            return failed

    def _record_success(self, tenant_id: str, delivery_id: str) -> Delivery:
        with self.uow:
            delivery = self._load(tenant_id, delivery_id)
            if delivery.status is DeliveryStatus.SENT:
                return delivery
            sent = delivered(delivery, self.clock.now())
            self.uow.deliveries.update(sent)
            self.uow.commit()
            return sent


@frozen
class ListDeliveries:
    """The tenant's latest deliveries (of one status, say the failed ones), for whoever
    looks after its integrations: what went out, what is still tried, and why one failed."""

    uow: UnitOfWork

    def __call__(
        self, principal: Principal, *, status: DeliveryStatus | None = None, limit: int = 50
    ) -> list[Delivery]:
        authorize(principal, Permission.CONFIG_MANAGE)
        if not 1 <= limit <= 1_000:
            raise ValidationFailed((Problem("limit", "between 1 and 1,000 deliveries"),))
        with self.uow:
            return self.uow.deliveries.recent(principal.tenant_id, limit=limit, status=status)

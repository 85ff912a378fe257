"""Builders of notification values for tests, every field defaulted and overridable (the
notification counterpart of tests/builders.py)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from domain.notifications import Channel, Delivery, DeliveryStatus, InboxMessage
from domain.webhooks import WebhookEndpoint
from tests.builders import NOW, TENANT

SECRET = "whsec-0123456789abcdefghijklmnop"
DECIDED_CONTEXT: Mapping[str, str] = {
    "application_id": "app-1",
    "decision_id": "dec-1",
    "decided_by": "user-ana",
    "decision_type": "analyst_approve",
    "outcome": "approved",
}


def an_inbox_message(
    message_id: str = "msg-1",
    *,
    tenant_id: str = TENANT,
    user_id: str = "user-ana",
    source_id: str = "src-1",
    created_at: datetime = NOW,
    read_at: datetime | None = None,
) -> InboxMessage:
    return InboxMessage(
        id=message_id,
        tenant_id=tenant_id,
        user_id=user_id,
        source_id=source_id,
        template="case_assigned",
        subject="Case assigned to you: application app-1",
        body="The case entry-1 for application app-1 was assigned to you by user-sen.",
        created_at=created_at,
        read_at=read_at,
    )


def a_delivery(
    delivery_id: str = "dlv-1",
    *,
    tenant_id: str = TENANT,
    source_id: str = "src-1",
    channel: Channel = Channel.WEBHOOK,
    recipient: str = "hook-1",
    created_at: datetime = NOW,
    status: DeliveryStatus = DeliveryStatus.PENDING,
    attempts: int = 0,
    last_error: str | None = None,
    next_attempt_at: datetime | None = None,
    sent_at: datetime | None = None,
) -> Delivery:
    return Delivery(
        id=delivery_id,
        tenant_id=tenant_id,
        source_id=source_id,
        event="application.decided",
        channel=channel,
        recipient=recipient,
        template="decision_made",
        context=DECIDED_CONTEXT,
        created_at=created_at,
        status=status,
        attempts=attempts,
        last_error=last_error,
        next_attempt_at=next_attempt_at,
        sent_at=sent_at,
    )


def a_webhook_endpoint(
    endpoint_id: str = "hook-1",
    *,
    tenant_id: str = TENANT,
    url: str = "https://lender.example.com/creditdesk/events?token=abc",
    secret: str = SECRET,
    events: frozenset[str] = frozenset({"application.decided"}),
    created_at: datetime = NOW,
    active: bool = True,
) -> WebhookEndpoint:
    return WebhookEndpoint(
        id=endpoint_id,
        tenant_id=tenant_id,
        url=url,
        secret=secret,
        events=events,
        created_at=created_at,
        created_by="user-adm",
        active=active,
    )

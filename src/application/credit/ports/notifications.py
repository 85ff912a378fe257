"""Where notifications live: people's in-app inboxes, the deliveries that leave by email or
webhook, and the webhook endpoints tenants register (see `domain.notifications`)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from application.credit.queries import Page
from domain.notifications import Delivery, DeliveryStatus, InboxMessage
from domain.webhooks import WebhookEndpoint


class InboxRepository(Protocol):
    """Each person's messages. A person reads only their own: every read names the user."""

    def add(self, message: InboxMessage) -> None:
        """Store a message; `AlreadyExists` if its id is taken, or if its user already has a
        message from the same source (a notification handled twice)."""
        ...

    def get(self, tenant_id: str, message_id: str) -> InboxMessage | None: ...

    def update(self, message: InboxMessage) -> None:
        """Store the message's new state (it was read); `RecordNotFound` if it is unknown."""
        ...

    def page(
        self, tenant_id: str, user_id: str, *, unread_only: bool, page: int, page_size: int
    ) -> Page[InboxMessage]:
        """One numbered page of the user's messages: unread ones first, then newest first
        (`created_at`, then greater id); with `unread_only` the unread ones alone."""
        ...

    def unread_count(self, tenant_id: str, user_id: str) -> int: ...

    def mark_all_read(self, tenant_id: str, user_id: str, at: datetime) -> int:
        """Mark every unread message of the user read at `at`; how many there were."""
        ...

    def from_source(self, tenant_id: str, source_id: str) -> list[InboxMessage]:
        """The messages one outbox message produced, by user id."""
        ...


class DeliveryRepository(Protocol):
    """Copies of notifications leaving by email or webhook, with their attempts."""

    def add(self, delivery: Delivery) -> None:
        """Store a delivery; `AlreadyExists` if its id is taken, or if the same source already
        has a delivery by that channel to that recipient."""
        ...

    def get(self, tenant_id: str, delivery_id: str) -> Delivery | None: ...

    def update(self, delivery: Delivery) -> None:
        """Store the delivery's new state; `RecordNotFound` if it is unknown."""
        ...

    def from_source(self, tenant_id: str, source_id: str) -> list[Delivery]:
        """The deliveries one outbox message produced, by channel then recipient."""
        ...

    def recent(
        self, tenant_id: str, *, limit: int, status: DeliveryStatus | None = None
    ) -> list[Delivery]:
        """The tenant's latest `limit` deliveries (of `status`, when given), newest
        `created_at` first, ties to the greater id."""
        ...


class WebhookEndpointRepository(Protocol):
    def add(self, endpoint: WebhookEndpoint) -> None:
        """`AlreadyExists` if the id is taken."""
        ...

    def get(self, tenant_id: str, endpoint_id: str) -> WebhookEndpoint | None: ...

    def update(self, endpoint: WebhookEndpoint) -> None:
        """`RecordNotFound` if the endpoint is unknown."""
        ...

    def list(self, tenant_id: str) -> list[WebhookEndpoint]:
        """Every endpoint of the tenant, disabled ones included, oldest first (then by id)."""
        ...

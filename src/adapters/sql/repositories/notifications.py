"""People's inboxes, deliveries and webhook endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, bindparam, func, select, update

from adapters.sql import paging
from adapters.sql.records import from_record, to_record
from adapters.sql.schema import deliveries, inbox_messages, webhook_endpoints
from adapters.sql.transaction import Transaction
from application.credit.queries import Page
from domain.notifications import Delivery, DeliveryStatus, InboxMessage, mark_read
from domain.webhooks import WebhookEndpoint

_i = inbox_messages.c
_d = deliveries.c
_w = webhook_endpoints.c


def _message_row(message: InboxMessage) -> dict[str, Any]:
    return {
        "tenant_id": message.tenant_id,
        "id": message.id,
        "user_id": message.user_id,
        "source_id": message.source_id,
        "created_at": message.created_at,
        "read_at": message.read_at,
        "record": to_record(message),
    }


class SqlInboxRepository:
    def __init__(self, db: Transaction) -> None:
        self._db = db

    def add(self, message: InboxMessage) -> None:
        self._db.insert_new(inbox_messages, _message_row(message), f"message {message.id}")

    def get(self, tenant_id: str, message_id: str) -> InboxMessage | None:
        record = self._db.execute(
            select(_i.record).where(_i.tenant_id == tenant_id, _i.id == message_id)
        ).scalar_one_or_none()
        return None if record is None else from_record(record, InboxMessage)

    def update(self, message: InboxMessage) -> None:
        statement = (
            update(inbox_messages)
            .where(_i.tenant_id == message.tenant_id, _i.id == message.id)
            .values(read_at=message.read_at, record=to_record(message))
        )
        self._db.update_existing(statement, f"message {message.id}")

    def page(
        self, tenant_id: str, user_id: str, *, unread_only: bool, page: int, page_size: int
    ) -> Page[InboxMessage]:
        conditions = self._of(tenant_id, user_id, unread_only=unread_only)
        total = self._db.execute(
            select(func.count()).select_from(inbox_messages).where(*conditions)
        ).scalar_one()
        records = self._db.execute(
            select(_i.record)
            .where(*conditions)
            .order_by(_i.read_at.is_not(None), _i.created_at.desc(), _i.id.desc())
            .offset(paging.offset(page, page_size))
            .limit(page_size)
        ).scalars()
        return Page(tuple(from_record(r, InboxMessage) for r in records), int(total))

    def unread_count(self, tenant_id: str, user_id: str) -> int:
        conditions = self._of(tenant_id, user_id, unread_only=True)
        counted = self._db.execute(
            select(func.count()).select_from(inbox_messages).where(*conditions)
        ).scalar_one()
        return int(counted)

    def mark_all_read(self, tenant_id: str, user_id: str, at: datetime) -> int:
        conditions = self._of(tenant_id, user_id, unread_only=True)
        unread = [
            from_record(r, InboxMessage)
            for r in self._db.execute(select(_i.record).where(*conditions)).scalars()
        ]
        if not unread:
            return 0
        statement = (
            update(inbox_messages)
            .where(_i.tenant_id == tenant_id, _i.id == bindparam("message_id"))
            .values(read_at=bindparam("read_at_value"), record=bindparam("record_value"))
        )
        read = [mark_read(message, at) for message in unread]
        self._db.write().execute(
            statement,
            [
                {"message_id": m.id, "read_at_value": m.read_at, "record_value": to_record(m)}
                for m in read
            ],
        )
        return len(read)

    def from_source(self, tenant_id: str, source_id: str) -> list[InboxMessage]:
        records = self._db.execute(
            select(_i.record)
            .where(_i.tenant_id == tenant_id, _i.source_id == source_id)
            .order_by(_i.user_id)
        ).scalars()
        return [from_record(record, InboxMessage) for record in records]

    @staticmethod
    def _of(tenant_id: str, user_id: str, *, unread_only: bool) -> list[ColumnElement[bool]]:
        conditions = [_i.tenant_id == tenant_id, _i.user_id == user_id]
        if unread_only:
            conditions.append(_i.read_at.is_(None))
        return conditions


def _delivery_row(delivery: Delivery) -> dict[str, Any]:
    return {
        "tenant_id": delivery.tenant_id,
        "id": delivery.id,
        "source_id": delivery.source_id,
        "channel": delivery.channel.value,
        "recipient": delivery.recipient,
        "status": delivery.status.value,
        "attempts": delivery.attempts,
        "created_at": delivery.created_at,
        "next_attempt_at": delivery.next_attempt_at,
        "sent_at": delivery.sent_at,
        "record": to_record(delivery),
    }


class SqlDeliveryRepository:
    def __init__(self, db: Transaction) -> None:
        self._db = db

    def add(self, delivery: Delivery) -> None:
        self._db.insert_new(deliveries, _delivery_row(delivery), f"delivery {delivery.id}")

    def get(self, tenant_id: str, delivery_id: str) -> Delivery | None:
        record = self._db.execute(
            select(_d.record).where(_d.tenant_id == tenant_id, _d.id == delivery_id)
        ).scalar_one_or_none()
        return None if record is None else from_record(record, Delivery)

    def update(self, delivery: Delivery) -> None:
        values = _delivery_row(delivery)
        del values["tenant_id"], values["id"]
        statement = (
            update(deliveries)
            .where(_d.tenant_id == delivery.tenant_id, _d.id == delivery.id)
            .values(**values)
        )
        self._db.update_existing(statement, f"delivery {delivery.id}")

    def from_source(self, tenant_id: str, source_id: str) -> list[Delivery]:
        records = self._db.execute(
            select(_d.record)
            .where(_d.tenant_id == tenant_id, _d.source_id == source_id)
            .order_by(_d.channel, _d.recipient)
        ).scalars()
        return [from_record(record, Delivery) for record in records]

    def recent(
        self, tenant_id: str, *, limit: int, status: DeliveryStatus | None = None
    ) -> list[Delivery]:
        if limit <= 0:
            return []
        statement = select(_d.record).where(_d.tenant_id == tenant_id)
        if status is not None:
            statement = statement.where(_d.status == status.value)
        records = self._db.execute(
            statement.order_by(_d.created_at.desc(), _d.id.desc()).limit(limit)
        ).scalars()
        return [from_record(record, Delivery) for record in records]


def _endpoint_row(endpoint: WebhookEndpoint) -> dict[str, Any]:
    return {
        "tenant_id": endpoint.tenant_id,
        "id": endpoint.id,
        "active": endpoint.active,
        "created_at": endpoint.created_at,
        "record": to_record(endpoint),
    }


class SqlWebhookEndpointRepository:
    def __init__(self, db: Transaction) -> None:
        self._db = db

    def add(self, endpoint: WebhookEndpoint) -> None:
        self._db.insert_new(
            webhook_endpoints, _endpoint_row(endpoint), f"webhook endpoint {endpoint.id}"
        )

    def get(self, tenant_id: str, endpoint_id: str) -> WebhookEndpoint | None:
        record = self._db.execute(
            select(_w.record).where(_w.tenant_id == tenant_id, _w.id == endpoint_id)
        ).scalar_one_or_none()
        return None if record is None else from_record(record, WebhookEndpoint)

    def update(self, endpoint: WebhookEndpoint) -> None:
        statement = (
            update(webhook_endpoints)
            .where(_w.tenant_id == endpoint.tenant_id, _w.id == endpoint.id)
            .values(active=endpoint.active, record=to_record(endpoint))
        )
        self._db.update_existing(statement, f"webhook endpoint {endpoint.id}")

    def list(self, tenant_id: str) -> list[WebhookEndpoint]:
        records = self._db.execute(
            select(_w.record).where(_w.tenant_id == tenant_id).order_by(_w.created_at, _w.id)
        ).scalars()
        return [from_record(record, WebhookEndpoint) for record in records]

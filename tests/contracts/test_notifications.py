"""The contracts of `DeliveryRepository` and `WebhookEndpointRepository`: every implementation
(tests/contracts/conftest.py) passes them, the fake and the SQL adapters on SQLite and
PostgreSQL alike. (`InboxRepository`'s is in test_inbox_messages.py.)"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from attrs import evolve

from application.credit.ports import UnitOfWork
from application.ports import AlreadyExists, RecordNotFound
from domain.notifications import Channel, DeliveryStatus, attempt_failed, delivered
from tests.builders import NOW, OTHER_TENANT, TENANT, a_user
from tests.contracts.parents import with_tenants
from tests.notification_builders import a_delivery, a_webhook_endpoint, an_inbox_message

BELGRADE = timezone(timedelta(hours=1))
ANA = "user-ana"


def test_a_delivery_comes_back_exactly_through_its_attempts(uow: UnitOfWork) -> None:
    delivery = a_delivery(created_at=datetime(2026, 11, 22, 10, 30, tzinfo=BELGRADE))
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        uow.deliveries.add(delivery)
        uow.commit()

    retry_at = NOW + timedelta(seconds=30)
    failed = attempt_failed(delivery, NOW, "HTTP 503 from the endpoint", retry_at=retry_at)
    with uow:
        found = uow.deliveries.get(TENANT, "dlv-1")
        assert found == delivery
        assert found is not None
        assert dict(found.context) == dict(delivery.context)
        assert found.created_at.utcoffset() is not None
        assert uow.deliveries.get(OTHER_TENANT, "dlv-1") is None
        uow.deliveries.update(failed)
        uow.commit()

    sent = delivered(failed, NOW + timedelta(minutes=1))
    with uow:
        assert uow.deliveries.get(TENANT, "dlv-1") == failed
        uow.deliveries.update(sent)
        uow.commit()
    with uow:
        back = uow.deliveries.get(TENANT, "dlv-1")
        assert back == sent
        assert back is not None
        assert (back.status, back.attempts, back.last_error) == (
            DeliveryStatus.SENT,
            2,
            "HTTP 503 from the endpoint",
        )
        with pytest.raises(RecordNotFound):
            uow.deliveries.update(a_delivery("dlv-404"))


def test_a_source_has_one_delivery_per_channel_and_recipient(uow: UnitOfWork) -> None:
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        uow.deliveries.add(a_delivery("d-1"))
        uow.commit()

    with uow:
        with pytest.raises(AlreadyExists):
            uow.deliveries.add(a_delivery("d-2"))
        with pytest.raises(AlreadyExists):
            uow.deliveries.add(a_delivery("d-1", recipient="hook-2"))
        uow.deliveries.add(a_delivery("d-3", channel=Channel.EMAIL, recipient=ANA))
        uow.deliveries.add(a_delivery("d-4", recipient="hook-0"))
        uow.deliveries.add(a_delivery("d-5", source_id="src-2"))
        uow.deliveries.add(a_delivery("d-1", tenant_id=OTHER_TENANT))
        uow.commit()

    with uow:
        assert [d.id for d in uow.deliveries.from_source(TENANT, "src-1")] == ["d-3", "d-4", "d-1"]
        assert [d.id for d in uow.deliveries.from_source(OTHER_TENANT, "src-1")] == ["d-1"]


def test_recent_deliveries_are_newest_first_filtered_by_status(uow: UnitOfWork) -> None:
    created = {"d-a": 0, "d-b": 5, "d-c": 5, "d-d": -5}
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        for delivery_id, minutes in created.items():
            status = DeliveryStatus.FAILED if delivery_id in {"d-a", "d-c"} else None
            uow.deliveries.add(
                a_delivery(
                    delivery_id,
                    source_id=delivery_id,
                    created_at=(NOW + timedelta(minutes=minutes)).astimezone(BELGRADE),
                    status=status or DeliveryStatus.PENDING,
                )
            )
        uow.deliveries.add(a_delivery("d-z", tenant_id=OTHER_TENANT))
        uow.commit()

    with uow:
        recent = uow.deliveries.recent
        assert [d.id for d in recent(TENANT, limit=10)] == ["d-c", "d-b", "d-a", "d-d"]
        assert [d.id for d in recent(TENANT, limit=2)] == ["d-c", "d-b"]
        assert [d.id for d in recent(TENANT, limit=0)] == []
        failed = recent(TENANT, limit=10, status=DeliveryStatus.FAILED)
        assert [d.id for d in failed] == ["d-c", "d-a"]
        assert recent(TENANT, limit=10, status=DeliveryStatus.SENT) == []


def test_an_endpoint_comes_back_with_its_secret_and_events(uow: UnitOfWork) -> None:
    endpoint = a_webhook_endpoint(
        events=frozenset({"application.decided", "case.sla_breached"}),
        created_at=datetime(2026, 11, 22, 10, 30, tzinfo=BELGRADE),
    )
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        uow.webhooks.add(endpoint)
        uow.webhooks.add(a_webhook_endpoint("hook-0", created_at=NOW + timedelta(hours=1)))
        uow.webhooks.add(a_webhook_endpoint("hook-2", created_at=NOW))
        uow.webhooks.add(a_webhook_endpoint("hook-x", tenant_id=OTHER_TENANT))
        uow.commit()

    with uow:
        found = uow.webhooks.get(TENANT, "hook-1")
        assert found == endpoint
        assert found is not None
        assert found.secret == endpoint.secret
        assert found.events == frozenset({"application.decided", "case.sla_breached"})
        assert uow.webhooks.get(OTHER_TENANT, "hook-1") is None
        assert [e.id for e in uow.webhooks.list(TENANT)] == ["hook-1", "hook-2", "hook-0"]
        with pytest.raises(AlreadyExists):
            uow.webhooks.add(a_webhook_endpoint("hook-1"))
        uow.webhooks.update(evolve(endpoint, active=False))
        uow.commit()

    with uow:
        assert uow.webhooks.get(TENANT, "hook-1") == evolve(endpoint, active=False)
        with pytest.raises(RecordNotFound):
            uow.webhooks.update(a_webhook_endpoint("hook-404"))


def test_what_is_not_committed_is_discarded(uow: UnitOfWork) -> None:
    with uow:
        with_tenants(uow, TENANT)
        uow.users.add(a_user(id=ANA))
        uow.commit()
    with uow:
        uow.inbox.add(an_inbox_message())
        uow.deliveries.add(a_delivery())
        uow.webhooks.add(a_webhook_endpoint())
        assert uow.inbox.unread_count(TENANT, ANA) == 1
        assert [e.id for e in uow.webhooks.list(TENANT)] == ["hook-1"]

    with uow:
        assert uow.inbox.get(TENANT, "msg-1") is None
        assert uow.deliveries.get(TENANT, "dlv-1") is None
        assert uow.webhooks.list(TENANT) == []

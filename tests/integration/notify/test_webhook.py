"""Webhook calls over real HTTP to a local receiver that checks each signature with
`domain.webhooks.verify`: accepted, refused, retried, never followed elsewhere."""

from __future__ import annotations

import json
import socket
import time
from datetime import UTC, datetime, timedelta

import pytest

from adapters.notify.webhook import USER_AGENT, HttpWebhookSender
from application.credit.deliver_notification import DeliverNotification
from application.ports import DeliveryFailed, WebhookRequest
from domain.notifications import DeliveryStatus
from domain.webhooks import DELIVERY_HEADER, EVENT_HEADER, signature_header
from tests.builders import TENANT
from tests.contracts.parents import with_tenants
from tests.fakes import FixedClock, InMemoryUnitOfWork
from tests.notification_builders import SECRET, a_delivery, a_webhook_endpoint
from tests.services.webhooks import REDIRECT, SLOW, WebhookReceiver, running_receiver

pytestmark = pytest.mark.integration

BODY = b'{"data":{"application_id":"app-1"},"event":"application.decided","id":"dlv-1"}'


def _loopback_sender(timeout: float) -> HttpWebhookSender:
    """A sender allowed to call the loopback receiver (the default refuses private addresses)."""
    return HttpWebhookSender(timeout=timeout, allow_private_networks=True)


def _signed(
    receiver: WebhookReceiver, timestamp: int | None = None, secret: str = SECRET
) -> WebhookRequest:
    at = int(time.time()) if timestamp is None else timestamp
    return WebhookRequest(
        url=receiver.url,
        body=BODY,
        headers={
            "Content-Type": "application/json",
            EVENT_HEADER: "application.decided",
            DELIVERY_HEADER: "dlv-1",
            "X-Creditdesk-Signature": signature_header(secret, at, BODY),
        },
    )


def test_a_signed_call_is_verified_and_accepted_by_the_receiver() -> None:
    with running_receiver(SECRET) as receiver:
        _loopback_sender(5).post(_signed(receiver))
        (call,) = receiver.received()
    assert call.refused is None
    assert call.status == 200
    assert call.body == BODY
    assert call.path == "/hooks/creditdesk?token=its-own"
    assert call.headers["content-type"] == "application/json"
    assert call.headers[EVENT_HEADER.lower()] == "application.decided"
    assert call.headers[DELIVERY_HEADER.lower()] == "dlv-1"
    assert call.headers["user-agent"] == USER_AGENT


@pytest.mark.parametrize(
    ("secret", "timestamp", "why"),
    [("another-secret-0123456789abc", None, "does not match"), (SECRET, 1_000_000, "tolerance")],
)
def test_a_call_the_receiver_cannot_verify_fails_with_its_answer(
    secret: str, timestamp: int | None, why: str
) -> None:
    with running_receiver(SECRET) as receiver:
        with pytest.raises(DeliveryFailed, match="answered HTTP 401"):
            _loopback_sender(5).post(_signed(receiver, timestamp, secret))
        (call,) = receiver.received()
    assert call.refused is not None
    assert why in call.refused


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (500, "the endpoint answered HTTP 500"),
        (404, "the endpoint answered HTTP 404"),
        (REDIRECT, "the endpoint answered HTTP 307"),
        (SLOW, "the endpoint did not answer within 0.3 s"),
    ],
)
def test_anything_but_a_timely_2xx_fails_without_naming_the_url(answer: int, reason: str) -> None:
    with running_receiver(SECRET, [answer], slow_seconds=1.5) as receiver:
        with pytest.raises(DeliveryFailed) as failed:
            _loopback_sender(0.3).post(_signed(receiver))
        calls = receiver.received()
    assert str(failed.value) == reason
    assert [c.path for c in calls] == ["/hooks/creditdesk?token=its-own"]  # never followed
    assert "its-own" not in str(failed.value)
    assert failed.value.__cause__ is None


def test_a_refused_connection_and_a_foreign_scheme_fail_plainly() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = WebhookRequest(f"http://127.0.0.1:{port}/x?token=t", BODY, {})
    with pytest.raises(DeliveryFailed, match=r"^the endpoint refused the connection$"):
        _loopback_sender(5).post(request)
    with pytest.raises(DeliveryFailed, match="not http"):
        _loopback_sender(5).post(WebhookRequest("file:///etc/passwd", BODY, {}))


def test_a_delivery_that_fails_first_is_retried_and_then_verified() -> None:
    uow = InMemoryUnitOfWork()
    clock = FixedClock(datetime.now(UTC))
    with running_receiver(SECRET, [500]) as receiver:
        with uow:
            with_tenants(uow, TENANT)
            uow.webhooks.add(a_webhook_endpoint(url=receiver.url))
            uow.deliveries.add(a_delivery(created_at=clock.now()))
            uow.commit()
        deliver = DeliverNotification(uow, clock, None, _loopback_sender(5))

        with pytest.raises(DeliveryFailed, match="HTTP 500"):
            deliver(TENANT, "dlv-1", retry_in=timedelta(seconds=1))
        with uow:
            pending = uow.deliveries.get(TENANT, "dlv-1")
        assert pending is not None
        assert (pending.status, pending.attempts, pending.last_error) == (
            DeliveryStatus.PENDING,
            1,
            "the endpoint answered HTTP 500",
        )

        clock.advance(timedelta(seconds=1))
        sent = deliver(TENANT, "dlv-1", retry_in=timedelta(seconds=2))
        first, second = receiver.wait_for(2)

    assert (sent.status, sent.attempts) == (DeliveryStatus.SENT, 2)
    assert first.refused is None  # the 500 was the receiver's choice, not a bad signature
    assert second.refused is None
    assert first.body == second.body  # the same bytes, signed anew
    assert json.loads(second.body)["id"] == "dlv-1"
    assert second.headers[DELIVERY_HEADER.lower()] == "dlv-1"

"""Sending deliveries: by email and webhook, failures recorded and retried, nothing sent twice."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from attrs import evolve

from application.credit.recording import Topic
from application.errors import NotFound
from application.ports import DeliveryFailed
from domain.notifications import Delivery, DeliveryStatus
from domain.webhooks import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, verify
from tests.builders import NOW, TENANT
from tests.notification_builders import SECRET
from tests.unit.application.helpers import ADMIN, ANALYST, SENIOR, approval
from tests.unit.application.notification_desk import RETRY_IN, NotificationDesk

HOOK_URL = "https://lender.example/creditdesk?token=t0k"
SLA = {"entry_id": "entry-1", "application_id": "app-1", "sla_deadline": "2026-11-22T17:30:00Z"}


@pytest.fixture
def desk() -> NotificationDesk:
    return NotificationDesk()


def _email_to_analyst(desk: NotificationDesk) -> Delivery:
    """A pending email delivery of an SLA warning to the analyst holding the case."""
    (delivery,) = desk.fan_out(
        TENANT, "src-1", Topic.CASE_SLA_WARNING, {**SLA, "analyst_id": ANALYST.user_id}
    ).deliveries
    return delivery


def _decision_by_webhook(desk: NotificationDesk) -> Delivery:
    desk.register_webhook(ADMIN, HOOK_URL, SECRET)
    application, _entry = desk.held()
    desk.decide(ANALYST, application.id, approval())
    (delivery,) = desk.fan_out_pending()[-1].deliveries
    return delivery


def test_an_email_goes_to_the_recipients_address_with_the_rendered_notice(
    desk: NotificationDesk,
) -> None:
    delivery = _email_to_analyst(desk)

    sent = desk.deliver(TENANT, delivery.id, retry_in=RETRY_IN)

    (email,) = desk.email.sent
    assert email.to == f"{ANALYST.user_id}@example.com"
    assert email.subject == "SLA warning: application app-1 is due 2026-11-22T17:30:00Z"
    assert "entry-1" in email.text
    assert email.html is not None
    assert "entry-1" in email.html
    assert email.reference == delivery.id
    assert (sent.status, sent.attempts, sent.sent_at, sent.last_error) == (
        DeliveryStatus.SENT,
        1,
        NOW,
        None,
    )
    assert desk.delivery(delivery.id) == sent


def test_a_webhook_call_is_signed_so_that_its_receiver_can_verify_it(
    desk: NotificationDesk,
) -> None:
    delivery = _decision_by_webhook(desk)

    desk.deliver(TENANT, delivery.id, retry_in=RETRY_IN)

    (call,) = desk.webhook_calls.posted
    assert call.url == HOOK_URL
    assert call.headers[EVENT_HEADER] == "application.decided"
    assert call.headers[DELIVERY_HEADER] == delivery.id
    assert call.headers["Content-Type"] == "application/json"
    assert verify(SECRET, call.headers[SIGNATURE_HEADER], call.body, NOW) == int(NOW.timestamp())
    assert json.loads(call.body)["data"]["outcome"] == "approved"
    assert SECRET not in call.body.decode()
    assert desk.delivery(delivery.id).status is DeliveryStatus.SENT


def test_a_failure_is_recorded_then_the_retry_succeeds(desk: NotificationDesk) -> None:
    delivery = _email_to_analyst(desk)
    desk.email.failures.append("the SMTP server answered 451")

    with pytest.raises(DeliveryFailed):
        desk.deliver(TENANT, delivery.id, retry_in=RETRY_IN)

    failed = desk.delivery(delivery.id)
    assert (failed.status, failed.attempts, failed.next_attempt_at) == (
        DeliveryStatus.PENDING,
        1,
        NOW + RETRY_IN,
    )
    assert failed.last_error == "the SMTP server answered 451"
    assert desk.email.sent == []

    desk.clock.advance(RETRY_IN)
    sent = desk.deliver(TENANT, delivery.id, retry_in=RETRY_IN)
    assert (sent.status, sent.attempts, sent.sent_at) == (
        DeliveryStatus.SENT,
        2,
        NOW + RETRY_IN,
    )
    assert len(desk.email.sent) == 1


def test_failing_to_the_last_attempt_fails_the_delivery(desk: NotificationDesk) -> None:
    delivery = _decision_by_webhook(desk)
    desk.webhook_calls.failures.extend(["HTTP 500", "HTTP 502", "timed out after 10 s"])

    for retry_in in (RETRY_IN, 2 * RETRY_IN, None):
        with pytest.raises(DeliveryFailed):
            desk.deliver(TENANT, delivery.id, retry_in=retry_in)

    failed = desk.delivery(delivery.id)
    assert (failed.status, failed.attempts, failed.next_attempt_at) == (
        DeliveryStatus.FAILED,
        3,
        None,
    )
    assert failed.last_error == "timed out after 10 s"
    assert desk.webhook_calls.posted == []


def test_a_delivery_already_sent_is_not_sent_again(desk: NotificationDesk) -> None:
    delivery = _email_to_analyst(desk)
    first = desk.deliver(TENANT, delivery.id, retry_in=RETRY_IN)
    desk.clock.advance(timedelta(minutes=5))

    again = desk.deliver(TENANT, delivery.id, retry_in=RETRY_IN)

    assert again == first
    assert len(desk.email.sent) == 1


@pytest.mark.parametrize("how", ["disabled", "user left", "email off"])
def test_what_cannot_succeed_by_waiting_fails_at_once_without_retry(
    desk: NotificationDesk, how: str
) -> None:
    deliver = desk.deliver
    if how == "disabled":
        delivery = _decision_by_webhook(desk)
        desk.disable_webhook(ADMIN, delivery.recipient)
    else:
        delivery = _email_to_analyst(desk)
        if how == "email off":
            deliver = evolve(deliver, email=None)
        else:
            with desk.uow:
                user = desk.uow.users.get(TENANT, ANALYST.user_id)
                assert user is not None
                desk.uow.users.update(evolve(user, active=False))
                desk.uow.commit()

    failed = deliver(TENANT, delivery.id, retry_in=RETRY_IN)  # no exception: no retry

    assert (failed.status, failed.attempts, failed.next_attempt_at) == (
        DeliveryStatus.FAILED,
        1,
        None,
    )
    reasons = {
        "disabled": "the webhook endpoint was disabled",
        "user left": "the recipient is no longer an active user",
        "email off": "email is off: no mail server is configured",
    }
    assert failed.last_error == reasons[how]
    assert desk.webhook_calls.posted == []
    assert desk.email.sent == []


def test_an_unknown_delivery_is_not_found(desk: NotificationDesk) -> None:
    _email_to_analyst(desk)
    with pytest.raises(NotFound):
        desk.deliver(TENANT, "dlv-404", retry_in=RETRY_IN)
    with pytest.raises(NotFound):
        desk.deliver("tenant-b", _email_to_analyst(desk).id, retry_in=RETRY_IN)


class _Broken:
    def send(self, message: object) -> None:
        raise RuntimeError(f"bug while sending to {SENIOR.user_id}@example.com")


def test_an_unexpected_error_is_recorded_by_its_kind_alone_and_raised(
    desk: NotificationDesk,
) -> None:
    delivery = _email_to_analyst(desk)
    broken = evolve(desk.deliver, email=_Broken())

    with pytest.raises(RuntimeError):
        broken(TENANT, delivery.id, retry_in=None)

    failed = desk.delivery(delivery.id)
    assert failed.status is DeliveryStatus.FAILED
    assert failed.last_error == "unexpected RuntimeError"


def test_a_delivery_its_template_no_longer_fits_fails_at_once_naming_what_is_missing(
    desk: NotificationDesk,
) -> None:
    delivery = _email_to_analyst(desk)
    with desk.uow:
        desk.uow.deliveries.update(evolve(delivery, context={"application_id": "app-1"}))
        desk.uow.commit()

    failed = desk.deliver(TENANT, delivery.id, retry_in=RETRY_IN)

    assert failed.status is DeliveryStatus.FAILED
    assert failed.last_error is not None
    assert failed.last_error.startswith("cannot be rendered: entry_id: is needed by template")
    assert desk.email.sent == []

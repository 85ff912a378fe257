"""Fanning notifying outbox messages out: who gets an in-app message, which deliveries leave,
and that a message handled twice notifies nobody twice."""

from __future__ import annotations

import pytest

from application.credit.notify import NOTIFYING_TOPICS
from application.credit.recording import Topic
from application.errors import NotFound
from domain.errors import ValidationFailed
from domain.notifications import Channel, DeliveryStatus, MissingVariables
from tests.builders import NOW, OTHER_TENANT, TENANT
from tests.notification_builders import SECRET
from tests.unit.application.helpers import (
    ADMIN,
    ADMIN_2,
    ANALYST,
    JUSTIFICATION,
    SENIOR,
    SENIOR_2,
    approval,
)
from tests.unit.application.notification_desk import NotificationDesk

HOOK_URL = "https://lender.example/creditdesk"
CASE = {"entry_id": "entry-1", "application_id": "app-1"}
SLA = {**CASE, "sla_deadline": "2026-11-22T17:30:00Z"}
HELD = {**SLA, "analyst_id": "user-bob"}


@pytest.fixture
def desk() -> NotificationDesk:
    return NotificationDesk()


def _channels(desk: NotificationDesk) -> list[tuple[Channel, str]]:
    found = desk.read(lambda uow: uow.deliveries.recent(TENANT, limit=100))
    return sorted((d.channel, d.recipient) for d in found)


def test_an_assigned_case_reaches_its_analyst_in_the_app_and_by_email(
    desk: NotificationDesk,
) -> None:
    application, entry = desk.in_review()
    desk.assign(SENIOR, entry.id, ANALYST.user_id)

    (fanned,) = desk.fan_out_pending()

    (message,) = desk.inbox_of(ANALYST.user_id)
    assert message.subject == f"Case assigned to you: application {application.id}"
    assert f"The case {entry.id} for application {application.id}" in message.body
    assert f"assigned to you by {SENIOR.user_id}" in message.body
    assert message.template == "case_assigned"
    assert fanned.messages == (message,)
    (email,) = fanned.deliveries
    assert (email.channel, email.recipient, email.status) == (
        Channel.EMAIL,
        ANALYST.user_id,
        DeliveryStatus.PENDING,
    )
    assert email.context == {
        "entry_id": entry.id,
        "application_id": application.id,
        "analyst_id": ANALYST.user_id,
        "assigned_by": SENIOR.user_id,
    }
    (job,) = desk.pending(Topic.NOTIFICATION_DELIVER)
    assert job.payload == {"delivery_id": email.id}
    assert desk.inbox_of(SENIOR.user_id) == []


def test_taking_a_case_oneself_notifies_nobody(desk: NotificationDesk) -> None:
    desk.held()
    (fanned,) = desk.fan_out_pending()
    assert fanned.messages == ()
    assert fanned.deliveries == ()
    assert desk.pending(Topic.NOTIFICATION_DELIVER) == []


def test_an_override_asks_every_approver_but_its_author(desk: NotificationDesk) -> None:
    application, _entry = desk.held(analyst=SENIOR, model_declines=True)
    decision = desk.decide(SENIOR, application.id, approval(justification=JUSTIFICATION))

    (_assigned, fanned) = desk.fan_out_pending()

    told = sorted(m.user_id for m in fanned.messages)
    assert told == sorted(p.user_id for p in (SENIOR_2, ADMIN, ADMIN_2))
    (message, *_rest) = fanned.messages
    assert message.subject == f"Override awaiting approval: application {application.id}"
    assert f"{SENIOR.user_id} overrode the model" in message.body
    assert f"decision {decision.id}, analyst_approve" in message.body
    assert _channels(desk) == [(Channel.EMAIL, user_id) for user_id in told]


def test_a_decision_goes_to_subscribed_webhooks_only(desk: NotificationDesk) -> None:
    hook = desk.register_webhook(ADMIN, HOOK_URL, SECRET)
    desk.register_webhook(ADMIN, HOOK_URL + "/cases", SECRET, events={Topic.CASE_ASSIGNED})
    off = desk.register_webhook(ADMIN, HOOK_URL + "/old", SECRET)
    desk.disable_webhook(ADMIN, off.id)
    application, _entry = desk.held()
    decision = desk.decide(ANALYST, application.id, approval())

    fanned = desk.fan_out_pending()[-1]

    assert fanned.messages == ()
    (delivery,) = fanned.deliveries
    assert (delivery.channel, delivery.recipient) == (Channel.WEBHOOK, hook.id)
    assert delivery.event == Topic.APPLICATION_DECIDED
    assert delivery.context == {
        "application_id": application.id,
        "decision_id": decision.id,
        "decided_by": ANALYST.user_id,
        "decision_type": "analyst_approve",
        "outcome": "approved",
    }


@pytest.mark.parametrize(
    ("topic", "payload", "told"),
    [
        (Topic.CASE_SLA_WARNING, HELD, ["user-bob"]),
        (Topic.CASE_SLA_WARNING, SLA, ["user-sen", "user-sen2"]),
        (Topic.CASE_SLA_BREACHED, HELD, ["user-bob", "user-sen", "user-sen2"]),
        (Topic.CASE_ESCALATED, {**CASE, "senior_id": "user-sen2"}, ["user-sen2"]),
    ],
)  # fmt: skip
def test_case_deadlines_and_escalations_reach_their_people(
    desk: NotificationDesk, topic: str, payload: dict[str, str], told: list[str]
) -> None:
    fanned = desk.fan_out(TENANT, "src-1", topic, payload)
    assert [m.user_id for m in fanned.messages] == told
    assert [d.recipient for d in fanned.deliveries] == told
    assert all(payload["application_id"] in m.subject for m in fanned.messages)


def test_a_message_handled_again_notifies_nobody_twice(desk: NotificationDesk) -> None:
    desk.register_webhook(ADMIN, HOOK_URL, SECRET, events=NOTIFYING_TOPICS)
    first = desk.fan_out(TENANT, "src-1", Topic.CASE_SLA_BREACHED, SLA)
    before = desk.stored()
    desk.clock.set(NOW.replace(hour=12))

    again = desk.fan_out(TENANT, "src-1", Topic.CASE_SLA_BREACHED, SLA)

    assert desk.stored() == before
    assert sorted(m.id for m in again.messages) == sorted(m.id for m in first.messages)
    assert {d.id for d in again.deliveries} == {d.id for d in first.deliveries}
    assert len(first.deliveries) == 3  # two seniors by email, one webhook
    assert len(desk.pending(Topic.NOTIFICATION_DELIVER)) == 3


def test_with_email_off_no_email_delivery_is_made(desk: NotificationDesk) -> None:
    quiet = NotificationDesk(email=False)
    fanned = quiet.fan_out(TENANT, "src-1", Topic.CASE_SLA_WARNING, SLA)
    assert [m.user_id for m in fanned.messages] == ["user-sen", "user-sen2"]
    assert fanned.deliveries == ()


def test_nobody_in_another_tenant_hears_of_it(desk: NotificationDesk) -> None:
    fanned = desk.fan_out(OTHER_TENANT, "src-1", Topic.CASE_SLA_WARNING, SLA)
    assert fanned == type(fanned)((), ())
    assert desk.inbox_of("user-sen") == []


def test_what_cannot_be_rendered_or_found_fails_for_good_and_writes_nothing(
    desk: NotificationDesk,
) -> None:
    before = desk.stored()
    with pytest.raises(ValidationFailed, match="score"):
        desk.fan_out(TENANT, "src-1", Topic.SCORE_APPLICATION, {"application_id": "a-1"})
    with pytest.raises(MissingVariables) as missing:
        desk.fan_out(TENANT, "src-2", Topic.CASE_SLA_WARNING, {"application_id": "a-1"})
    assert missing.value.names == ("entry_id", "sla_deadline")
    with pytest.raises(NotFound):
        desk.fan_out(
            TENANT,
            "src-3",
            Topic.APPLICATION_DECIDED,
            {"application_id": "a-1", "decision_id": "dec-404"},
        )
    assert desk.stored() == before


def test_each_delivery_leaves_by_its_own_outbox_message(desk: NotificationDesk) -> None:
    fanned = desk.fan_out(TENANT, "src-1", Topic.CASE_SLA_BREACHED, HELD)
    jobs = desk.pending(Topic.NOTIFICATION_DELIVER)
    assert sorted(str(job.payload["delivery_id"]) for job in jobs) == sorted(
        d.id for d in fanned.deliveries
    )
    assert {(job.tenant_id, job.created_at) for job in jobs} == {(TENANT, NOW)}
    assert desk.inbox_of(ANALYST.user_id) == []  # not holding it, not a senior

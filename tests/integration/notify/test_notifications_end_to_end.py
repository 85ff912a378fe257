"""Notifications end to end, through the in-process worker on SQLite: a case assigned, an
override, its approval; the outbox relay hands each message to the actors, which fan it out,
and the notices arrive in the inbox, at a real SMTP server and at a real webhook receiver that
checks every signature. A receiver failing at first is retried until it takes the call."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from adapters.queue.broker import RetryPolicy
from application.credit.decide import DecideCase
from application.credit.deliver_notification import ListDeliveries
from application.credit.inbox import ListNotifications
from application.credit.overrides import ApproveOverride
from application.credit.queue_work import AssignCase, StartCase
from application.credit.webhooks import RegisterWebhook
from domain.credit.status import ApplicationStatus
from domain.identity import Role
from domain.notifications import Channel, DeliveryStatus
from entrypoints import worker
from entrypoints.composition import Deps, build
from entrypoints.settings import Settings, SmtpSettings, WebhookSettings
from tests.builders import TENANT, a_principal, a_queue_entry, a_tenant, a_user, an_application
from tests.notification_builders import SECRET
from tests.services.smtp import SmtpServer, running_smtp
from tests.services.webhooks import WebhookReceiver, running_receiver
from tests.unit.application.helpers import JUSTIFICATION, approval

pytestmark = pytest.mark.integration

ANALYST = a_principal(Role.ANALYST, user_id="user-ana")
SENIOR = a_principal(Role.SENIOR_ANALYST, user_id="user-sen")
ADMIN = a_principal(Role.ADMIN, user_id="user-adm")
FAST = RetryPolicy(max_retries=3, min_backoff_ms=20, max_backoff_ms=100)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with running_smtp() as server:
        yield server


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with running_receiver(SECRET, answers=[500, 503]) as running:
        yield running


@pytest.fixture
def deps(tmp_path: Path, smtp: SmtpServer) -> Iterator[Deps]:
    settings = Settings(
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'creditdesk.db'}",
        smtp=SmtpSettings(host=smtp.host, port=smtp.port, sender="creditdesk@lender.example"),
        webhooks=WebhookSettings(timeout=5.0, allow_private_networks=True),  # a loopback receiver
    )
    built = build(settings)
    with built.uow() as uow:
        uow.tenants.add(a_tenant(id=TENANT, slug=TENANT))
        for person in (ANALYST, SENIOR, ADMIN):
            uow.users.add(
                a_user(
                    id=person.user_id, email=f"{person.user_id}@lender.example", role=person.role
                )
            )
        # A case in review whose score the model would decline: approving it is an override.
        uow.applications.add(an_application(id="app-1", status=ApplicationStatus.REVIEW))
        uow.queue.add(a_queue_entry(id="entry-1", application_id="app-1", score_at_routing=500.0))
        uow.commit()
    yield built
    built.close()


def _working(deps: Deps) -> Callable[[], None]:
    stop = threading.Event()
    thread = threading.Thread(
        target=worker.run,
        args=(deps, stop),
        kwargs={"threads": 2, "relay_every": 0.05, "policy": FAST},
    )
    thread.start()

    def stopped() -> None:
        stop.set()
        thread.join(timeout=30)
        assert not thread.is_alive()

    return stopped


def _wait(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.05)


def _subjects(deps: Deps, user_id: str) -> list[str]:
    person = a_principal(Role.ANALYST, user_id=user_id)
    return [m.subject for m in ListNotifications(deps.uow())(person).messages.items]


def test_a_case_reaches_its_people_by_inbox_and_email_and_its_decision_the_lender(
    deps: Deps, smtp: SmtpServer, receiver: WebhookReceiver
) -> None:
    hook = RegisterWebhook(deps.uow(), deps.clock, deps.ids)(ADMIN, receiver.url, SECRET)
    stop = _working(deps)
    try:
        AssignCase(deps.uow(), deps.clock, deps.ids)(SENIOR, "entry-1", ANALYST.user_id)
        _wait(lambda: bool(_subjects(deps, ANALYST.user_id)), "the analyst is told")
        assigned = smtp.wait_for(1)[0]
        StartCase(deps.uow(), deps.clock)(ANALYST, "entry-1")
        decide = DecideCase(deps.uow(), deps.clock, deps.ids)
        decision = decide(ANALYST, "app-1", approval(justification=JUSTIFICATION))
        _wait(lambda: bool(_subjects(deps, SENIOR.user_id)), "the reviewers are told")
        ApproveOverride(deps.uow(), deps.clock, deps.ids)(SENIOR, decision.id)
        calls = receiver.wait_for(3)  # two refusals, then the call taken
        _wait(
            lambda: len(ListDeliveries(deps.uow())(ADMIN, status=DeliveryStatus.SENT)) == 4,
            "every delivery is sent",
        )
    finally:
        stop()

    assert _subjects(deps, ANALYST.user_id) == ["Case assigned to you: application app-1"]
    assert assigned.recipients == ("user-ana@lender.example",)
    assert assigned.message["Subject"] == "Case assigned to you: application app-1"
    review = "Override awaiting approval: application app-1"
    assert _subjects(deps, SENIOR.user_id) == [review]
    assert _subjects(deps, ADMIN.user_id) == [review]
    emails = smtp.messages()
    assert sorted(e.recipients[0] for e in emails) == [
        "user-adm@lender.example",
        "user-ana@lender.example",
        "user-sen@lender.example",
    ]

    assert [c.status for c in calls] == [500, 503, 200]
    assert all(c.refused is None for c in calls)  # each attempt signed anew, and verified
    body = json.loads(calls[-1].body)
    assert body["event"] == "application.decided"
    assert body["data"] == {
        "application_id": "app-1",
        "decision_id": decision.id,
        "decided_by": ANALYST.user_id,
        "decision_type": "analyst_approve",
        "outcome": "approved",
    }
    (webhook,) = [d for d in ListDeliveries(deps.uow())(ADMIN) if d.channel is Channel.WEBHOOK]
    assert (webhook.recipient, webhook.status, webhook.attempts) == (
        hook.id,
        DeliveryStatus.SENT,
        3,
    )
    assert webhook.last_error == "the endpoint answered HTTP 503"
    assert len(receiver.received()) == 3  # sent once it was taken, never again
    with deps.uow() as uow:
        assert uow.outbox.pending(100) == []

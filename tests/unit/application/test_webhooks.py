"""Registering, listing and disabling webhook endpoints: administrators only, audited without
the secret."""

from __future__ import annotations

import json

import pytest

from application.credit.recording import Topic
from application.errors import NotFound
from domain.errors import PermissionDenied, ValidationFailed
from tests.builders import NOW, TENANT
from tests.notification_builders import SECRET
from tests.unit.application.helpers import ADMIN, ADMIN_2, OUTSIDER, SENIOR
from tests.unit.application.notification_desk import NotificationDesk

URL = "https://lender.example/hooks/creditdesk?token=abc"


@pytest.fixture
def desk() -> NotificationDesk:
    return NotificationDesk()


def test_an_administrator_registers_an_endpoint_for_decisions_by_default(
    desk: NotificationDesk,
) -> None:
    endpoint = desk.register_webhook(ADMIN, URL, SECRET)

    assert (endpoint.tenant_id, endpoint.url, endpoint.secret) == (TENANT, URL, SECRET)
    assert endpoint.events == {Topic.APPLICATION_DECIDED}
    assert (endpoint.created_at, endpoint.created_by, endpoint.active) == (NOW, ADMIN.user_id, True)
    assert desk.list_webhooks(ADMIN_2) == [endpoint]
    (event,) = desk.events()
    assert (event.action, event.entity_id, event.actor) == (
        "webhook.registered",
        endpoint.id,
        ADMIN.user_id,
    )
    recorded = json.dumps(event.new)
    assert SECRET not in recorded
    assert "token" not in recorded  # the query string may carry the receiver's own token
    assert "https://lender.example/hooks/creditdesk" in recorded


def test_an_endpoint_may_subscribe_to_any_notification(desk: NotificationDesk) -> None:
    events = {Topic.CASE_SLA_BREACHED, Topic.CASE_ESCALATED}
    assert desk.register_webhook(ADMIN, URL, SECRET, events=events).events == events


def test_a_bad_endpoint_is_refused_with_every_problem_and_nothing_stored(
    desk: NotificationDesk,
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        desk.register_webhook(ADMIN, "ftp://x", "short", events={"model.trained"})
    assert [p.path for p in refused.value.problems] == ["url", "secret", "events"]
    assert "short" not in str(refused.value)
    assert desk.list_webhooks(ADMIN) == []


def test_only_administrators_manage_endpoints(desk: NotificationDesk) -> None:
    endpoint = desk.register_webhook(ADMIN, URL, SECRET)
    with pytest.raises(PermissionDenied):
        desk.register_webhook(SENIOR, URL, SECRET)
    with pytest.raises(PermissionDenied):
        desk.list_webhooks(SENIOR)
    with pytest.raises(PermissionDenied):
        desk.disable_webhook(SENIOR, endpoint.id)
    assert desk.list_webhooks(OUTSIDER) == []
    with pytest.raises(NotFound):
        desk.disable_webhook(OUTSIDER, endpoint.id)


def test_disabling_an_endpoint_keeps_it_listed_and_is_audited_once(
    desk: NotificationDesk,
) -> None:
    endpoint = desk.register_webhook(ADMIN, URL, SECRET)

    disabled = desk.disable_webhook(ADMIN_2, endpoint.id)
    again = desk.disable_webhook(ADMIN, endpoint.id)

    assert not disabled.active
    assert again == disabled
    assert desk.list_webhooks(ADMIN) == [disabled]
    assert [e.action for e in desk.events()] == ["webhook.registered", "webhook.disabled"]
    assert desk.events()[-1].actor == ADMIN_2.user_id
    with pytest.raises(NotFound):
        desk.disable_webhook(ADMIN, "hook-404")

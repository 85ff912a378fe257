"""A person's inbox: listed unread first, marked read one by one or all at once, and only their
own."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.credit.recording import Topic
from application.errors import NotFound
from domain.errors import ValidationFailed
from tests.builders import NOW, TENANT
from tests.unit.application.helpers import ANALYST, COLLEAGUE, OUTSIDER, SENIOR, SENIOR_2
from tests.unit.application.notification_desk import NotificationDesk

SLA = {"entry_id": "entry-1", "application_id": "app-1", "sla_deadline": "2026-11-22T17:30:00Z"}


@pytest.fixture
def desk() -> NotificationDesk:
    """Five SLA warnings for the seniors, a minute apart (src-0 oldest), and one for Ana."""
    desk = NotificationDesk()
    for n in range(5):
        payload = {**SLA, "application_id": f"app-{n}"}
        desk.fan_out(TENANT, f"src-{n}", Topic.CASE_SLA_WARNING, payload)
        desk.clock.advance(timedelta(minutes=1))
    desk.fan_out(TENANT, "src-ana", Topic.CASE_SLA_WARNING, {**SLA, "analyst_id": "user-ana"})
    return desk


def _applications(
    desk: NotificationDesk, *, unread_only: bool = False, page: int = 1, page_size: int = 20
) -> list[str]:
    inbox = desk.inbox(SENIOR, unread_only=unread_only, page=page, page_size=page_size)
    return [m.subject.split("application ")[1].split()[0] for m in inbox.messages.items]


def test_an_inbox_lists_newest_first_and_counts_the_unread(desk: NotificationDesk) -> None:
    inbox = desk.inbox(SENIOR)
    assert inbox.unread == 5
    assert inbox.messages.total == 5
    assert _applications(desk) == ["app-4", "app-3", "app-2", "app-1", "app-0"]
    assert _applications(desk, page=2, page_size=2) == ["app-2", "app-1"]
    assert {m.user_id for m in inbox.messages.items} == {SENIOR.user_id}
    assert desk.inbox(COLLEAGUE).messages.items == ()


def test_marking_some_read_moves_them_after_the_unread(desk: NotificationDesk) -> None:
    items = desk.inbox(SENIOR).messages.items
    desk.clock.set(NOW + timedelta(hours=1))

    assert desk.mark_read(SENIOR, [items[0].id, items[2].id, items[0].id]) == 2

    assert _applications(desk) == ["app-3", "app-1", "app-0", "app-4", "app-2"]
    assert _applications(desk, unread_only=True) == ["app-3", "app-1", "app-0"]
    assert desk.inbox(SENIOR).unread == 3
    read = desk.inbox_of(SENIOR.user_id)[-1]
    assert read.read_at == NOW + timedelta(hours=1)
    assert desk.mark_read(SENIOR, [items[0].id]) == 0  # already read: nothing changes
    assert desk.inbox(SENIOR_2).unread == 5  # the same notices, her own copies


def test_marking_all_read_touches_only_ones_own(desk: NotificationDesk) -> None:
    assert desk.mark_read(SENIOR) == 5
    assert desk.mark_read(SENIOR) == 0
    assert desk.inbox(SENIOR).unread == 0
    assert desk.inbox(SENIOR, unread_only=True).messages.items == ()
    assert desk.inbox(SENIOR_2).unread == 5
    assert desk.inbox(ANALYST).unread == 1


def test_another_persons_message_cannot_be_marked_and_nothing_is(desk: NotificationDesk) -> None:
    (anas,) = desk.inbox(ANALYST).messages.items
    mine = desk.inbox(SENIOR).messages.items[0]
    before = desk.stored()

    with pytest.raises(NotFound, match=anas.id):
        desk.mark_read(SENIOR, [mine.id, anas.id])  # her own first: still none is marked
    with pytest.raises(NotFound, match=anas.id):
        desk.mark_read(OUTSIDER, [anas.id])  # another tenant's admin
    with pytest.raises(NotFound):
        desk.mark_read(SENIOR, ["msg-404"])

    assert desk.stored() == before
    assert desk.inbox(OUTSIDER).messages.items == ()


@pytest.mark.parametrize(("page", "page_size"), [(0, 20), (1, 0), (1, 1_000_000)])
def test_a_page_out_of_range_is_refused(desk: NotificationDesk, page: int, page_size: int) -> None:
    with pytest.raises(ValidationFailed):
        desk.inbox(SENIOR, page=page, page_size=page_size)

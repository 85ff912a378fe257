"""The contract of `InboxRepository`: every implementation (tests/contracts/conftest.py) passes
it, the fake and the SQL adapter on SQLite and PostgreSQL alike."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from application.credit.ports import UnitOfWork
from application.ports import AlreadyExists, RecordNotFound
from tests.builders import NOW, OTHER_TENANT, TENANT, a_user
from tests.contracts.conftest import UowMaker
from tests.contracts.parents import with_tenants
from tests.notification_builders import an_inbox_message

BELGRADE = timezone(timedelta(hours=1))
ANA, BOB = "user-ana", "user-bob"


def _with_people(uow: UnitOfWork) -> None:
    with_tenants(uow, TENANT, OTHER_TENANT)
    for tenant_id in (TENANT, OTHER_TENANT):
        for user_id in (ANA, BOB):
            uow.users.add(a_user(id=user_id, tenant_id=tenant_id, email=f"{user_id}@example.com"))


def _ids(
    uow: UnitOfWork, user_id: str = ANA, *, unread_only: bool = False, **page: int
) -> list[str]:
    found = uow.inbox.page(
        TENANT,
        user_id,
        unread_only=unread_only,
        page=page.get("page", 1),
        page_size=page.get("page_size", 50),
    )
    return [m.id for m in found.items]


def test_a_message_comes_back_exactly_and_only_in_its_tenant(uow: UnitOfWork) -> None:
    message = an_inbox_message(created_at=datetime(2026, 11, 22, 10, 30, tzinfo=BELGRADE))
    with uow:
        _with_people(uow)
        uow.inbox.add(message)
        uow.commit()

    with uow:
        found = uow.inbox.get(TENANT, "msg-1")
        assert found == message
        assert found is not None
        assert found.created_at == datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
        assert found.read_at is None
        assert uow.inbox.get(OTHER_TENANT, "msg-1") is None
        assert uow.inbox.from_source(TENANT, "src-1") == [message]
        assert uow.inbox.from_source(OTHER_TENANT, "src-1") == []


def test_a_person_gets_one_message_per_source(uow: UnitOfWork) -> None:
    with uow:
        _with_people(uow)
        uow.inbox.add(an_inbox_message("m-1"))
        uow.commit()

    with uow:
        with pytest.raises(AlreadyExists):
            uow.inbox.add(an_inbox_message("m-2"))  # same source, same person
        with pytest.raises(AlreadyExists):
            uow.inbox.add(an_inbox_message("m-1", user_id=BOB))  # the id is taken
        # A refused write leaves the unit of work usable.
        uow.inbox.add(an_inbox_message("m-3", user_id=BOB))
        uow.inbox.add(an_inbox_message("m-4", source_id="src-2"))
        uow.inbox.add(an_inbox_message("m-1", tenant_id=OTHER_TENANT))
        uow.commit()

    with uow:
        assert [m.id for m in uow.inbox.from_source(TENANT, "src-1")] == ["m-1", "m-3"]
        assert [m.id for m in uow.inbox.from_source(TENANT, "src-2")] == ["m-4"]


def test_a_message_needs_a_stored_user(uow: UnitOfWork) -> None:
    with uow:
        _with_people(uow)
        uow.commit()
    with uow, pytest.raises(RecordNotFound):
        uow.inbox.add(an_inbox_message(user_id="user-ghost"))
    with uow:
        assert uow.inbox.from_source(TENANT, "src-1") == []


def test_an_inbox_lists_unread_first_then_newest_first(uow: UnitOfWork) -> None:
    minutes = {"m-a": 0, "m-b": 10, "m-c": 10, "m-d": 5, "m-e": 20}  # id -> minutes after NOW
    read = {"m-e", "m-b"}
    with uow:
        _with_people(uow)
        for message_id, after in minutes.items():
            at = NOW + timedelta(minutes=after)
            uow.inbox.add(
                an_inbox_message(
                    message_id,
                    source_id=message_id,
                    created_at=at.astimezone(BELGRADE),
                    read_at=at + timedelta(hours=1) if message_id in read else None,
                )
            )
        uow.inbox.add(an_inbox_message("m-bob", user_id=BOB))
        uow.inbox.add(an_inbox_message("m-x", tenant_id=OTHER_TENANT))
        uow.commit()

    with uow:
        assert _ids(uow) == ["m-c", "m-d", "m-a", "m-e", "m-b"]
        assert _ids(uow, unread_only=True) == ["m-c", "m-d", "m-a"]
        assert _ids(uow, page=2, page_size=2) == ["m-a", "m-e"]
        assert _ids(uow, page=4, page_size=2) == []
        assert uow.inbox.page(TENANT, ANA, unread_only=False, page=1, page_size=2).total == 5
        assert uow.inbox.page(TENANT, ANA, unread_only=True, page=1, page_size=2).total == 3
        assert uow.inbox.unread_count(TENANT, ANA) == 3
        assert uow.inbox.unread_count(TENANT, BOB) == 1
        assert uow.inbox.unread_count(OTHER_TENANT, BOB) == 0
        assert _ids(uow, BOB) == ["m-bob"]


def test_reading_marks_a_message_and_all_of_one_persons_at_once(uow: UnitOfWork) -> None:
    with uow:
        _with_people(uow)
        for n in range(3):
            uow.inbox.add(an_inbox_message(f"m-{n}", source_id=f"s-{n}"))
        uow.inbox.add(an_inbox_message("m-bob", user_id=BOB))
        uow.inbox.add(an_inbox_message("m-x", tenant_id=OTHER_TENANT))
        uow.commit()

    first, later = NOW + timedelta(hours=1), (NOW + timedelta(hours=2)).astimezone(BELGRADE)
    with uow:
        uow.inbox.update(an_inbox_message("m-0", source_id="s-0", read_at=first))
        uow.commit()
    with uow:
        assert uow.inbox.mark_all_read(TENANT, ANA, later) == 2
        assert uow.inbox.mark_all_read(TENANT, ANA, later) == 0  # reads its own writes
        uow.commit()

    with uow:
        found = [uow.inbox.get(TENANT, f"m-{n}") for n in range(3)]
        assert [m.read_at if m else None for m in found] == [first, later, later]
        assert uow.inbox.unread_count(TENANT, ANA) == 0
        assert uow.inbox.unread_count(TENANT, BOB) == 1
        assert uow.inbox.unread_count(OTHER_TENANT, ANA) == 1
        again = uow.inbox.get(TENANT, "m-1")
        assert again == an_inbox_message("m-1", source_id="s-1", read_at=later)
        with pytest.raises(RecordNotFound):
            uow.inbox.update(an_inbox_message("m-404"))


class _Inboxes:
    """One database for every example of a property, and a fresh person for each example."""

    def __init__(self, new_uow: UowMaker) -> None:
        self.uow = new_uow()
        self.numbers = itertools.count()
        with self.uow:
            with_tenants(self.uow, TENANT)
            self.uow.commit()

    def new_person(self) -> str:
        user_id = f"user-{next(self.numbers)}"
        with self.uow:
            self.uow.users.add(a_user(id=user_id, email=f"{user_id}@example.com"))
            self.uow.commit()
        return user_id


@pytest.fixture
def inboxes(new_uow: UowMaker) -> _Inboxes:
    return _Inboxes(new_uow)


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=20, deadline=None
)
@given(
    messages=st.lists(st.tuples(st.integers(min_value=0, max_value=3), st.booleans()), max_size=8),
    page_size=st.integers(min_value=1, max_value=5),
)
def test_any_inbox_pages_through_every_message_once_in_order(
    inboxes: _Inboxes, messages: list[tuple[int, bool]], page_size: int
) -> None:
    user_id = inboxes.new_person()
    added = [
        an_inbox_message(
            f"{user_id}-m-{n:02d}",
            user_id=user_id,
            source_id=f"s-{n:02d}",
            created_at=NOW + timedelta(minutes=minutes),
            read_at=NOW + timedelta(days=1) if read else None,
        )
        for n, (minutes, read) in enumerate(messages)
    ]
    with inboxes.uow as uow:
        for message in added:
            uow.inbox.add(message)
        uow.commit()

    with inboxes.uow as uow:
        pages = len(added) // page_size + 2
        listed = [
            i for p in range(1, pages) for i in _ids(uow, user_id, page=p, page_size=page_size)
        ]
    expected = sorted(added, key=lambda m: (not m.is_read, m.created_at, m.id), reverse=True)
    assert listed == [m.id for m in expected]

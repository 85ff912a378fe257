"""Contract of the analyst queue's reads: `lock`, `search` (filters, sorts, pages, cursors) and
`counts` (statuses, SLA, priority bands)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest
from attrs import evolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from application.credit.ports import UnitOfWork
from application.credit.queries import (
    Cursor,
    Page,
    PriorityBandBounds,
    QueueCounts,
    QueueQuery,
    QueueSort,
    SortOrder,
)
from domain.credit.queue import QueueEntry, QueueStatus
from tests.builders import NOW, OTHER_TENANT, TENANT, a_queue_entry
from tests.contracts.parents import with_parents, with_parents_of

Q = QueueStatus
ASC, DESC = SortOrder.ASC, SortOrder.DESC
HOUR = timedelta(hours=1)


def _entry(
    id: str,
    status: QueueStatus,
    priority: int,
    entered_hours: int,
    deadline_hours: int,
    analyst_id: str | None = None,
) -> QueueEntry:
    return a_queue_entry(
        id=id,
        application_id=f"app-{id}",
        status=status,
        analyst_id=analyst_id,
        priority=priority,
        entered_at=NOW + entered_hours * HOUR,
        deadline=NOW + deadline_hours * HOUR,
    )


# Ties on purpose: e-1 and e-5 share a priority and a deadline, e-2 and e-6 an entry time.
ENTRIES = [
    _entry("e-1", Q.PENDING, 40, 0, 6),
    _entry("e-2", Q.ASSIGNED, 10, 1, 9, "user-7"),
    _entry("e-3", Q.IN_PROGRESS, 70, 2, 3, "user-7"),
    _entry("e-4", Q.COMPLETED, 5, 0, 1, "user-7"),
    _entry("e-5", Q.PENDING, 40, 3, 6),
    _entry("e-6", Q.ASSIGNED, 90, 1, 4, "user-8"),
]
ELSEWHERE = evolve(_entry("e-1", Q.PENDING, 1, 0, 1), tenant_id=OTHER_TENANT)


@pytest.fixture
def queued(uow: UnitOfWork) -> UnitOfWork:
    with uow:
        with_parents_of(uow, [*ENTRIES, ELSEWHERE])
        for entry in [*ENTRIES, ELSEWHERE]:
            uow.queue.add(entry)
        uow.commit()
    return uow


def _search(uow: UnitOfWork, query: QueueQuery, tenant_id: str = TENANT) -> Page[QueueEntry]:
    with uow:
        return uow.queue.search(tenant_id, query)


def _ids(page: Page[QueueEntry]) -> list[str]:
    return [entry.id for entry in page.items]


def _walk(uow: UnitOfWork, query: QueueQuery, tenant_id: str = TENANT) -> list[Page[QueueEntry]]:
    """Every page from the first, following each `next_cursor` through its text form."""
    pages = [_search(uow, query, tenant_id)]
    while (cursor := pages[-1].next_cursor) is not None:
        assert len(pages) <= 100, "the cursor does not advance"
        pages.append(_search(uow, evolve(query, cursor=Cursor.decode(cursor.encode())), tenant_id))
    return pages


def test_lock_reads_the_entry_as_the_last_commit_left_it(queued: UnitOfWork) -> None:
    with queued:
        entry = queued.queue.lock(TENANT, "e-1")
        assert entry == ENTRIES[0]
        taken = evolve(entry, status=Q.ASSIGNED, analyst_id="user-7", assigned_at=NOW)
        queued.queue.update(taken)
        queued.commit()

    with queued:
        assert queued.queue.lock(TENANT, "e-1") == taken
        assert queued.queue.lock(OTHER_TENANT, "e-1") == ELSEWHERE
        assert queued.queue.lock(TENANT, "e-404") is None
        assert queued.queue.lock(OTHER_TENANT, "e-2") is None


def test_search_lists_open_entries_most_urgent_first_by_default(queued: UnitOfWork) -> None:
    page = _search(queued, QueueQuery())

    by_id = {entry.id: entry for entry in ENTRIES}
    assert page.items == tuple(by_id[id] for id in ["e-2", "e-1", "e-5", "e-3", "e-6"])
    assert (page.total, page.next_cursor) == (5, None)


@pytest.mark.parametrize(
    ("sort", "order", "expected"),
    [
        (QueueSort.PRIORITY, ASC, ["e-2", "e-1", "e-5", "e-3", "e-6"]),
        (QueueSort.PRIORITY, DESC, ["e-6", "e-3", "e-5", "e-1", "e-2"]),
        (QueueSort.CREATED_AT, ASC, ["e-1", "e-2", "e-6", "e-3", "e-5"]),
        (QueueSort.CREATED_AT, DESC, ["e-5", "e-3", "e-6", "e-2", "e-1"]),
        (QueueSort.SLA_DEADLINE, ASC, ["e-3", "e-6", "e-1", "e-5", "e-2"]),
        (QueueSort.SLA_DEADLINE, DESC, ["e-2", "e-5", "e-1", "e-6", "e-3"]),
    ],
)
def test_search_sorts_by_the_column_then_id_in_the_order(
    queued: UnitOfWork, sort: QueueSort, order: SortOrder, expected: list[str]
) -> None:
    assert _ids(_search(queued, QueueQuery(sort=sort, order=order))) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (QueueQuery(include_completed=True), ["e-4", "e-2", "e-1", "e-5", "e-3", "e-6"]),
        (QueueQuery(statuses=frozenset({Q.PENDING})), ["e-1", "e-5"]),
        (QueueQuery(statuses=frozenset({Q.ASSIGNED, Q.IN_PROGRESS})), ["e-2", "e-3", "e-6"]),
        (QueueQuery(statuses=frozenset({Q.COMPLETED}), include_completed=True), ["e-4"]),
        (QueueQuery(analyst_id="user-7"), ["e-2", "e-3"]),
        (QueueQuery(analyst_id="user-7", include_completed=True), ["e-4", "e-2", "e-3"]),
        (QueueQuery(analyst_id="user-9"), []),
        (QueueQuery(max_priority=40), ["e-2", "e-1", "e-5"]),
        (QueueQuery(max_priority=9), []),
        (
            QueueQuery(
                statuses=frozenset({Q.ASSIGNED, Q.IN_PROGRESS}),
                analyst_id="user-7",
                max_priority=50,
            ),
            ["e-2"],
        ),
    ],
)
def test_search_filters_by_status_analyst_and_priority(
    queued: UnitOfWork, query: QueueQuery, expected: list[str]
) -> None:
    page = _search(queued, query)

    assert _ids(page) == expected
    assert page.total == len(expected)


def test_queue_pages_by_number_and_by_cursor_alike(queued: UnitOfWork) -> None:
    numbered = [_search(queued, QueueQuery(page=number, page_size=2)) for number in (1, 2, 3, 4)]
    walked = _walk(queued, QueueQuery(page_size=2))

    expected = [["e-2", "e-1"], ["e-5", "e-3"], ["e-6"]]
    assert [_ids(page) for page in numbered] == [*expected, []]
    assert [_ids(page) for page in walked] == expected
    assert {page.total for page in [*numbered, *walked]} == {5}
    assert [page.next_cursor is not None for page in numbered] == [True, True, False, False]


def test_search_sees_only_the_tenants_entries(queued: UnitOfWork) -> None:
    assert _search(queued, QueueQuery(), OTHER_TENANT) == Page((ELSEWHERE,), total=1)
    assert _search(queued, QueueQuery(), "tenant-nobody") == Page((), total=0)


def _counted(id: str, status: QueueStatus, priority: int, deadline: timedelta) -> QueueEntry:
    return a_queue_entry(
        id=id, application_id=f"app-{id}", status=status, priority=priority, deadline=NOW + deadline
    )


@pytest.fixture
def counted(uow: UnitOfWork) -> UnitOfWork:
    """Deadlines and priorities on and around every boundary that `counts` draws."""
    minute = timedelta(minutes=1)
    entries = [
        _counted("c-1", Q.PENDING, 33, timedelta(0)),  # breached at exactly now
        _counted("c-2", Q.PENDING, 34, -HOUR),
        _counted("c-3", Q.ASSIGNED, 66, timedelta(seconds=1)),
        _counted("c-4", Q.IN_PROGRESS, 67, 2 * HOUR),  # approaching ends before 2 h
        _counted("c-5", Q.ASSIGNED, 1, 2 * HOUR - minute),
        _counted("c-6", Q.ASSIGNED, 100, 10 * HOUR),
        _counted("c-7", Q.COMPLETED, 10, -5 * HOUR),  # completed: counted nowhere
        _counted("c-8", Q.PENDING, 70, 30 * minute),
        _counted("c-9", Q.PENDING, 50, 3 * HOUR),
        _counted("c-10", Q.IN_PROGRESS, 80, 5 * HOUR),
        evolve(_counted("c-11", Q.PENDING, 10, -HOUR), tenant_id=OTHER_TENANT),
    ]
    with uow:
        with_parents_of(uow, entries)
        for entry in entries:
            uow.queue.add(entry)
        uow.commit()
    return uow


def test_counts_open_entries_by_status_sla_and_band(counted: UnitOfWork) -> None:
    with counted:
        counts = counted.queue.counts(
            TENANT, now=NOW, approaching_before=NOW + 2 * HOUR, bands=PriorityBandBounds()
        )

    assert counts == QueueCounts(
        pending=4,
        assigned=3,
        in_progress=2,
        approaching_sla=3,
        breached_sla=2,
        high=2,
        medium=3,
        low=4,
    )


def test_counts_use_the_bands_and_window_they_are_given(counted: UnitOfWork) -> None:
    with counted:
        counts = counted.queue.counts(
            TENANT,
            now=NOW - HOUR,
            approaching_before=NOW + timedelta(seconds=1),
            bands=PriorityBandBounds(high_max=20, medium_max=75),
        )
        elsewhere = counted.queue.counts(
            OTHER_TENANT, now=NOW, approaching_before=NOW, bands=PriorityBandBounds()
        )
        nobody = counted.queue.counts(
            "tenant-nobody", now=NOW, approaching_before=NOW, bands=PriorityBandBounds()
        )

    assert (counts.breached_sla, counts.approaching_sla) == (1, 1)
    assert (counts.high, counts.medium, counts.low) == (1, 6, 2)
    assert elsewhere == QueueCounts(1, 0, 0, 0, 1, 1, 0, 0)
    assert nobody == QueueCounts(0, 0, 0, 0, 0, 0, 0, 0)


_entries = st.lists(
    st.tuples(
        st.sampled_from(QueueStatus),
        st.sampled_from([5, 40, 90]),
        st.integers(min_value=0, max_value=3),
        st.integers(min_value=0, max_value=3),
    ),
    max_size=12,
)
_queries = st.builds(
    QueueQuery,
    sort=st.sampled_from(QueueSort),
    order=st.sampled_from(SortOrder),
    page_size=st.integers(min_value=1, max_value=4),
    include_completed=st.booleans(),
)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=_entries, query=_queries)
def test_cursor_paging_visits_every_listed_entry_once_in_order(
    new_uow: Callable[[], UnitOfWork],
    rows: list[tuple[QueueStatus, int, int, int]],
    query: QueueQuery,
) -> None:
    tenant = f"tenant-{uuid.uuid4().hex}"  # a fresh tenant is an empty store, by tenant isolation
    run = uuid.uuid4().hex[:8]
    entries = [
        evolve(_entry(f"e-{run}-{n:02d}", status, priority, entered, deadline), tenant_id=tenant)
        for n, (status, priority, entered, deadline) in enumerate(rows)
    ]
    uow = new_uow()
    with uow:
        with_parents(uow, tenant_id=tenant, application_ids=[e.application_id for e in entries])
        for entry in entries:
            uow.queue.add(entry)
        uow.commit()
    column = {
        QueueSort.PRIORITY: lambda e: (e.priority, e.id),
        QueueSort.CREATED_AT: lambda e: (e.entered_at, e.id),
        QueueSort.SLA_DEADLINE: lambda e: (e.sla_deadline, e.id),
    }[query.sort]
    listed = [e for e in entries if query.include_completed or e.status is not Q.COMPLETED]
    expected = [e.id for e in sorted(listed, key=column, reverse=query.order is DESC)]

    pages = _walk(uow, query, tenant)

    assert [id for page in pages for id in _ids(page)] == expected
    assert len(pages) == max(1, -(-len(expected) // query.page_size))
    assert {page.total for page in pages} == {len(expected)}

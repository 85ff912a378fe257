"""Contract of `ApplicationRepository.search`: filters, sorts, numbered pages and keyset cursors.

One small fixed data set checks each rule by exact results; a Hypothesis property then checks
over random data sets that cursor paging and numbered paging both visit every match exactly
once, in the documented order.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from attrs import evolve, frozen
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from application.credit.ports import UnitOfWork
from application.credit.queries import (
    ApplicationQuery,
    ApplicationSort,
    Cursor,
    ListedApplication,
    Page,
    SortOrder,
)
from domain.credit.application import Application
from domain.credit.status import ApplicationStatus
from tests.builders import (
    NOW,
    OTHER_TENANT,
    TENANT,
    a_model_score,
    a_scoring_result,
    an_application,
    an_application_form,
    eur,
)
from tests.contracts.parents import with_parents, with_tenants

S = ApplicationStatus
ASC, DESC = SortOrder.ASC, SortOrder.DESC
HOUR = timedelta(hours=1)


def _application(
    id: str,
    external_id: str,
    name: tuple[str, str],
    status: ApplicationStatus,
    submitted_at: datetime,
    amount: int,
    *,
    tenant_id: str = TENANT,
) -> Application:
    first, last = name
    form = an_application_form(
        external_id=external_id, first_name=first, last_name=last, amount=eur(amount)
    )
    return an_application(
        id=id, tenant_id=tenant_id, form=form, status=status, submitted_at=submitted_at
    )


# Ties on purpose: app-2 and app-4 share a submission time and a score, app-1 and app-3 an
# amount; app-1 and app-5 are unscored. Names make prefix and substring matches differ.
APPS = {
    "app-1": _application("app-1", "LND-100", ("Ana", "Petrovic"), S.PENDING, NOW, 12_000),
    "app-2": _application("app-2", "LND-200", ("Marko", "Anic"), S.REVIEW, NOW + HOUR, 5_000),
    "app-3": _application(
        "app-3", "ANA-300", ("Ivana", "Jovic"), S.APPROVED, NOW + 2 * HOUR, 12_000
    ),
    "app-4": _application("app-4", "LND-400", ("Jovan", "Ilic"), S.DECLINED, NOW + HOUR, 30_000),
    "app-5": _application("app-5", "LND-500", ("Petar", "Banana"), S.REVIEW, NOW + 3 * HOUR, 8_000),
}
ELSEWHERE = _application(
    "app-1", "LND-100", ("Ana", "Anic"), S.REVIEW, NOW, 12_000, tenant_id=OTHER_TENANT
)
SCORES = {
    "app-2": a_model_score(probability_of_default=0.2).score,
    "app-3": a_model_score(probability_of_default=0.05).score,
    "app-4": a_model_score(probability_of_default=0.2).score,
}
ELSEWHERE_SCORE = a_model_score(probability_of_default=0.02).score


@pytest.fixture
def searchable(uow: UnitOfWork) -> UnitOfWork:
    """`uow` over the data set above: app-2 was rescored, app-3's older result came in late."""
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        for application in [*APPS.values(), ELSEWHERE]:
            uow.applications.add(application)
        for tenant, app, hours, pd in [
            (TENANT, "app-2", 4, 0.6),
            (TENANT, "app-2", 5, 0.2),
            (TENANT, "app-3", 5, 0.05),
            (TENANT, "app-3", 4, 0.5),
            (TENANT, "app-4", 4, 0.2),
            (OTHER_TENANT, "app-1", 4, 0.02),
        ]:
            uow.scoring_results.add(
                a_scoring_result(
                    tenant_id=tenant,
                    application_id=app,
                    scored_at=NOW + hours * HOUR,
                    model=a_model_score(probability_of_default=pd),
                )
            )
        uow.commit()
    return uow


def _search(
    uow: UnitOfWork, query: ApplicationQuery, tenant_id: str = TENANT
) -> Page[ListedApplication]:
    with uow:
        return uow.applications.search(tenant_id, query)


def _ids(page: Page[ListedApplication]) -> list[str]:
    return [listed.application.id for listed in page.items]


def test_search_lists_applications_with_their_latest_score(searchable: UnitOfWork) -> None:
    page = _search(searchable, ApplicationQuery())

    assert page.items == tuple(
        ListedApplication(APPS[id], SCORES.get(id))
        for id in ["app-5", "app-3", "app-4", "app-2", "app-1"]
    )
    assert (page.total, page.next_cursor) == (5, None)


@pytest.mark.parametrize(
    ("sort", "order", "expected"),
    [
        (ApplicationSort.CREATED_AT, ASC, ["app-1", "app-2", "app-4", "app-3", "app-5"]),
        (ApplicationSort.CREATED_AT, DESC, ["app-5", "app-3", "app-4", "app-2", "app-1"]),
        (ApplicationSort.AMOUNT, ASC, ["app-2", "app-5", "app-1", "app-3", "app-4"]),
        (ApplicationSort.AMOUNT, DESC, ["app-4", "app-3", "app-1", "app-5", "app-2"]),
        (ApplicationSort.SCORE, ASC, ["app-2", "app-4", "app-3", "app-1", "app-5"]),
        (ApplicationSort.SCORE, DESC, ["app-3", "app-4", "app-2", "app-5", "app-1"]),
    ],
)
def test_search_sorts_by_the_column_then_id_in_the_order_unscored_last(
    searchable: UnitOfWork, sort: ApplicationSort, order: SortOrder, expected: list[str]
) -> None:
    page = _search(searchable, ApplicationQuery(sort=sort, order=order))

    assert _ids(page) == expected
    assert page.total == 5


def _where(
    *,
    statuses: frozenset[ApplicationStatus] = frozenset(),
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    search: str = "",
    scored_only: bool = False,
) -> ApplicationQuery:
    """Filters only, oldest first, so that each expectation reads in submission order."""
    return ApplicationQuery(
        statuses=statuses,
        created_from=created_from,
        created_to=created_to,
        search=search,
        scored_only=scored_only,
        sort=ApplicationSort.CREATED_AT,
        order=ASC,
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (_where(statuses=frozenset({S.REVIEW})), ["app-2", "app-5"]),
        (_where(statuses=frozenset({S.APPROVED, S.DECLINED})), ["app-4", "app-3"]),
        (_where(statuses=frozenset({S.CANCELLED})), []),
        (_where(created_from=NOW + HOUR), ["app-2", "app-4", "app-3", "app-5"]),
        (_where(created_to=NOW + 2 * HOUR), ["app-1", "app-2", "app-4"]),
        (_where(created_from=NOW + HOUR, created_to=NOW + 2 * HOUR), ["app-2", "app-4"]),
        (_where(created_from=NOW + 2 * HOUR, created_to=NOW + 2 * HOUR), []),
        (_where(search="an"), ["app-1", "app-2", "app-3"]),
        (_where(search="AN"), ["app-1", "app-2", "app-3"]),
        (_where(search="petro"), ["app-1"]),
        (_where(search="Ivan"), ["app-3"]),
        (_where(search="lnd-4"), ["app-4"]),
        (_where(search="jov"), ["app-4", "app-3"]),
        (_where(search="nic"), []),
        (_where(search="%"), []),
        (_where(search="L_D"), []),
        (_where(statuses=frozenset({S.REVIEW}), search="an"), ["app-2"]),
        (_where(scored_only=True), ["app-2", "app-4", "app-3"]),
        (_where(scored_only=True, created_from=NOW + 2 * HOUR), ["app-3"]),
        (_where(scored_only=True, statuses=frozenset({S.PENDING})), []),
        (_where(created_to=NOW + HOUR, search="an"), ["app-1"]),
        (
            _where(
                statuses=frozenset({S.REVIEW, S.DECLINED}), created_from=NOW + HOUR, search="jov"
            ),
            ["app-4"],
        ),
    ],
)
def test_search_filters_by_status_creation_time_and_name_prefix(
    searchable: UnitOfWork, query: ApplicationQuery, expected: list[str]
) -> None:
    page = _search(searchable, query)

    assert _ids(page) == expected
    assert page.total == len(expected)


def test_numbered_pages_split_the_matches_and_count_them_all(searchable: UnitOfWork) -> None:
    def page(number: int) -> Page[ListedApplication]:
        query = ApplicationQuery(
            sort=ApplicationSort.CREATED_AT, order=ASC, page=number, page_size=2
        )
        return _search(searchable, query)

    pages = [page(number) for number in (1, 2, 3, 4)]

    assert [_ids(p) for p in pages] == [["app-1", "app-2"], ["app-4", "app-3"], ["app-5"], []]
    assert [p.total for p in pages] == [5, 5, 5, 5]
    assert [p.next_cursor is not None for p in pages] == [True, True, False, False]


def _walk(
    uow: UnitOfWork, query: ApplicationQuery, tenant_id: str = TENANT
) -> list[Page[ListedApplication]]:
    """Every page from the first, following each `next_cursor` through its text form."""
    pages = [_search(uow, query, tenant_id)]
    while (cursor := pages[-1].next_cursor) is not None:
        assert len(pages) <= 100, "the cursor does not advance"
        sent = Cursor.decode(cursor.encode())
        pages.append(_search(uow, evolve(query, cursor=sent), tenant_id))
    return pages


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (DESC, [["app-3", "app-4"], ["app-2", "app-5"], ["app-1"]]),
        (ASC, [["app-2", "app-4"], ["app-3", "app-1"], ["app-5"]]),
    ],
)
def test_a_cursor_continues_after_the_last_row_seen_past_unscored_rows(
    searchable: UnitOfWork, order: SortOrder, expected: list[list[str]]
) -> None:
    pages = _walk(
        searchable, ApplicationQuery(sort=ApplicationSort.SCORE, order=order, page_size=2)
    )

    assert [_ids(p) for p in pages] == expected
    assert [p.total for p in pages] == [5, 5, 5]
    second = pages[1].next_cursor
    assert second is not None
    assert (second.value, second.id) == (None, expected[1][1])
    first = pages[0].next_cursor
    assert first is not None
    assert first.id == expected[0][1]


def test_with_a_cursor_the_page_number_is_ignored(searchable: UnitOfWork) -> None:
    query = ApplicationQuery(sort=ApplicationSort.AMOUNT, order=ASC, page_size=2)
    first = _search(searchable, query)
    assert first.next_cursor is not None

    later = _search(searchable, evolve(query, page=3, cursor=first.next_cursor))

    assert _ids(later) == ["app-1", "app-3"]


def test_search_sees_only_the_tenants_applications_and_scores(searchable: UnitOfWork) -> None:
    elsewhere = _search(searchable, ApplicationQuery(), OTHER_TENANT)
    nobody = _search(searchable, ApplicationQuery(), "tenant-nobody")

    assert elsewhere.items == (ListedApplication(ELSEWHERE, ELSEWHERE_SCORE),)
    assert elsewhere.total == 1
    assert nobody == Page(items=(), total=0, next_cursor=None)
    unscored = _search(searchable, ApplicationQuery(search="petro"))
    assert unscored.items == (ListedApplication(APPS["app-1"], None),)


# The property: random data sets, random queries, both ways of paging.


@frozen
class _Row:
    status: ApplicationStatus
    minutes: int
    amount: int
    pd: float | None
    last_name: str


_rows = st.lists(
    st.builds(
        _Row,
        status=st.sampled_from(ApplicationStatus),
        minutes=st.integers(min_value=0, max_value=3),
        amount=st.sampled_from([1_000, 5_000, 12_000]),
        pd=st.none() | st.sampled_from([0.05, 0.2, 0.5]),
        last_name=st.sampled_from(["Anic", "Jovic", "Ilic"]),
    ),
    max_size=12,
)
_queries = st.builds(
    ApplicationQuery,
    statuses=st.frozensets(st.sampled_from(ApplicationStatus), max_size=2),
    search=st.sampled_from(["", "an", "J"]),
    sort=st.sampled_from(ApplicationSort),
    order=st.sampled_from(SortOrder),
    page_size=st.integers(min_value=1, max_value=4),
)


def _expected_ids(rows: dict[str, _Row], query: ApplicationQuery) -> list[str]:
    """The documented order, written out independently of any repository."""
    matching = {
        id: row
        for id, row in rows.items()
        if (not query.statuses or row.status in query.statuses)
        and row.last_name.lower().startswith(query.search.lower())
    }

    def value(row: _Row) -> float | None:
        if query.sort is ApplicationSort.CREATED_AT:
            return row.minutes
        if query.sort is ApplicationSort.AMOUNT:
            return row.amount
        return None if row.pd is None else a_model_score(probability_of_default=row.pd).score

    valued = [(v, id) for id, row in matching.items() if (v := value(row)) is not None]
    unvalued = [id for id, row in matching.items() if value(row) is None]
    descending = query.order is SortOrder.DESC
    return [id for _v, id in sorted(valued, reverse=descending)] + sorted(
        unvalued, reverse=descending
    )


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=_rows, query=_queries)
def test_paging_visits_every_match_exactly_once_in_order(
    new_uow: Callable[[], UnitOfWork], rows: list[_Row], query: ApplicationQuery
) -> None:
    tenant = f"tenant-{uuid.uuid4().hex}"  # a fresh tenant is an empty store, by tenant isolation
    run = uuid.uuid4().hex[:8]
    by_id = {f"app-{run}-{number:02d}": row for number, row in enumerate(rows)}
    uow = new_uow()
    with uow:
        with_parents(uow, tenant_id=tenant)
        for id, row in by_id.items():
            form = an_application_form(
                external_id=f"X-{id}",
                first_name="Mila",
                last_name=row.last_name,
                amount=eur(row.amount),
            )
            submitted = NOW + timedelta(minutes=row.minutes)
            uow.applications.add(
                an_application(
                    id=id, tenant_id=tenant, form=form, status=row.status, submitted_at=submitted
                )
            )
            if row.pd is not None:
                score = a_model_score(probability_of_default=row.pd)
                uow.scoring_results.add(
                    a_scoring_result(tenant_id=tenant, application_id=id, model=score)
                )
        uow.commit()
    expected = _expected_ids(by_id, query)
    size = query.page_size

    by_cursor = _walk(uow, query, tenant)
    by_number = [
        _search(uow, evolve(query, page=number), tenant)
        for number in range(1, len(expected) // size + 2)
    ]

    assert len(by_cursor) == max(1, -(-len(expected) // size))
    for pages in (by_cursor, by_number):
        assert [id for page in pages for id in _ids(page)] == expected
        assert all(page.total == len(expected) for page in pages)
    assert [len(_ids(page)) for page in by_cursor[:-1]] == [size] * (len(by_cursor) - 1)
    assert [_ids(page) for page in by_number] == [
        expected[start : start + size] for start in range(0, len(expected) + 1, size)
    ]

"""Reading the applications page's GET form: every problem at once, days as whole UTC days."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs

from hypothesis import given
from hypothesis import strategies as st

from application.credit.list_applications import query_problems
from application.credit.queries import ApplicationSort, SortOrder
from domain.credit.status import ApplicationStatus
from entrypoints.web.application_filters import (
    ApplicationFilters,
    filters_from,
    pager,
    read_filters,
)


def test_the_empty_form_asks_for_the_newest_first_in_pages_of_twenty() -> None:
    query, problems = read_filters(ApplicationFilters())
    assert problems == ()
    assert (query.sort, query.order, query.page, query.page_size) == (
        ApplicationSort.CREATED_AT, SortOrder.DESC, 1, 20,
    )  # fmt: skip
    assert query.statuses == frozenset()
    assert (query.created_from, query.created_to) == (None, None)


def test_a_day_range_covers_both_whole_days_in_utc() -> None:
    query, problems = read_filters(
        ApplicationFilters(created_from="2026-11-01", created_to="2026-11-01")
    )
    assert problems == ()
    assert query.created_from == datetime(2026, 11, 1, tzinfo=UTC)
    assert query.created_to == datetime(2026, 11, 2, tzinfo=UTC)
    assert query_problems(query) == ()


def test_every_wrong_value_is_named_at_once_and_the_rest_still_read() -> None:
    filters = ApplicationFilters(
        statuses=("review", "bogus"), created_from="yesterday", created_to="2026-13-01",
        sort="name", order="sideways", page="two", page_size="many", search="  LND-7 ",
    )  # fmt: skip
    query, problems = read_filters(filters)
    assert [p.path for p in problems] == [
        "created_from", "created_to", "status", "sort", "order", "page", "page_size",
    ]  # fmt: skip
    assert query.statuses == frozenset({ApplicationStatus.REVIEW})
    assert query.search == "LND-7"


def test_a_range_that_ends_before_it_starts_is_refused() -> None:
    _query, problems = read_filters(
        ApplicationFilters(created_from="2026-11-02", created_to="2026-11-01")
    )
    assert [p.path for p in problems] == ["created_to"]


def test_paging_links_keep_the_filters_and_stop_at_the_ends() -> None:
    filters = ApplicationFilters(statuses=("review", "declined"), search="LND", page="2")
    query, _ = read_filters(filters)
    shown = pager(filters, query, total=45, exact=True)
    assert (shown.page, shown.pages) == (2, 3)
    assert shown.previous is not None
    assert shown.next is not None
    assert parse_qs(shown.next) == {
        "status": ["review", "declined"], "search": ["LND"], "sort": ["created_at"],
        "order": ["desc"], "page": ["3"], "page_size": ["20"],
    }  # fmt: skip
    last = pager(filters, read_filters(ApplicationFilters(page="3"))[0], total=45, exact=True)
    assert last.next is None
    first = pager(filters, read_filters(ApplicationFilters())[0], total=0, exact=True)
    assert (first.pages, first.previous, first.next) == (1, None, None)


def test_an_inexact_total_always_offers_the_next_page() -> None:
    query, _ = read_filters(ApplicationFilters(page="50"))
    shown = pager(ApplicationFilters(page="50"), query, total=1000, exact=False)
    assert shown.next is not None


@given(total=st.integers(0, 5_000), size=st.sampled_from([20, 50, 100]), page=st.integers(1, 300))
def test_the_pages_cover_every_match_exactly_once(total: int, size: int, page: int) -> None:
    filters = ApplicationFilters(page=str(page), page_size=str(size))
    query, _ = read_filters(filters)
    shown = pager(filters, query, total=total, exact=True)
    assert (shown.pages - 1) * size < max(total, 1) <= shown.pages * size
    assert (shown.next is not None) == (page < shown.pages)


def test_the_request_values_become_the_filters_with_defaults_for_the_rest() -> None:
    filters = filters_from({"search": "Ana", "page": "3"}, ["review"])
    assert filters == ApplicationFilters(statuses=("review",), search="Ana", page="3")

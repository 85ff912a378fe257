"""The applications page's filter form, read as the list use case's query.

The form is a plain GET form, so its values arrive as text and may be anything someone typed in
the address bar. They are read here with every problem collected (an unknown status, a date that
is not one, a page that is not a number), so the page can show them all beside the form instead
of failing; the use case then checks the query again, as it does for the API.

Dates come from `<input type=date>` as whole days in UTC: "to" includes its whole day, so
from = to = one day lists that day's applications.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar
from urllib.parse import urlencode

from attrs import frozen

from application.credit.queries import ApplicationQuery, ApplicationSort, SortOrder
from domain.credit.status import ApplicationStatus
from domain.errors import Problem

E = TypeVar("E", ApplicationSort, SortOrder)
PAGE_SIZES = (20, 50, 100)
SORT_LABELS = {
    ApplicationSort.CREATED_AT: "Submitted",
    ApplicationSort.AMOUNT: "Amount",
    ApplicationSort.SCORE: "Score",
}


@frozen
class ApplicationFilters:
    """The form's values as typed, shown back in the form whatever their problems."""

    statuses: tuple[str, ...] = ()
    created_from: str = ""
    created_to: str = ""
    search: str = ""
    sort: str = ApplicationSort.CREATED_AT.value
    order: str = SortOrder.DESC.value
    page: str = "1"
    page_size: str = str(PAGE_SIZES[0])

    def params(self, **changes: str) -> str:
        """The query string of these filters (empty values left out), with `changes` applied:
        the address of another page of the same list."""
        values: dict[str, str] = {
            "created_from": self.created_from,
            "created_to": self.created_to,
            "search": self.search,
            "sort": self.sort,
            "order": self.order,
            "page": self.page,
            "page_size": self.page_size,
            **changes,
        }
        pairs = [("status", status) for status in self.statuses]
        pairs += [(name, value) for name, value in values.items() if value]
        return urlencode(pairs)


def _day(name: str, text: str, problems: list[Problem]) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(Problem(name, "must be a date written YYYY-MM-DD"))
        return None


def _choice(name: str, text: str, kind: type[E], default: E, problems: list[Problem]) -> E:
    try:
        return kind(text) if text else default
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        problems.append(Problem(name, f"must be one of {allowed}"))
        return default


def _number(name: str, text: str, default: int, problems: list[Problem]) -> int:
    if not text:
        return default
    try:
        return int(text)
    except ValueError:
        problems.append(Problem(name, "must be a whole number"))
        return default


def _statuses(texts: Sequence[str], problems: list[Problem]) -> frozenset[ApplicationStatus]:
    known = {status.value: status for status in ApplicationStatus}
    unknown = sorted({text for text in texts if text and text not in known})
    if unknown:
        allowed = ", ".join(known)
        problems.append(Problem("status", f"{', '.join(unknown)}: not a status ({allowed})"))
    return frozenset(known[text] for text in texts if text in known)


def start_of(day: date | None) -> datetime | None:
    return None if day is None else datetime.combine(day, time.min, tzinfo=UTC)


def read_filters(filters: ApplicationFilters) -> tuple[ApplicationQuery, tuple[Problem, ...]]:
    """The list query the form asks for, and every problem found reading it."""
    problems: list[Problem] = []
    first = _day("created_from", filters.created_from.strip(), problems)
    last = _day("created_to", filters.created_to.strip(), problems)
    query = ApplicationQuery(
        statuses=_statuses(filters.statuses, problems),
        created_from=start_of(first),
        created_to=start_of(None if last is None else last + timedelta(days=1)),
        search=filters.search.strip(),
        sort=_choice("sort", filters.sort, ApplicationSort, ApplicationSort.CREATED_AT, problems),
        order=_choice("order", filters.order, SortOrder, SortOrder.DESC, problems),
        page=_number("page", filters.page.strip(), 1, problems),
        page_size=_number("page_size", filters.page_size.strip(), PAGE_SIZES[0], problems),
    )
    if first is not None and last is not None and last < first:
        problems.append(Problem("created_to", "must not be before the 'from' date"))
    return query, tuple(problems)


@frozen
class Pager:
    """Where this page sits in the list, and the addresses of its neighbours."""

    page: int
    pages: int
    total: int
    total_exact: bool
    previous: str | None
    next: str | None


def pager(filters: ApplicationFilters, query: ApplicationQuery, total: int, exact: bool) -> Pager:
    """Numbered paging over `total` matches (which may be a lower bound when not `exact`)."""
    pages = max(1, -(-total // query.page_size))
    previous = filters.params(page=str(query.page - 1)) if 1 < query.page <= pages + 1 else None
    more = query.page < pages or (not exact and query.page == pages)
    following = filters.params(page=str(query.page + 1)) if more else None
    return Pager(query.page, pages, total, exact, previous, following)


def filters_from(values: Mapping[str, str], statuses: Sequence[str]) -> ApplicationFilters:
    """The filters of a request's query (`values` by name, every `status` given)."""
    defaults = ApplicationFilters()
    return ApplicationFilters(
        statuses=tuple(statuses),
        created_from=values.get("created_from", ""),
        created_to=values.get("created_to", ""),
        search=values.get("search", ""),
        sort=values.get("sort", defaults.sort),
        order=values.get("order", defaults.order),
        page=values.get("page", defaults.page),
        page_size=values.get("page_size", defaults.page_size),
    )

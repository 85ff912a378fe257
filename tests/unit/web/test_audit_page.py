"""The audit page's filters: whole days in UTC with the last day included, and links that keep
the filters from page to page."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import ValidationFailed
from entrypoints.web.audit_page import AuditFilters, audit_query


def test_no_filter_asks_for_the_first_page_of_everything() -> None:
    query = audit_query(AuditFilters())
    assert (query.entity_type, query.entity_id, query.actor) == (None, None, None)
    assert (query.occurred_from, query.occurred_to, query.page) == (None, None, 1)


def test_text_filters_are_trimmed_and_blank_ones_dropped() -> None:
    query = audit_query(AuditFilters(entity_type=" application ", entity_id="  ", actor="u-1"))
    assert (query.entity_type, query.entity_id, query.actor) == ("application", None, "u-1")


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_a_single_day_covers_that_whole_day_in_utc(day: date) -> None:
    query = audit_query(AuditFilters(date_from=day.isoformat(), date_to=day.isoformat()))
    assert query.occurred_from == datetime(day.year, day.month, day.day, tzinfo=UTC)
    assert query.occurred_to == query.occurred_from + timedelta(days=1)


def test_a_date_that_cannot_be_read_is_a_problem_naming_its_field() -> None:
    with pytest.raises(ValidationFailed) as failed:
        audit_query(AuditFilters(date_from="31/03/2026", date_to="2026-02-30"))
    assert [p.path for p in failed.value.problems] == ["date_from", "date_to"]


def test_a_page_link_keeps_the_filters_given_and_nothing_else() -> None:
    link = AuditFilters(entity_type="batch", date_to="2026-03-01", page=2).link(3)
    parts = urlsplit(link)
    assert parts.path == "/app/audit"
    assert parse_qs(parts.query) == {
        "entity_type": ["batch"],
        "date_to": ["2026-03-01"],
        "page": ["3"],
    }

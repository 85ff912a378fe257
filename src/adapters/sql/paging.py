"""Ordering and keyset conditions shared by the list queries.

Every list is ordered by one sort column and then by id, both in the same direction, so a
(value, id) pair names a position exactly and "after the cursor" is one row-value comparison
that an index on (tenant_id, sort column, id) answers with a range scan.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, UnaryExpression, func, literal, select, tuple_

from application.credit.queries import SortOrder, capped_total


def order_by(order: SortOrder, *columns: ColumnElement[Any]) -> list[UnaryExpression[Any]]:
    return [c.desc() if order is SortOrder.DESC else c.asc() for c in columns]


def after(
    order: SortOrder, sort: ColumnElement[Any], id_: ColumnElement[Any], value: Any, last_id: str
) -> ColumnElement[bool]:
    """Rows that come after (value, last_id) in this order."""
    if order is SortOrder.DESC:
        return tuple_(sort, id_) < tuple_(value, last_id)
    return tuple_(sort, id_) > tuple_(value, last_id)


def id_after(order: SortOrder, id_: ColumnElement[Any], last_id: str) -> ColumnElement[bool]:
    return id_ < last_id if order is SortOrder.DESC else id_ > last_id


def offset(page: int, page_size: int) -> int:
    return max(page - 1, 0) * page_size


def prefix_pattern(text: str) -> str:
    """A LIKE pattern matching values that start with `text` (with `\\` as the escape)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def capped_count(conditions: list[ColumnElement[bool]], limit: int) -> Select[int]:
    """COUNT of the rows matching `conditions`, reading at most `limit` of them.

    An exact count(*) of a million matches walks a million index entries; a list needs to know
    only whether there are more than it shows ("10,000+").
    """
    inner = select(literal(1)).where(*conditions).limit(limit).subquery()
    return select(func.count()).select_from(inner)


def total_of(counted: int, count_limit: int) -> tuple[int, bool]:
    """(total, exact) from a count made with `capped_count(..., count_limit + 1)`."""
    return capped_total(counted, count_limit)

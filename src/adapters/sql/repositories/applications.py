"""Loan applications: stored whole, listed through indexed columns."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import ColumnElement, Row, or_, select, update

from adapters.sql import paging
from adapters.sql.records import from_record, to_record
from adapters.sql.schema import applications as table
from adapters.sql.transaction import Transaction
from application.credit.queries import (
    ApplicationQuery,
    ApplicationSort,
    Cursor,
    ListedApplication,
    Page,
)
from domain.credit.application import Application
from domain.errors import Problem, ValidationFailed

_c = table.c
_IN_LIST = 1_000  # values per IN list, well within every engine's limit
_SORT_COLUMNS = {ApplicationSort.CREATED_AT: _c.submitted_at, ApplicationSort.AMOUNT: _c.amount}


def search_key(text: str) -> str:
    """How names and external ids are compared by prefix: ignoring case."""
    return text.lower()


def to_row(application: Application) -> dict[str, Any]:
    form = application.form
    personal = form.applicant.personal
    return {
        "tenant_id": application.tenant_id,
        "id": application.id,
        "external_id": form.external_id,
        "external_id_key": search_key(form.external_id),
        "first_name_key": search_key(personal.first_name),
        "last_name_key": search_key(personal.last_name),
        "status": application.status.value,
        "amount": form.loan.amount.amount,
        "currency": form.loan.amount.currency,
        "submitted_at": application.submitted_at,
        "updated_at": application.updated_at,
        "record": to_record(application),
    }


def _bad_cursor() -> ValidationFailed:
    return ValidationFailed((Problem("cursor", "does not fit this sort"),))


def _cursor_value(sort: ApplicationSort, value: str | float | None) -> Any:
    """The cursor's sort value as the column compares it."""
    try:
        if sort is ApplicationSort.CREATED_AT and isinstance(value, str):
            moment = datetime.fromisoformat(value)
            if moment.utcoffset() is not None:
                return moment
        if sort is ApplicationSort.AMOUNT and isinstance(value, str | int | float):
            return Decimal(str(value))
        if sort is ApplicationSort.SCORE and isinstance(value, int | float):
            return float(value)
    except (ValueError, InvalidOperation) as error:
        raise _bad_cursor() from error
    raise _bad_cursor()


def _cursor_of(sort: ApplicationSort, listed: ListedApplication) -> Cursor:
    application = listed.application
    value: str | float | None
    if sort is ApplicationSort.CREATED_AT:
        value = application.submitted_at.isoformat()
    elif sort is ApplicationSort.AMOUNT:
        value = str(application.form.loan.amount.amount)
    else:
        value = listed.score
    return Cursor(value, application.id)


class SqlApplicationRepository:
    def __init__(self, db: Transaction) -> None:
        self._db = db

    def add(self, application: Application) -> None:
        self._db.insert_new(table, to_row(application), f"application {application.id}")

    def add_many(self, applications: Sequence[Application]) -> None:
        self._db.insert_many_new(
            table,
            [to_row(application) for application in applications],
            lambda row: f"application {row['id']} or external id {row['external_id']!r}",
        )

    def get(self, tenant_id: str, application_id: str) -> Application | None:
        return self._one(_c.tenant_id == tenant_id, _c.id == application_id)

    def get_by_external_id(self, tenant_id: str, external_id: str) -> Application | None:
        return self._one(_c.tenant_id == tenant_id, _c.external_id == external_id)

    def ids_by_external_id(self, tenant_id: str, external_ids: Collection[str]) -> dict[str, str]:
        wanted = sorted(set(external_ids))
        found: dict[str, str] = {}
        for start in range(0, len(wanted), _IN_LIST):  # SQLite binds at most 32,766 values
            statement = select(_c.external_id, _c.id).where(
                _c.tenant_id == tenant_id, _c.external_id.in_(wanted[start : start + _IN_LIST])
            )
            found.update((str(row.external_id), str(row.id)) for row in self._db.execute(statement))
        return found

    def get_many(self, tenant_id: str, application_ids: Collection[str]) -> dict[str, Application]:
        if not application_ids:
            return {}
        records = self._db.execute(
            select(_c.record).where(_c.tenant_id == tenant_id, _c.id.in_(list(application_ids)))
        ).scalars()
        found = (from_record(record, Application) for record in records)
        return {application.id: application for application in found}

    def update_many(self, applications: Sequence[Application]) -> None:
        rows = [to_row(application) for application in applications]
        self._db.update_many_existing(table, rows, ("tenant_id", "id"), "applications")

    def update(self, application: Application) -> None:
        values = to_row(application)
        del values["tenant_id"], values["id"]
        statement = (
            update(table)
            .where(_c.tenant_id == application.tenant_id, _c.id == application.id)
            .values(**values)
        )
        self._db.update_existing(statement, f"application {application.id}")

    def search(self, tenant_id: str, query: ApplicationQuery) -> Page[ListedApplication]:
        conditions = self._conditions(tenant_id, query)
        rows: Sequence[Row[Any]]
        counted = self._db.execute(
            paging.capped_count(conditions, query.count_limit + 1)
        ).scalar_one()
        total, exact = paging.total_of(int(counted), query.count_limit)
        if query.sort is ApplicationSort.SCORE:
            rows = self._by_score(conditions, query)
        else:
            rows = self._by_column(conditions, query)
        size = query.page_size
        items = tuple(
            ListedApplication(from_record(row.record, Application), row.score)
            for row in rows[:size]
        )
        more = len(rows) > size
        next_cursor = _cursor_of(query.sort, items[-1]) if more else None
        return Page(items, total, next_cursor, total_exact=exact)

    def _one(self, *conditions: ColumnElement[bool]) -> Application | None:
        record = self._db.execute(select(_c.record).where(*conditions)).scalar_one_or_none()
        return None if record is None else from_record(record, Application)

    @staticmethod
    def _conditions(tenant_id: str, query: ApplicationQuery) -> list[ColumnElement[bool]]:
        conditions = [_c.tenant_id == tenant_id]
        if query.statuses:
            conditions.append(_c.status.in_(sorted(s.value for s in query.statuses)))
        if query.created_from is not None:
            conditions.append(_c.submitted_at >= query.created_from)
        if query.created_to is not None:
            conditions.append(_c.submitted_at < query.created_to)
        if query.scored_only:
            conditions.append(_c.score.is_not(None))
        term = search_key(query.search)
        if term:
            pattern = paging.prefix_pattern(term)
            conditions.append(
                or_(
                    *(
                        column.like(pattern, escape="\\")
                        for column in (_c.external_id_key, _c.first_name_key, _c.last_name_key)
                    )
                )
            )
        return conditions

    def _by_column(
        self, conditions: list[ColumnElement[bool]], query: ApplicationQuery
    ) -> Sequence[Row[Any]]:
        column = _SORT_COLUMNS[query.sort]
        statement = select(_c.record, _c.score).where(*conditions)
        if query.cursor is not None:
            value = _cursor_value(query.sort, query.cursor.value)
            statement = statement.where(
                paging.after(query.order, column, _c.id, value, query.cursor.id)
            )
        else:
            statement = statement.offset(paging.offset(query.page, query.page_size))
        statement = statement.order_by(*paging.order_by(query.order, column, _c.id))
        return self._db.execute(statement.limit(query.page_size + 1)).all()

    def _by_score(
        self, conditions: list[ColumnElement[bool]], query: ApplicationQuery
    ) -> list[Row[Any]]:
        """Scored rows in order, then the unscored ones by id: two index range scans.

        Unscored applications sort last in either direction, which no single index order
        gives; reading the two parts apart keeps each one a plain range scan.
        """
        wanted, cursor = query.page_size + 1, query.cursor
        skip = 0 if cursor is not None else paging.offset(query.page, query.page_size)
        # How many rows have a score says where the unscored ones start; only the first
        # skip + 1 of them matter, so the count stops there.
        scored_only = [*conditions, _c.score.is_not(None)]
        valued = int(self._db.execute(paging.capped_count(scored_only, skip + 1)).scalar_one())
        scored = select(_c.record, _c.score).where(*conditions, _c.score.is_not(None))
        unscored = select(_c.record, _c.score).where(*conditions, _c.score.is_(None))
        rows: list[Row[Any]] = []
        if cursor is None or cursor.value is not None:
            if cursor is not None:
                value = _cursor_value(query.sort, cursor.value)
                scored = scored.where(paging.after(query.order, _c.score, _c.id, value, cursor.id))
            if skip < valued or cursor is not None:
                ordered = scored.order_by(*paging.order_by(query.order, _c.score, _c.id))
                rows.extend(self._db.execute(ordered.offset(skip).limit(wanted)).all())
            skip = max(skip - valued, 0)
        else:
            unscored = unscored.where(paging.id_after(query.order, _c.id, cursor.id))
        if len(rows) < wanted:
            ordered = unscored.order_by(*paging.order_by(query.order, _c.id))
            rows.extend(self._db.execute(ordered.offset(skip).limit(wanted - len(rows))).all())
        return rows

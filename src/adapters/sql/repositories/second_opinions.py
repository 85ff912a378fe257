"""Second opinions as rows: a few columns to find and constrain them by, the record whole."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select

from adapters.sql.records import from_record, to_record
from adapters.sql.schema.second_opinions import second_opinions
from adapters.sql.transaction import Transaction
from domain.credit.second_opinion_record import SecondOpinionRecord

_s = second_opinions.c


def _row(record: SecondOpinionRecord) -> dict[str, Any]:
    return {
        "tenant_id": record.tenant_id,
        "id": record.id,
        "application_id": record.application_id,
        "at": record.at,
        "trigger": record.trigger.value,
        "outcome": record.outcome.value,
        "fallback_cause": record.fallback_cause,
        "model": record.model,
        "routing_changed": record.routing_changed,
        "record": to_record(record),
    }


def _what(row: Mapping[str, Any]) -> str:
    return f"second opinion {row['id']}"


class SqlSecondOpinionRepository:
    def __init__(self, db: Transaction) -> None:
        self._db = db

    def add_many(self, records: Sequence[SecondOpinionRecord]) -> None:
        if records:
            self._db.insert_many_new(second_opinions, [_row(record) for record in records], _what)

    def of_application(
        self, tenant_id: str, application_id: str, limit: int = 50
    ) -> list[SecondOpinionRecord]:
        statement = (
            select(_s.record)
            .where(_s.tenant_id == tenant_id, _s.application_id == application_id)
            .order_by(_s.at.desc(), _s.id.desc())
            .limit(limit)
        )
        return [from_record(row.record, SecondOpinionRecord) for row in self._db.execute(statement)]

"""Known outcomes of granted loans, and the labelled applications a model trains on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, select

from adapters.sql.records import from_record, to_record
from adapters.sql.schema import applications, loan_outcomes
from adapters.sql.transaction import Transaction
from domain.credit.application import Application
from domain.credit.history import LoanOutcome

_o = loan_outcomes.c
_a = applications.c


def to_row(outcome: LoanOutcome) -> dict[str, Any]:
    return {
        "tenant_id": outcome.tenant_id,
        "application_id": outcome.application_id,
        "defaulted": outcome.defaulted,
        "observed_at": outcome.observed_at,
        "source": outcome.source,
        "record": to_record(outcome),
    }


class SqlOutcomeRepository:
    def __init__(self, db: Transaction) -> None:
        self._db = db

    def add(self, outcome: LoanOutcome) -> None:
        what = f"the outcome of application {outcome.application_id}"
        self._db.insert_new(loan_outcomes, to_row(outcome), what)

    def get(self, tenant_id: str, application_id: str) -> LoanOutcome | None:
        record = self._db.execute(
            select(_o.record).where(_o.tenant_id == tenant_id, _o.application_id == application_id)
        ).scalar_one_or_none()
        return None if record is None else from_record(record, LoanOutcome)

    def labelled(
        self, tenant_id: str, source: str | None = None
    ) -> list[tuple[Application, LoanOutcome]]:
        statement = (
            select(_a.record.label("application"), _o.record.label("outcome"))
            .join(loan_outcomes, (_o.tenant_id == _a.tenant_id) & (_o.application_id == _a.id))
            .where(_o.tenant_id == tenant_id)
            .order_by(_o.application_id)
        )
        if source is not None:
            statement = statement.where(_o.source == source)
        rows: Sequence[Row[Any]] = self._db.execute(statement).all()
        return [
            (from_record(row.application, Application), from_record(row.outcome, LoanOutcome))
            for row in rows
        ]

"""Decisions on applications, including reverted ones: they are part of the record."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, select, update

from adapters.sql.records import from_record, to_record
from adapters.sql.schema import decisions as table
from adapters.sql.transaction import Transaction
from domain.credit.decisions import Decision, DecisionStatus

_c = table.c


def to_row(decision: Decision) -> dict[str, Any]:
    return {
        "tenant_id": decision.tenant_id,
        "id": decision.id,
        "application_id": decision.application_id,
        "decision_type": decision.decision_type.value,
        "status": decision.status.value,
        "decided_by": decision.decided_by,
        "decided_at": decision.decided_at,
        "approved_amount": None if decision.terms is None else decision.terms.amount.amount,
        "record": to_record(decision),
    }


class SqlDecisionRepository:
    def __init__(self, db: Transaction) -> None:
        self._db = db

    def add(self, decision: Decision) -> None:
        what = f"decision {decision.id} (or a final decision on {decision.application_id})"
        self._db.insert_new(table, to_row(decision), what)

    def add_many(self, decisions: Sequence[Decision]) -> None:
        self._db.insert_many_new(
            table,
            [to_row(decision) for decision in decisions],
            lambda row: f"decision {row['id']} (or a final decision on {row['application_id']})",
        )

    def get(self, tenant_id: str, decision_id: str) -> Decision | None:
        found = self._many(_c.tenant_id == tenant_id, _c.id == decision_id)
        return found[0] if found else None

    def update(self, decision: Decision) -> None:
        values = to_row(decision)
        del values["tenant_id"], values["id"]
        statement = (
            update(table)
            .where(_c.tenant_id == decision.tenant_id, _c.id == decision.id)
            .values(**values)
        )
        self._db.update_existing(statement, f"decision {decision.id}")

    def for_application(self, tenant_id: str, application_id: str) -> list[Decision]:
        return self._many(_c.tenant_id == tenant_id, _c.application_id == application_id)

    def awaiting_override(self, tenant_id: str) -> list[Decision]:
        return self._many(
            _c.tenant_id == tenant_id,
            _c.status == DecisionStatus.AWAITING_OVERRIDE_APPROVAL.value,
        )

    def _many(self, *conditions: ColumnElement[bool]) -> list[Decision]:
        records = self._db.execute(
            select(_c.record).where(*conditions).order_by(_c.decided_at, _c.id)
        ).scalars()
        return [from_record(record, Decision) for record in records]

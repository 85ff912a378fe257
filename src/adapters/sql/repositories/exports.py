"""Exports, and the rows they are made of: applications a page at a time, by keyset."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, update

from adapters.sql.records import from_record, to_record
from adapters.sql.schema import applications, decisions, exports, scoring_results
from adapters.sql.transaction import Transaction
from application.credit.ports.exports import RowsAfter
from domain.credit.application import Application
from domain.credit.decisions import Decision
from domain.credit.export_rows import ExportDecision, ExportRecord, ExportScore
from domain.credit.exports import Export, ExportFilter

_x = exports.c
_a = applications.c
_r = scoring_results.c
_d = decisions.c
_IN_LIST = 1_000  # values per IN list, well within every engine's limit


def to_row(export: Export) -> dict[str, Any]:
    return {
        "tenant_id": export.tenant_id,
        "id": export.id,
        "status": export.status.value,
        "created_at": export.created_at,
        "record": to_record(export),
    }


def _admitted(tenant_id: str, export_filter: ExportFilter) -> list[ColumnElement[bool]]:
    """The conditions of the filter, each served by an index that starts with the tenant."""
    found = [_a.tenant_id == tenant_id]
    if export_filter.statuses:
        found.append(_a.status.in_(sorted(s.value for s in export_filter.statuses)))
    if export_filter.created_from is not None:
        found.append(_a.submitted_at >= export_filter.created_from)
    if export_filter.created_to is not None:
        found.append(_a.submitted_at < export_filter.created_to)
    return found


def _score(row: Any) -> ExportScore | None:
    if row.score is None:
        return None
    return ExportScore(
        score=row.score,
        probability_of_default=row.probability_of_default,
        routing_outcome=row.routing_outcome,
        model_version=row.model_version,
        scored_at=row.scored_at,
    )


class SqlExportRepository:
    def __init__(self, db: Transaction) -> None:
        self._db = db

    def add(self, export: Export) -> None:
        self._db.insert_new(exports, to_row(export), f"export {export.id}")

    def get(self, tenant_id: str, export_id: str) -> Export | None:
        statement = select(_x.record).where(_x.tenant_id == tenant_id, _x.id == export_id)
        record = self._db.execute(statement).scalar_one_or_none()
        return None if record is None else from_record(record, Export)

    def update(self, export: Export) -> None:
        values = to_row(export)
        del values["tenant_id"], values["id"]
        statement = (
            update(exports)
            .where(_x.tenant_id == export.tenant_id, _x.id == export.id)
            .values(**values)
        )
        self._db.update_existing(statement, f"export {export.id}")

    def count_rows(self, tenant_id: str, export_filter: ExportFilter) -> int:
        statement = select(func.count()).select_from(applications)
        return int(
            self._db.execute(statement.where(*_admitted(tenant_id, export_filter))).scalar_one()
        )

    def rows(
        self,
        tenant_id: str,
        export_filter: ExportFilter,
        *,
        after: RowsAfter | None,
        limit: int,
        decisions: bool,
    ) -> list[ExportRecord]:
        if limit <= 0:
            return []
        conditions = _admitted(tenant_id, export_filter)
        if after is not None:
            conditions.append(
                or_(
                    _a.submitted_at > after.submitted_at,
                    and_(_a.submitted_at == after.submitted_at, _a.id > after.application_id),
                )
            )
        latest = and_(_r.id == _a.latest_result_id, _r.tenant_id == _a.tenant_id)
        statement = (
            select(
                _a.record,
                _r.score,
                _r.probability_of_default,
                _r.routing_outcome,
                _r.model_version,
                _r.scored_at,
            )
            .select_from(applications.outerjoin(scoring_results, latest))
            .where(*conditions)
            .order_by(_a.submitted_at, _a.id)
            .limit(limit)
        )
        found = [
            (from_record(row.record, Application), _score(row))
            for row in self._db.execute(statement)
        ]
        latest_decisions = (
            self._latest_decisions(tenant_id, [a.id for a, _s in found]) if decisions else {}
        )
        return [
            ExportRecord(application, score, latest_decisions.get(application.id))
            for application, score in found
        ]

    def _latest_decisions(
        self, tenant_id: str, application_ids: list[str]
    ) -> dict[str, ExportDecision]:
        """Each application's newest decision (newest `decided_at`, then greatest id)."""
        newest: dict[str, ExportDecision] = {}
        for start in range(0, len(application_ids), _IN_LIST):
            statement = (
                select(_d.record)
                .where(
                    _d.tenant_id == tenant_id,
                    _d.application_id.in_(application_ids[start : start + _IN_LIST]),
                )
                .order_by(_d.decided_at, _d.id)
            )
            for record in self._db.execute(statement).scalars():
                decision = from_record(record, Decision)
                newest[decision.application_id] = ExportDecision.of(decision)
        return newest

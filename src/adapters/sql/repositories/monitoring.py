"""Stored monitoring reports, kept whole; the newest first for the dashboard."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from adapters.sql.records import from_record, to_record
from adapters.sql.schema import monitoring_reports
from adapters.sql.transaction import Transaction
from domain.credit.model_monitoring import MonitoringReport

_m = monitoring_reports.c


def to_row(report: MonitoringReport) -> dict[str, Any]:
    return {
        "tenant_id": report.tenant_id,
        "id": report.id,
        "created_at": report.created_at,
        "model_version": report.model_version,
        "level": report.level.value,
        "record": to_record(report),
    }


class SqlMonitoringReportRepository:
    def __init__(self, db: Transaction) -> None:
        self._db = db

    def add(self, report: MonitoringReport) -> None:
        what = f"monitoring report {report.id} of tenant {report.tenant_id}"
        self._db.insert_new(monitoring_reports, to_row(report), what)

    def get(self, tenant_id: str, report_id: str) -> MonitoringReport | None:
        record = self._db.execute(
            select(_m.record).where(_m.tenant_id == tenant_id, _m.id == report_id)
        ).scalar_one_or_none()
        return None if record is None else from_record(record, MonitoringReport)

    def recent(self, tenant_id: str, *, limit: int) -> list[MonitoringReport]:
        if limit <= 0:
            return []
        records = self._db.execute(
            select(_m.record)
            .where(_m.tenant_id == tenant_id)
            .order_by(_m.created_at.desc(), _m.id.desc())
            .limit(limit)
        ).scalars()
        return [from_record(record, MonitoringReport) for record in records]

"""Gate runs and deliveries of test-generation suites: the newest run of each suite, and the
deliveries made, oldest first."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import func, select

from adapters.sql.records import from_record, to_record
from adapters.sql.repositories.testgen_reviews import chunks
from adapters.sql.schema.testgen import testgen_deliveries, testgen_gate_runs
from adapters.sql.transaction import Transaction
from application.testgen.ports import GateRun
from application.testgen.views import DeliveryRecord
from domain.testgen.delivery import DeliveryReceipt, DeliveryTarget
from domain.testgen.rendered import GateReport

_g = testgen_gate_runs.c
_d = testgen_deliveries.c


def _run(row: Any) -> GateRun:
    return GateRun(
        tenant_id=row.tenant_id,
        id=row.id,
        suite_id=row.suite_id,
        base_url=row.base_url,
        report=from_record(row.report, GateReport),
        ran_at=row.ran_at,
        ran_by=row.ran_by,
    )


class SqlGateRunRepository:
    def __init__(self, db: Transaction) -> None:
        self._db = db

    def add(self, run: GateRun) -> None:
        values = {
            "tenant_id": run.tenant_id,
            "id": run.id,
            "suite_id": run.suite_id,
            "base_url": run.base_url,
            "passed": run.report.passed,
            "report": to_record(run.report),
            "ran_at": run.ran_at,
            "ran_by": run.ran_by,
        }
        self._db.insert_new(testgen_gate_runs, values, f"gate run {run.id}")

    def latest(self, tenant_id: str, suite_id: str) -> GateRun | None:
        return self.latest_of(tenant_id, [suite_id]).get(suite_id)

    def latest_of(self, tenant_id: str, suite_ids: Collection[str]) -> dict[str, GateRun]:
        found: dict[str, GateRun] = {}
        for chunk in chunks(suite_ids):
            newest = (
                select(
                    _g.tenant_id,
                    _g.id,
                    func.row_number()
                    .over(partition_by=_g.suite_id, order_by=(_g.ran_at.desc(), _g.id.desc()))
                    .label("rank"),
                )
                .where(_g.tenant_id == tenant_id, _g.suite_id.in_(chunk))
                .subquery()
            )
            statement = select(testgen_gate_runs).join(
                newest,
                (newest.c.tenant_id == _g.tenant_id)
                & (newest.c.id == _g.id)
                & (newest.c.rank == 1),
            )
            found.update((row.suite_id, _run(row)) for row in self._db.execute(statement))
        return found


class SqlTestgenDeliveryRepository:
    def __init__(self, db: Transaction) -> None:
        self._db = db

    def add(self, tenant_id: str, delivery: DeliveryRecord) -> None:
        values = {
            "tenant_id": tenant_id,
            "id": delivery.id,
            "suite_id": delivery.suite_id,
            "repository": delivery.target.repository,
            "branch": delivery.target.branch,
            "directory": delivery.target.directory,
            "commit": delivery.receipt.commit,
            "committed": delivery.receipt.committed,
            "files": list(delivery.receipt.files),
            "case_ids": list(delivery.case_ids),
            "delivered_at": delivery.delivered_at,
            "delivered_by": delivery.delivered_by,
        }
        self._db.insert_new(testgen_deliveries, values, f"delivery {delivery.id}")

    def of_suite(self, tenant_id: str, suite_id: str) -> list[DeliveryRecord]:
        statement = (
            select(testgen_deliveries)
            .where(_d.tenant_id == tenant_id, _d.suite_id == suite_id)
            .order_by(_d.delivered_at, _d.id)
        )
        return [_delivery(row) for row in self._db.execute(statement)]


def _delivery(row: Any) -> DeliveryRecord:
    return DeliveryRecord(
        id=row.id,
        suite_id=row.suite_id,
        target=DeliveryTarget(row.repository, row.branch, row.directory),
        receipt=DeliveryReceipt(
            commit=row.commit, branch=row.branch, files=tuple(row.files), committed=row.committed
        ),
        case_ids=tuple(row.case_ids),
        delivered_at=row.delivered_at,
        delivered_by=row.delivered_by,
    )

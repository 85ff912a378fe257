"""The unit of work of the test-generation context over SQL: its repositories and the
tenant's audit chain, on one connection and in one transaction per `with` block."""

from __future__ import annotations

from sqlalchemy import Engine

from adapters.sql.repositories.journal import SqlAuditLog
from adapters.sql.repositories.testgen import SqlSpecRepository, SqlSuiteRepository
from adapters.sql.repositories.testgen_reviews import SqlReviewRepository
from adapters.sql.repositories.testgen_runs import (
    SqlGateRunRepository,
    SqlTestgenDeliveryRepository,
)
from adapters.sql.transaction import Transaction
from adapters.sql.unit_of_work_base import SqlTransactionScope
from application.testgen.ports import TestgenUnitOfWork


class _Repositories:
    def __init__(self, db: Transaction) -> None:
        self.specs = SqlSpecRepository(db)
        self.suites = SqlSuiteRepository(db)
        self.reviews = SqlReviewRepository(db)
        self.gate_runs = SqlGateRunRepository(db)
        self.deliveries = SqlTestgenDeliveryRepository(db)
        self.audit = SqlAuditLog(db)


class SqlTestgenUnitOfWork(SqlTransactionScope[_Repositories]):
    """As `adapters.sql.SqlUnitOfWork`: `with uow:` begins a transaction on a pooled
    connection, `commit()` makes its writes durable, leaving the block rolls back the rest.
    One unit of work serves one thread at a time."""

    def _repositories_in(self, db: Transaction) -> _Repositories:
        return _Repositories(db)

    @property
    def specs(self) -> SqlSpecRepository:
        return self._open().specs

    @property
    def suites(self) -> SqlSuiteRepository:
        return self._open().suites

    @property
    def reviews(self) -> SqlReviewRepository:
        return self._open().reviews

    @property
    def gate_runs(self) -> SqlGateRunRepository:
        return self._open().gate_runs

    @property
    def deliveries(self) -> SqlTestgenDeliveryRepository:
        return self._open().deliveries

    @property
    def audit(self) -> SqlAuditLog:
        return self._open().audit


def _conforms(engine: Engine) -> TestgenUnitOfWork:
    """mypy checks here that the unit of work, and so every repository, satisfies its port."""
    return SqlTestgenUnitOfWork(engine)

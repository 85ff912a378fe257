"""The unit of work of the test-generation context over SQL: its repositories and the
tenant's audit chain, on one connection and in one transaction per `with` block."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Engine

from adapters.sql.repositories.journal import SqlAuditLog
from adapters.sql.repositories.testgen import SqlSpecRepository, SqlSuiteRepository
from adapters.sql.repositories.testgen_reviews import SqlReviewRepository
from adapters.sql.repositories.testgen_runs import (
    SqlGateRunRepository,
    SqlTestgenDeliveryRepository,
)
from adapters.sql.transaction import Transaction
from application.testgen.ports import TestgenUnitOfWork


class _Repositories:
    def __init__(self, db: Transaction) -> None:
        self.specs = SqlSpecRepository(db)
        self.suites = SqlSuiteRepository(db)
        self.reviews = SqlReviewRepository(db)
        self.gate_runs = SqlGateRunRepository(db)
        self.deliveries = SqlTestgenDeliveryRepository(db)
        self.audit = SqlAuditLog(db)


class SqlTestgenUnitOfWork:
    """As `adapters.sql.SqlUnitOfWork`: `with uow:` begins a transaction on a pooled
    connection, `commit()` makes its writes durable, leaving the block rolls back the rest.
    One unit of work serves one thread at a time."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._db: Transaction | None = None
        self._repositories: _Repositories | None = None

    def _open(self) -> _Repositories:
        if self._repositories is None:
            raise RuntimeError("use the repositories inside `with uow:`")
        return self._repositories

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

    def __enter__(self) -> Self:
        if self._db is not None:
            raise RuntimeError("this unit of work is already open")
        self._db = Transaction(self._engine.connect())
        self._repositories = _Repositories(self._db)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        db, self._db, self._repositories = self._db, None, None
        if db is None:
            return
        try:
            db.rollback()
        finally:
            db.connection.close()

    def commit(self) -> None:
        self._transaction().commit()

    def rollback(self) -> None:
        self._transaction().rollback()

    def _transaction(self) -> Transaction:
        if self._db is None:
            raise RuntimeError("commit and rollback happen inside `with uow:`")
        return self._db


def _conforms(engine: Engine) -> TestgenUnitOfWork:
    """mypy checks here that the unit of work, and so every repository, satisfies its port."""
    return SqlTestgenUnitOfWork(engine)

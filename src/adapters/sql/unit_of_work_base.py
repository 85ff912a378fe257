"""What every SQL unit of work does, whatever its repositories: one pooled connection and one
transaction per `with` block, committed only when asked.

Each bounded context (credit decisions, test generation) has its own unit of work with its own
repositories; only the transaction's life is shared, and it lives here once.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import TracebackType
from typing import Generic, Self, TypeVar

from sqlalchemy import Engine

from adapters.sql.transaction import Transaction

Repositories = TypeVar("Repositories")


class SqlTransactionScope(ABC, Generic[Repositories]):
    """`with uow:` checks a connection out of the engine's pool and begins a transaction;
    `commit()` makes its writes durable, and leaving the block rolls back whatever was not
    committed (an exception included, which then propagates) and returns the connection.

    One unit of work serves one thread at a time; make one per request or job.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._db: Transaction | None = None
        self._repositories: Repositories | None = None

    @abstractmethod
    def _repositories_in(self, db: Transaction) -> Repositories:
        """The context's repositories, all on the transaction `db`."""

    def _open(self) -> Repositories:
        if self._repositories is None:
            raise RuntimeError("use the repositories inside `with uow:`")
        return self._repositories

    def __enter__(self) -> Self:
        if self._db is not None:
            raise RuntimeError("this unit of work is already open")
        self._db = Transaction(self._engine.connect())
        self._repositories = self._repositories_in(self._db)
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

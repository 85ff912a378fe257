"""What every in-memory unit of work does, whatever its repositories: stage writes in a
transaction per `with` block, apply them on `commit()`, drop them otherwise, and remember for
each block whether it committed (so a test can assert that a use case did, or that a failing
one did not). The credit and test-generation fakes differ only in their repositories."""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import TracebackType
from typing import Generic, Protocol, Self, TypeVar


class Staged(Protocol):
    """A fake transaction: its staged writes are applied or dropped."""

    def commit(self) -> None: ...

    def discard(self) -> None: ...


Transaction = TypeVar("Transaction", bound=Staged)


class FakeTransactionScope(ABC, Generic[Transaction]):
    def __init__(self) -> None:
        self.committed: list[bool] = []
        self._transaction: Transaction | None = None
        self._did_commit = False

    @abstractmethod
    def _begin(self) -> Transaction:
        """A new transaction over the fake's database."""

    def _open(self) -> Transaction:
        if self._transaction is None:
            raise RuntimeError("use the repositories inside `with uow:`")
        return self._transaction

    def __enter__(self) -> Self:
        if self._transaction is not None:
            raise RuntimeError("this unit of work is already open")
        self._transaction = self._begin()
        self._did_commit = False
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._open().discard()
        self._transaction = None
        self.committed.append(self._did_commit)

    def commit(self) -> None:
        self._open().commit()
        self._did_commit = True

    def rollback(self) -> None:
        self._open().discard()

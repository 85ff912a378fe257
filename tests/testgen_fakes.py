"""In-memory fakes of the test-generation ports, with the semantics of the SQL adapters
(the contract tests in tests/contracts/test_testgen_repository.py hold both to them), and
small stand-ins for the renderer, the quality gate and the git repository.

The unit of work shares an `InMemoryDatabase` with the credit fakes for the audit chain,
which both contexts append to, as they do on one database in production.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, TypeVar

from attrs import evolve

from application.ports import AlreadyExists, RecordNotFound
from application.testgen.ports import GateRun, StoredSpec, StoredSuite, TestgenUnitOfWork
from application.testgen.views import DeliveryRecord
from domain.testgen.review import SuiteReview
from tests.fake_scope import FakeTransactionScope
from tests.fakes import InMemoryAuditLog, InMemoryDatabase, _Staged, _Table

K = TypeVar("K")
V = TypeVar("V")


class TestgenDatabase:
    """The committed state of the test-generation tables, plus the shared credit database."""

    __test__ = False  # not a pytest test class, despite the name

    def __init__(self, shared: InMemoryDatabase | None = None) -> None:
        self.shared = shared or InMemoryDatabase()
        self.specs: _Table[tuple[str, str], StoredSpec] = _Table()
        self.suites: _Table[tuple[str, str], StoredSuite] = _Table()
        self.reviews: _Table[tuple[str, str], SuiteReview] = _Table()
        self.gate_runs: _Table[tuple[str, str], GateRun] = _Table()
        self.deliveries: _Table[tuple[str, str], tuple[str, DeliveryRecord]] = _Table()


class InMemorySpecRepository:
    def __init__(self, rows: _Staged[tuple[str, str], StoredSpec]) -> None:
        self._rows = rows

    def add(self, spec: StoredSpec) -> None:
        self._rows.insert((spec.tenant_id, spec.spec_hash), spec, f"spec {spec.spec_hash}")

    def get(self, tenant_id: str, spec_hash: str) -> StoredSpec | None:
        return self._rows.get((tenant_id, spec_hash))


class InMemorySuiteRepository:
    def __init__(
        self,
        rows: _Staged[tuple[str, str], StoredSuite],
        specs: _Staged[tuple[str, str], StoredSpec],
    ) -> None:
        self._rows = rows
        self._specs = specs

    def add(self, suite: StoredSuite) -> None:
        if self._specs.get((suite.tenant_id, suite.spec_hash)) is None:
            raise RecordNotFound(f"spec {suite.spec_hash} does not exist")
        if self.of_spec(suite.tenant_id, suite.spec_hash) is not None:
            raise AlreadyExists(f"suite {suite.id} already exists")
        self._rows.insert((suite.tenant_id, suite.id), suite, f"suite {suite.id}")

    def get(self, tenant_id: str, suite_id: str) -> StoredSuite | None:
        return self._rows.get((tenant_id, suite_id))

    def lock(self, tenant_id: str, suite_id: str) -> StoredSuite | None:
        return self.get(tenant_id, suite_id)  # one thread at a time: nothing to lock

    def of_spec(self, tenant_id: str, spec_hash: str) -> StoredSuite | None:
        return self._rows.first(lambda s: s.tenant_id == tenant_id and s.spec_hash == spec_hash)

    def latest_of_title(self, tenant_id: str, title: str) -> StoredSuite | None:
        same = [s for s in self.list(tenant_id) if s.title == title]
        return same[0] if same else None

    def list(self, tenant_id: str) -> list[StoredSuite]:
        mine = self._rows.where(lambda s: s.tenant_id == tenant_id)
        return sorted(mine, key=lambda s: (s.created_at, s.id), reverse=True)


def _sorted(review: SuiteReview) -> SuiteReview:
    return evolve(review, tests=tuple(sorted(review.tests, key=lambda t: t.case_id)))


class InMemoryReviewRepository:
    def __init__(
        self,
        rows: _Staged[tuple[str, str], SuiteReview],
        suites: _Staged[tuple[str, str], StoredSuite],
    ) -> None:
        self._rows = rows
        self._suites = suites

    def add(self, tenant_id: str, suite_id: str, review: SuiteReview) -> None:
        if self._suites.get((tenant_id, suite_id)) is None:
            raise RecordNotFound(f"suite {suite_id} does not exist")
        self._rows.insert((tenant_id, suite_id), _sorted(review), f"review of {suite_id}")

    def get(self, tenant_id: str, suite_id: str) -> SuiteReview | None:
        return self._rows.get((tenant_id, suite_id))

    def save(self, tenant_id: str, suite_id: str, review: SuiteReview) -> None:
        stored = self.get(tenant_id, suite_id)
        if stored is None:
            raise RecordNotFound(f"the review of suite {suite_id} does not exist")
        before = {test.case_id: test for test in stored.tests}
        if before.keys() != {test.case_id for test in review.tests}:
            raise ValueError("a saved review must hold the same tests as the stored one")
        pairs = [(stored.history, review.history)]
        pairs += [(before[test.case_id].history, test.history) for test in review.tests]
        if any(now[: len(old)] != old for old, now in pairs):
            raise ValueError("a review's history was rewritten")
        self._rows.put((tenant_id, suite_id), _sorted(review))

    def of_suites(self, tenant_id: str, suite_ids: Collection[str]) -> dict[str, SuiteReview]:
        found = ((suite_id, self.get(tenant_id, suite_id)) for suite_id in set(suite_ids))
        return {suite_id: review for suite_id, review in found if review is not None}


class InMemoryGateRunRepository:
    def __init__(self, rows: _Staged[tuple[str, str], GateRun]) -> None:
        self._rows = rows

    def add(self, run: GateRun) -> None:
        self._rows.insert((run.tenant_id, run.id), run, f"gate run {run.id}")

    def latest(self, tenant_id: str, suite_id: str) -> GateRun | None:
        runs = self._rows.where(lambda r: r.tenant_id == tenant_id and r.suite_id == suite_id)
        return max(runs, key=lambda r: (r.ran_at, r.id), default=None)

    def latest_of(self, tenant_id: str, suite_ids: Collection[str]) -> dict[str, GateRun]:
        found = ((suite_id, self.latest(tenant_id, suite_id)) for suite_id in set(suite_ids))
        return {suite_id: run for suite_id, run in found if run is not None}


class InMemoryTestgenDeliveryRepository:
    def __init__(self, rows: _Staged[tuple[str, str], tuple[str, DeliveryRecord]]) -> None:
        self._rows = rows

    def add(self, tenant_id: str, delivery: DeliveryRecord) -> None:
        key = (tenant_id, delivery.id)
        self._rows.insert(key, (tenant_id, delivery), f"delivery {delivery.id}")

    def of_suite(self, tenant_id: str, suite_id: str) -> list[DeliveryRecord]:
        mine = [
            delivery
            for owner, delivery in self._rows.values()
            if owner == tenant_id and delivery.suite_id == suite_id
        ]
        return sorted(mine, key=lambda d: (d.delivered_at, d.id))


class _Transaction:
    def __init__(self, db: TestgenDatabase) -> None:
        self._staged: list[_Staged[Any, Any]] = []
        specs, suites = self._stage(db.specs), self._stage(db.suites)
        self.specs = InMemorySpecRepository(specs)
        self.suites = InMemorySuiteRepository(suites, specs)
        self.reviews = InMemoryReviewRepository(self._stage(db.reviews), suites)
        self.gate_runs = InMemoryGateRunRepository(self._stage(db.gate_runs))
        self.deliveries = InMemoryTestgenDeliveryRepository(self._stage(db.deliveries))
        self.audit = InMemoryAuditLog(self._stage(db.shared.audit))

    def _stage(self, table: _Table[K, V]) -> _Staged[K, V]:
        staged = _Staged(table)
        self._staged.append(staged)
        return staged

    def commit(self) -> None:
        for staged in self._staged:
            staged.commit()

    def discard(self) -> None:
        for staged in self._staged:
            staged.discard()


class InMemoryTestgenUnitOfWork(FakeTransactionScope["_Transaction"]):
    """Writes are staged and reach the database on `commit()`; `committed` gets one flag per
    `with` block (did it commit?), as `tests.fakes.InMemoryUnitOfWork` does."""

    def __init__(self, database: TestgenDatabase | None = None) -> None:
        super().__init__()
        self.database = database or TestgenDatabase()

    def _begin(self) -> _Transaction:
        return _Transaction(self.database)

    @property
    def specs(self) -> InMemorySpecRepository:
        return self._open().specs

    @property
    def suites(self) -> InMemorySuiteRepository:
        return self._open().suites

    @property
    def reviews(self) -> InMemoryReviewRepository:
        return self._open().reviews

    @property
    def gate_runs(self) -> InMemoryGateRunRepository:
        return self._open().gate_runs

    @property
    def deliveries(self) -> InMemoryTestgenDeliveryRepository:
        return self._open().deliveries

    @property
    def audit(self) -> InMemoryAuditLog:
        return self._open().audit


# Conformance: mypy checks the fake against its port here.
_uow: TestgenUnitOfWork = InMemoryTestgenUnitOfWork()

"""The ports of the test-generation context: its storage, in one unit of work, and the
machinery it drives (reading spec files, rendering pytest modules, running the quality gate,
committing to git), each a `typing.Protocol` an adapter satisfies structurally.

Generation itself is pure domain (`domain.testgen.generate`) and needs no port. Suites are not
stored case by case: a stored spec and its hash pin the document, and generation and rendering
are deterministic, so the suite is generated again from the spec when it is read. What is
stored is what people and the gate added: reviews with their history, gate reports and
deliveries.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from attrs import frozen

from application.credit.ports.journal import AuditLog
from application.testgen.views import DeliveryRecord, Origin
from domain.testgen.cases import Suite
from domain.testgen.changes import SuiteChanges
from domain.testgen.delivery import DeliveryReceipt, DeliveryTarget
from domain.testgen.openapi import ApiSpec
from domain.testgen.rendered import GateReport, GateTarget, RenderedFile, RenderedSuite
from domain.testgen.review import SuiteReview

__all__ = [
    "DeliveryRepository",
    "GateRun",
    "GateRunRepository",
    "QualityGate",
    "ReviewRepository",
    "SpecLoader",
    "SpecRepository",
    "StoredSpec",
    "StoredSuite",
    "SuiteRenderer",
    "SuiteRepository",
    "TestRepository",
    "TestgenUnitOfWork",
]


@frozen
class StoredSpec:
    """A spec as submitted, decoded: the document is what the suite is generated from."""

    tenant_id: str
    spec_hash: str
    title: str
    version: str
    document: Mapping[str, object]
    origin: Origin
    source: str | None
    created_at: datetime
    created_by: str


@frozen
class StoredSuite:
    """A suite: one per tenant and spec hash. `previous_id` is the suite of the same API title
    submitted before it (if any) and `changes` compares the two by case id; `removed` names
    the previous suite's test functions that this one no longer has."""

    tenant_id: str
    id: str
    spec_hash: str
    title: str
    api_version: str
    origin: Origin
    source: str | None
    previous_id: str | None
    changes: SuiteChanges | None
    cases: int
    created_at: datetime
    created_by: str
    removed: tuple[str, ...] = ()


@frozen
class GateRun:
    """One run of the quality gate over a suite; `base_url` of the target, None when only
    compiled and collected (the credentials are never stored)."""

    tenant_id: str
    id: str
    suite_id: str
    base_url: str | None
    report: GateReport
    ran_at: datetime
    ran_by: str


class SpecRepository(Protocol):
    def add(self, spec: StoredSpec) -> None:
        """Store a spec; `AlreadyExists` if the tenant has one with this hash."""
        ...

    def get(self, tenant_id: str, spec_hash: str) -> StoredSpec | None: ...


class SuiteRepository(Protocol):
    def add(self, suite: StoredSuite) -> None:
        """Store a suite (its spec stored first); `AlreadyExists` if the tenant has one with
        this id or this spec hash."""
        ...

    def get(self, tenant_id: str, suite_id: str) -> StoredSuite | None: ...

    def lock(self, tenant_id: str, suite_id: str) -> StoredSuite | None:
        """`get`, holding the suite until the transaction ends, so that two reviews of the
        same suite take turns rather than one overwriting the other."""
        ...

    def of_spec(self, tenant_id: str, spec_hash: str) -> StoredSuite | None: ...

    def latest_of_title(self, tenant_id: str, title: str) -> StoredSuite | None:
        """The newest suite (by `created_at`, then id) of the API with this title."""
        ...

    def list(self, tenant_id: str) -> list[StoredSuite]:
        """The tenant's suites, newest `created_at` first (ties: greater id first)."""
        ...


class ReviewRepository(Protocol):
    """The review of each suite and of each of its tests, with their whole history."""

    def add(self, tenant_id: str, suite_id: str, review: SuiteReview) -> None:
        """Store the first review of a stored suite; `AlreadyExists` if it has one."""
        ...

    def get(self, tenant_id: str, suite_id: str) -> SuiteReview | None: ...

    def save(self, tenant_id: str, suite_id: str, review: SuiteReview) -> None:
        """Store `review` as the suite's review now. It must extend the stored one: histories
        only grow and no test is added or removed; `RecordNotFound` if there is none."""
        ...

    def of_suites(self, tenant_id: str, suite_ids: Collection[str]) -> dict[str, SuiteReview]:
        """The reviews of these suites, by suite id (for the queue: one read, not one each)."""
        ...


class GateRunRepository(Protocol):
    def add(self, run: GateRun) -> None:
        """Store a gate run; `AlreadyExists` if its id is taken."""
        ...

    def latest(self, tenant_id: str, suite_id: str) -> GateRun | None:
        """The suite's newest run (by `ran_at`, then id)."""
        ...

    def latest_of(self, tenant_id: str, suite_ids: Collection[str]) -> dict[str, GateRun]:
        """The newest run of each of these suites that has one, by suite id."""
        ...


class DeliveryRepository(Protocol):
    def add(self, tenant_id: str, delivery: DeliveryRecord) -> None:
        """Store a delivery; `AlreadyExists` if its id is taken."""
        ...

    def of_suite(self, tenant_id: str, suite_id: str) -> list[DeliveryRecord]:
        """The suite's deliveries, oldest first."""
        ...


class TestgenUnitOfWork(Protocol):
    """One transaction over the test-generation repositories and the tenant's audit chain
    (the same chain the credit context appends to), with the semantics of
    `application.credit.ports.UnitOfWork`."""

    @property
    def specs(self) -> SpecRepository: ...

    @property
    def suites(self) -> SuiteRepository: ...

    @property
    def reviews(self) -> ReviewRepository: ...

    @property
    def gate_runs(self) -> GateRunRepository: ...

    @property
    def deliveries(self) -> DeliveryRepository: ...

    @property
    def audit(self) -> AuditLog: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


class SpecLoader(Protocol):
    """Decodes an uploaded spec file."""

    def load(self, content: bytes) -> Mapping[str, object]:
        """The JSON or YAML document in `content`, as plain JSON values (text keys only).

        Raises `domain.errors.ValidationFailed` naming what is wrong and where (line and
        column), for a file that is too large, not UTF-8, not JSON or YAML, or not an object.
        """
        ...


class SuiteRenderer(Protocol):
    """Writes a suite out as pytest modules (deterministically: same input, same bytes)."""

    def render(self, suite: Suite, spec: ApiSpec, document: Mapping[str, object]) -> RenderedSuite:
        """Every file of the suite: conftest, the spec, one module per group."""
        ...

    def case_source(
        self, suite: Suite, spec: ApiSpec, document: Mapping[str, object], case_id: str
    ) -> str:
        """The text of one case's test function, as `render` writes it."""
        ...


class QualityGate(Protocol):
    """Compiles and collects a rendered suite and, given a live server, runs it."""

    def check(self, rendered: RenderedSuite, target: GateTarget | None) -> GateReport: ...


class TestRepository(Protocol):
    """A git repository that approved tests are committed to."""

    def deliver(
        self, target: DeliveryTarget, files: tuple[RenderedFile, ...], message: str
    ) -> DeliveryReceipt:
        """Commit `files` under the target's directory on its branch (pushing to a remote);
        raises `domain.testgen.delivery.DeliveryFailed` when git refuses."""
        ...

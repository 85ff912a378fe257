"""`TestgenService`: the test-generation use cases behind one door, built by composition.

The HTTP API, the workbench pages and the CLI call these methods. Each call builds its use case
with the service's ports; the use case opens fresh units of work from `uow` (a unit of work
serves one call at a time), so one service serves every thread of the process.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from attrs import field, frozen

from application.errors import NotFound
from application.ports import Clock, IdGenerator
from application.testgen.common import Generator
from application.testgen.deliver import DeliverSuite
from application.testgen.gate import RunGate
from application.testgen.ports import (
    QualityGate,
    SpecLoader,
    SuiteRenderer,
    TestgenUnitOfWork,
    TestRepository,
)
from application.testgen.queries import ListSuites, ShowSuite, SuiteFiles
from application.testgen.reviewing import BulkApprove, ReviewSuite, ReviewTest
from application.testgen.submit import SubmitSpec
from application.testgen.views import (
    BulkResult,
    CaseDetail,
    SpecUpload,
    SubmitResult,
    SuiteDetail,
    SuiteSummary,
)
from domain.identity import Principal
from domain.testgen.delivery import DeliveryReceipt, DeliveryTarget
from domain.testgen.generate import generate as generate_suite
from domain.testgen.rendered import GateReport, GateTarget, RenderedSuite
from domain.testgen.review import SuiteReview, TestReview
from domain.testgen.targets import Allowlist


@frozen
class TestgenService:
    """Specs in, reviewed suites out. Every method checks the caller's permission (view,
    submit or review), works within the caller's tenant (another tenant's suite id is
    `NotFound`) and records each change in the audit trail in the change's transaction."""

    __test__ = False  # not a pytest test class, despite the name

    uow: Callable[[], TestgenUnitOfWork]
    clock: Clock
    ids: IdGenerator
    loader: SpecLoader
    renderer: SuiteRenderer
    gate: QualityGate
    repository: TestRepository
    generate: Generator = field(default=generate_suite)
    #: The base URLs a gate may run against, and the repositories a delivery may push to.
    gate_urls: Allowlist = field(kw_only=True)
    repositories: Allowlist = field(kw_only=True)

    def submit(self, principal: Principal, upload: SpecUpload) -> SubmitResult:
        """Generate and queue the suite of a spec (TESTGEN_SUBMIT); the same spec again
        returns its first suite with `created` False."""
        use_case = SubmitSpec(
            self.uow, self.clock, self.ids, self.loader, self.renderer, self.generate
        )
        return use_case(principal, upload)

    def suites(self, principal: Principal) -> tuple[SuiteSummary, ...]:
        """The tenant's suites, newest first (TESTGEN_VIEW)."""
        return ListSuites(self.uow)(principal)

    def suite(self, principal: Principal, suite_id: str) -> SuiteDetail:
        """One suite with every test as a reviewer sees it (TESTGEN_VIEW)."""
        return ShowSuite(self.uow, self.renderer, self.generate)(principal, suite_id)

    def case(self, principal: Principal, suite_id: str, case_id: str) -> CaseDetail:
        """One test of a suite (TESTGEN_VIEW); `NotFound` for a case id not in the suite."""
        detail = self.suite(principal, suite_id)
        found = next((c for c in detail.cases if c.case.id == case_id), None)
        if found is None:
            raise NotFound("test", case_id)
        return found

    def review_test(
        self,
        principal: Principal,
        suite_id: str,
        case_id: str,
        action: str,
        comment: str | None = None,
    ) -> TestReview:
        """ "approve", "reject" (with a comment) or "reopen" one test (TESTGEN_REVIEW)."""
        return ReviewTest(self.uow, self.clock)(principal, suite_id, case_id, action, comment)

    def review_suite(
        self, principal: Principal, suite_id: str, action: str, comment: str | None = None
    ) -> SuiteReview:
        """ "approve", "reject" (with a comment) or "reopen" the suite (TESTGEN_REVIEW)."""
        return ReviewSuite(self.uow, self.clock)(principal, suite_id, action, comment)

    def bulk_approve(
        self,
        principal: Principal,
        suite_id: str,
        case_ids: Sequence[str],
        comment: str | None = None,
    ) -> BulkResult:
        """Approve the named pending tests, skipping the rest (TESTGEN_REVIEW)."""
        return BulkApprove(self.uow, self.clock)(principal, suite_id, case_ids, comment)

    def run_gate(
        self, principal: Principal, suite_id: str, target: GateTarget | None = None
    ) -> GateReport:
        """Compile, collect and (given a target `gate_urls` permits) run the suite; failures
        become suspects (TESTGEN_SUBMIT)."""
        use_case = RunGate(
            self.uow, self.clock, self.ids, self.renderer, self.gate, self.generate, self.gate_urls
        )
        return use_case(principal, suite_id, target)

    def files(self, principal: Principal, suite_id: str) -> RenderedSuite:
        """The suite's rendered files, every test included (TESTGEN_VIEW)."""
        return SuiteFiles(self.uow, self.renderer, self.generate)(principal, suite_id)

    def deliver(
        self, principal: Principal, suite_id: str, target: DeliveryTarget
    ) -> DeliveryReceipt:
        """Commit the approved tests to the target repository, if `repositories` permits it
        (TESTGEN_REVIEW)."""
        use_case = DeliverSuite(
            self.uow,
            self.clock,
            self.ids,
            self.renderer,
            self.repository,
            self.generate,
            self.repositories,
        )
        return use_case(principal, suite_id, target)

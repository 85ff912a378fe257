"""Reading suites: the review queue, one suite with every test as a reviewer sees it, and the
rendered files. Reads only: nothing here is audited or changes state."""

from __future__ import annotations

from collections.abc import Callable

from attrs import frozen

from application.testgen.common import (
    Generated,
    Generator,
    generated,
    load_suite,
    operation_json,
)
from application.testgen.ports import GateRun, StoredSuite, SuiteRenderer, TestgenUnitOfWork
from application.testgen.sources import case_sources
from application.testgen.views import CaseDetail, GateState, SuiteDetail, SuiteSummary
from domain.identity import Permission, Principal, authorize
from domain.testgen.cases import group_of
from domain.testgen.rendered import RenderedSuite
from domain.testgen.review import ReviewState, SuiteReview, TestReview, summary


def gate_state(run: GateRun | None) -> GateState:
    if run is None:
        return "not run"
    return "passed" if run.report.passed else "failed"


def suite_summary(
    stored: StoredSuite, review: SuiteReview | None, run: GateRun | None
) -> SuiteSummary:
    tests = () if review is None else review.tests
    counts = summary(review) if review is not None else dict.fromkeys(ReviewState, 0)
    return SuiteSummary(
        id=stored.id,
        title=stored.title,
        api_version=stored.api_version,
        spec_hash=stored.spec_hash,
        origin=stored.origin,
        created_at=stored.created_at,
        state=ReviewState.PENDING if review is None else review.state,
        counts=tuple((state, counts[state]) for state in ReviewState),
        suspects=sum(1 for test in tests if test.suspect),
        gate=gate_state(run),
        previous_id=stored.previous_id,
        source=stored.source,
        created_by=stored.created_by,
    )


@frozen
class ListSuites:
    uow: Callable[[], TestgenUnitOfWork]

    def __call__(self, principal: Principal) -> tuple[SuiteSummary, ...]:
        """The tenant's suites, newest first."""
        authorize(principal, Permission.TESTGEN_VIEW)
        tenant_id = principal.tenant_id
        with self.uow() as uow:
            suites = uow.suites.list(tenant_id)
            ids = [suite.id for suite in suites]
            reviews = uow.reviews.of_suites(tenant_id, ids)
            runs = uow.gate_runs.latest_of(tenant_id, ids)
        return tuple(
            suite_summary(suite, reviews.get(suite.id), runs.get(suite.id)) for suite in suites
        )


def render(renderer: SuiteRenderer, suite: Generated) -> RenderedSuite:
    return renderer.render(suite.suite, suite.spec, suite.document)


@frozen
class ShowSuite:
    uow: Callable[[], TestgenUnitOfWork]
    renderer: SuiteRenderer
    generate: Generator

    def __call__(self, principal: Principal, suite_id: str) -> SuiteDetail:
        """Every test of the suite with its source, spec operation, review and change; another
        tenant's suite id is `NotFound`."""
        authorize(principal, Permission.TESTGEN_VIEW)
        tenant_id = principal.tenant_id
        with self.uow() as uow:
            stored, spec = load_suite(uow, tenant_id, suite_id)
            review = uow.reviews.get(tenant_id, suite_id)
            run = uow.gate_runs.latest(tenant_id, suite_id)
            deliveries = tuple(uow.deliveries.of_suite(tenant_id, suite_id))
        suite = generated(stored, spec, self.generate)
        rendered = render(self.renderer, suite)
        sources = case_sources(self.renderer, suite.suite, suite.spec, suite.document, rendered)
        reviews = {} if review is None else {test.case_id: test for test in review.tests}
        cases = tuple(
            CaseDetail(
                case=case,
                function=suite.suite.name_of(case),
                module=_module(rendered, case.id, group_of(case)),
                source=sources[case.id],
                operation_json=operation_json(suite, case),
                review=reviews.get(case.id, TestReview(case.id)),
                change=None if stored.changes is None else stored.changes.change_of(case.id),
            )
            for case in suite.suite.cases
        )
        return SuiteDetail(
            summary=suite_summary(stored, review, run),
            cases=cases,
            removed=stored.removed,
            gate=None if run is None else run.report,
            deliveries=deliveries,
            history=() if review is None else review.history,
        )


def _module(rendered: RenderedSuite, case_id: str, group: str) -> str:
    nodeid = rendered.nodeid_of(case_id)
    return nodeid.split("::", 1)[0] if nodeid else f"test_{group}.py"


@frozen
class SuiteFiles:
    uow: Callable[[], TestgenUnitOfWork]
    renderer: SuiteRenderer
    generate: Generator

    def __call__(self, principal: Principal, suite_id: str) -> RenderedSuite:
        """Every file of the suite as rendered (all its tests, whatever their review)."""
        authorize(principal, Permission.TESTGEN_VIEW)
        with self.uow() as uow:
            stored, spec = load_suite(uow, principal.tenant_id, suite_id)
        return render(self.renderer, generated(stored, spec, self.generate))

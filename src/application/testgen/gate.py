"""Run the quality gate over a suite: compile, collect and, given a live server, run it.

The report is stored with the suite. A test that failed against a server believed correct is
marked suspect (spec and server disagree): its approval, if it had one, is withdrawn, and it
cannot be approved again without a comment saying why the test is right. A gate runs only
against a base URL its allowlist permits (`domain.testgen.targets`): a refused one is a
validation problem, and nothing is run or stored. The gate runs outside any transaction (it
takes as long as the suite takes); the writes come after, in one.
"""

from __future__ import annotations

from collections.abc import Callable

from attrs import frozen

from application.ports import Clock, IdGenerator
from application.testgen.common import Generator, generated, load_suite, locked_suite, record
from application.testgen.ports import GateRun, QualityGate, SuiteRenderer, TestgenUnitOfWork
from application.testgen.queries import render
from domain.errors import ValidationFailed
from domain.identity import Permission, Principal, authorize
from domain.pii import JsonValue
from domain.testgen.rendered import GateReport, GateTarget
from domain.testgen.review import mark_suspect, with_test
from domain.testgen.targets import Allowlist


@frozen
class RunGate:
    uow: Callable[[], TestgenUnitOfWork]
    clock: Clock
    ids: IdGenerator
    renderer: SuiteRenderer
    gate: QualityGate
    generate: Generator
    #: The base URLs a gate may run against (CREDITDESK_TESTGEN_GATE_URLS).
    allowed: Allowlist

    def __call__(
        self, principal: Principal, suite_id: str, target: GateTarget | None = None
    ) -> GateReport:
        authorize(principal, Permission.TESTGEN_SUBMIT)
        tenant_id = principal.tenant_id
        with self.uow() as uow:
            stored, spec = load_suite(uow, tenant_id, suite_id)
        if target is not None and not self.allowed.permits(target.base_url):
            raise ValidationFailed((self.allowed.refusal("base_url"),))
        report = self.gate.check(
            render(self.renderer, generated(stored, spec, self.generate)), target
        )
        now = self.clock.now()
        failed = report.failed_case_ids if report.ran else ()
        with self.uow() as uow:
            locked_suite(uow, tenant_id, suite_id)
            run = GateRun(
                tenant_id=tenant_id,
                id=self.ids.new_id(),
                suite_id=suite_id,
                base_url=None if target is None else target.base_url,
                report=report,
                ran_at=now,
                ran_by=principal.user_id,
            )
            uow.gate_runs.add(run)
            review = uow.reviews.get(tenant_id, suite_id)
            suspects: list[str] = []
            if review is not None and failed:
                for test in review.tests:
                    if test.case_id in failed:
                        review = with_test(review, mark_suspect(test, now))
                        suspects.append(test.case_id)
                uow.reviews.save(tenant_id, suite_id, review)
            record(uow, principal, now, "testgen.gate_run", suite_id, new=_audit(run, suspects))
            uow.commit()
        return report


def _audit(run: GateRun, suspects: list[str]) -> dict[str, JsonValue]:
    report = run.report
    facts: dict[str, JsonValue] = {
        "gate_run_id": run.id,
        "passed": report.passed,
        "ran": report.ran,
        "compile_errors": len(report.compile_errors),
        "collected": len(report.collected),
        "failed": len(report.failed_case_ids),
    }
    if run.base_url is not None:
        facts["base_url"] = run.base_url
    if suspects:
        facts["suspects"] = list(suspects)
    return facts

"""Deliver a suite's approved tests: commit them to a git repository on a branch.

Only approved tests leave: the suite is cut down to them (keeping each test's function name as
reviewed) and rendered, and the commit message lists every one with the rule that proposed it
and the operation it exercises (`domain.testgen.changes.delivery_message`). Only a repository
the allowlist permits is reached (`domain.testgen.targets`): a refused one is a validation
problem, and git is not run. git runs outside any transaction; the delivery is recorded after
it succeeded, with the repository's credentials masked.
"""

from __future__ import annotations

from collections.abc import Callable

from attrs import frozen

from application.ports import Clock, IdGenerator
from application.testgen.common import Generator, generated, load_suite, locked_suite, record
from application.testgen.ports import SuiteRenderer, TestgenUnitOfWork, TestRepository
from application.testgen.views import DeliveryRecord
from domain.errors import Problem, ValidationFailed
from domain.identity import Permission, Principal, authorize
from domain.testgen.cases import Suite
from domain.testgen.changes import ApprovedTest, delivery_message
from domain.testgen.delivery import DeliveryReceipt, DeliveryTarget
from domain.testgen.review import ReviewState
from domain.testgen.targets import Allowlist


def approved_only(suite: Suite, approved: set[str]) -> Suite:
    """The suite with its approved cases alone, each keeping the function name reviewed."""
    return Suite(
        spec_hash=suite.spec_hash,
        cases=tuple(case for case in suite.cases if case.id in approved),
        names=tuple((case_id, name) for case_id, name in suite.names if case_id in approved),
    )


@frozen
class DeliverSuite:
    uow: Callable[[], TestgenUnitOfWork]
    clock: Clock
    ids: IdGenerator
    renderer: SuiteRenderer
    repository: TestRepository
    generate: Generator
    #: The repositories a delivery may push to (CREDITDESK_TESTGEN_REPOSITORIES).
    allowed: Allowlist

    def __call__(
        self, principal: Principal, suite_id: str, target: DeliveryTarget
    ) -> DeliveryReceipt:
        authorize(principal, Permission.TESTGEN_REVIEW)
        tenant_id = principal.tenant_id
        with self.uow() as uow:
            stored, spec = load_suite(uow, tenant_id, suite_id)
            review = uow.reviews.get(tenant_id, suite_id)
        if not self.allowed.permits(target.repository):
            raise ValidationFailed((self.allowed.refusal("repository"),))
        approved = {
            test.case_id
            for test in (() if review is None else review.tests)
            if test.state is ReviewState.APPROVED
        }
        if not approved:
            raise ValidationFailed((Problem("suite", "has no approved tests to deliver"),))
        whole = generated(stored, spec, self.generate)
        suite = approved_only(whole.suite, approved)
        rendered = self.renderer.render(suite, whole.spec, whole.document)
        message = delivery_message(
            whole.spec.title,
            whole.spec.version,
            [ApprovedTest(suite.name_of(c), c.rule.value, c.operation_id) for c in suite.cases],
        )
        receipt = self.repository.deliver(target, rendered.files, message)
        now = self.clock.now()
        delivery = DeliveryRecord(
            id=self.ids.new_id(),
            suite_id=suite_id,
            target=DeliveryTarget(target.shown, target.branch, target.directory),
            receipt=receipt,
            case_ids=tuple(case.id for case in suite.cases),
            delivered_at=now,
            delivered_by=principal.user_id,
        )
        with self.uow() as uow:
            locked_suite(uow, tenant_id, suite_id)
            uow.deliveries.add(tenant_id, delivery)
            record(
                uow,
                principal,
                now,
                "testgen.suite_delivered",
                suite_id,
                new={
                    "delivery_id": delivery.id,
                    "repository": target.shown,
                    "branch": receipt.branch,
                    "directory": target.directory,
                    "commit": receipt.commit,
                    "tests": len(delivery.case_ids),
                },
            )
            uow.commit()
        return receipt

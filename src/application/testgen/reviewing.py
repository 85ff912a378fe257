"""Reviewing generated tests: approve, reject or reopen one test or a whole suite, and approve
many tests at once. The machine proposed the tests; a person disposes, and says why.

Each holds the suite (`SuiteRepository.lock`) while it reads, changes and saves the review,
so two reviewers of one suite take turns instead of one undoing the other, and records the
move in the audit trail in the same transaction. The rules of the moves (a suspect test needs
a comment, a rejection needs one, a decided review is reopened before it changes) are the
domain's (`domain.testgen.review`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from attrs import frozen

from application.errors import NotFound
from application.ports import Clock
from application.testgen.common import locked_suite, record
from application.testgen.ports import TestgenUnitOfWork
from application.testgen.views import REVIEW_ACTIONS, BulkResult
from domain.errors import Problem, ValidationFailed
from domain.identity import Permission, Principal, authorize
from domain.pii import JsonValue
from domain.testgen.review import (
    Reviewed,
    ReviewState,
    SuiteReview,
    TestReview,
    approve,
    reject,
    reopen,
    with_test,
)

_PAST = {"approve": "approved", "reject": "rejected", "reopen": "reopened"}


def _checked(action: str) -> str:
    if action not in REVIEW_ACTIONS:
        raise ValidationFailed((Problem("action", f"must be one of {', '.join(REVIEW_ACTIONS)}"),))
    return action


def _moved(
    item: Reviewed, action: str, reviewer: str, at: datetime, comment: str | None
) -> Reviewed:
    if action == "approve":
        return approve(item, reviewer, at, comment)
    if action == "reject":
        return reject(item, reviewer, at, comment or "")
    return reopen(item, reviewer, at, comment)


def _review(uow: TestgenUnitOfWork, tenant_id: str, suite_id: str) -> SuiteReview:
    locked_suite(uow, tenant_id, suite_id)
    review = uow.reviews.get(tenant_id, suite_id)
    if review is None:  # stored with its suite, always
        raise NotFound("suite review", suite_id)
    return review


def _comment(comment: str | None) -> dict[str, JsonValue]:
    text = (comment or "").strip()
    return {"comment": text} if text else {}


@frozen
class ReviewTest:
    uow: Callable[[], TestgenUnitOfWork]
    clock: Clock

    def __call__(
        self,
        principal: Principal,
        suite_id: str,
        case_id: str,
        action: str,
        comment: str | None = None,
    ) -> TestReview:
        authorize(principal, Permission.TESTGEN_REVIEW)
        _checked(action)
        now = self.clock.now()
        with self.uow() as uow:
            review = _review(uow, principal.tenant_id, suite_id)
            test = next((t for t in review.tests if t.case_id == case_id), None)
            if test is None:
                raise NotFound("test", case_id)
            moved = _moved(test, action, principal.user_id, now, comment)
            uow.reviews.save(principal.tenant_id, suite_id, with_test(review, moved))
            record(
                uow,
                principal,
                now,
                f"testgen.test_{_PAST[action]}",
                suite_id,
                old={"case_id": case_id, "state": test.state.value},
                new={"case_id": case_id, "state": moved.state.value, **_comment(comment)},
            )
            uow.commit()
        return moved


@frozen
class ReviewSuite:
    uow: Callable[[], TestgenUnitOfWork]
    clock: Clock

    def __call__(
        self, principal: Principal, suite_id: str, action: str, comment: str | None = None
    ) -> SuiteReview:
        """Approving a suite approves its pending tests too (suspect ones only with a comment);
        rejecting or reopening it leaves its tests' reviews as they are."""
        authorize(principal, Permission.TESTGEN_REVIEW)
        _checked(action)
        now = self.clock.now()
        with self.uow() as uow:
            review = _review(uow, principal.tenant_id, suite_id)
            moved = _moved(review, action, principal.user_id, now, comment)
            uow.reviews.save(principal.tenant_id, suite_id, moved)
            approved = _newly_approved(review, moved)
            new: dict[str, JsonValue] = {"state": moved.state.value, **_comment(comment)}
            if approved:
                new["tests_approved"] = len(approved)
            record(
                uow,
                principal,
                now,
                f"testgen.suite_{_PAST[action]}",
                suite_id,
                old={"state": review.state.value},
                new=new,
            )
            uow.commit()
        return moved


def _newly_approved(before: SuiteReview, after: SuiteReview) -> list[str]:
    was = {test.case_id: test.state for test in before.tests}
    return [
        test.case_id
        for test in after.tests
        if test.state is ReviewState.APPROVED and was.get(test.case_id) is not ReviewState.APPROVED
    ]


@frozen
class BulkApprove:
    uow: Callable[[], TestgenUnitOfWork]
    clock: Clock

    def __call__(
        self,
        principal: Principal,
        suite_id: str,
        case_ids: Sequence[str],
        comment: str | None = None,
    ) -> BulkResult:
        """Approve each named test that is pending; a suspect one only with a comment. The
        others (decided already, suspect without a comment, not in the suite) are skipped,
        not refused, so one stale selection does not undo the rest."""
        authorize(principal, Permission.TESTGEN_REVIEW)
        now = self.clock.now()
        text = (comment or "").strip() or None
        approved: list[str] = []
        skipped: list[str] = []
        with self.uow() as uow:
            review = _review(uow, principal.tenant_id, suite_id)
            tests = {test.case_id: test for test in review.tests}
            for case_id in dict.fromkeys(case_ids):
                test = tests.get(case_id)
                if (
                    test is None
                    or test.state is not ReviewState.PENDING
                    or (test.suspect and text is None)
                ):
                    skipped.append(case_id)
                    continue
                review = with_test(review, approve(test, principal.user_id, now, text))
                approved.append(case_id)
            if approved:
                uow.reviews.save(principal.tenant_id, suite_id, review)
                record(
                    uow,
                    principal,
                    now,
                    "testgen.tests_approved",
                    suite_id,
                    new={"case_ids": list(approved), **_comment(text)},
                )
                uow.commit()
        return BulkResult(tuple(approved), tuple(skipped))

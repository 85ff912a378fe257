"""Review of generated tests: the machine proposes, a person approves or rejects, with reasons.

Suites and single tests move between pending, approved and rejected; every move is kept in the
item's history (who, when, from what to what, and why), so an approval can always be explained.
A test the quality gate found failing against a server believed correct is `suspect`: spec and
server disagree, and someone must say in words why the test is right before it is approved.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import TypeVar, final

from attrs import evolve, frozen

from domain.errors import IllegalTransition, Problem, ValidationFailed

#: The reviewer recorded when the quality gate, not a person, moves a review.
QUALITY_GATE = "quality-gate"


class ReviewState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


#: The moves a review allows; anything decided goes back to pending (reopen) before it changes.
ALLOWED: Mapping[ReviewState, frozenset[ReviewState]] = {
    ReviewState.PENDING: frozenset({ReviewState.APPROVED, ReviewState.REJECTED}),
    ReviewState.APPROVED: frozenset({ReviewState.PENDING}),
    ReviewState.REJECTED: frozenset({ReviewState.PENDING}),
}


@frozen
class Transition:
    """One recorded move of a review."""

    from_state: ReviewState
    to_state: ReviewState
    reviewer: str
    at: datetime
    comment: str | None = None


@final
@frozen
class TestReview:
    """The review of one generated test, by case id."""

    __test__ = False  # not a pytest test class, despite the name

    case_id: str
    state: ReviewState = ReviewState.PENDING
    suspect: bool = False
    history: tuple[Transition, ...] = ()

    @property
    def comments(self) -> tuple[str, ...]:
        return tuple(t.comment for t in self.history if t.comment)


@final
@frozen
class SuiteReview:
    """The review of a whole suite (by spec hash) and of each of its tests."""

    spec_hash: str
    tests: tuple[TestReview, ...]
    state: ReviewState = ReviewState.PENDING
    history: tuple[Transition, ...] = ()

    @property
    def comments(self) -> tuple[str, ...]:
        return tuple(t.comment for t in self.history if t.comment)


Reviewed = TypeVar("Reviewed", TestReview, SuiteReview)


def _text(comment: str | None) -> str | None:
    return comment.strip() if comment and comment.strip() else None


def _move(
    item: Reviewed, target: ReviewState, reviewer: str, at: datetime, comment: str | None
) -> Reviewed:
    if target not in ALLOWED[item.state]:
        raise IllegalTransition(f"a {item.state.value} review cannot become {target.value}")
    if not reviewer:
        raise ValidationFailed((Problem("reviewer", "must be named"),))
    entry = Transition(item.state, target, reviewer, at, comment)
    return evolve(item, state=target, history=(*item.history, entry))


def approve(item: Reviewed, reviewer: str, at: datetime, comment: str | None = None) -> Reviewed:
    """Approve a pending test or suite. A suspect test needs a comment. Approving a suite
    approves its pending tests, except suspect ones when no comment is given (they stay
    pending for a reviewer to explain); rejected tests stay rejected."""
    text = _text(comment)
    if isinstance(item, TestReview):
        return _approve_test(item, reviewer, at, text)
    approved = _move(item, ReviewState.APPROVED, reviewer, at, text)
    tests = tuple(
        _approve_test(test, reviewer, at, text)
        if test.state is ReviewState.PENDING and (text is not None or not test.suspect)
        else test
        for test in item.tests
    )
    return evolve(approved, tests=tests)


def _approve_test(test: TestReview, reviewer: str, at: datetime, text: str | None) -> TestReview:
    if test.suspect and text is None:
        raise ValidationFailed(
            (Problem("comment", "a suspect test needs a comment to be approved"),)
        )
    return _move(test, ReviewState.APPROVED, reviewer, at, text)


def reject(item: Reviewed, reviewer: str, at: datetime, comment: str) -> Reviewed:
    """Reject a pending test or suite; the comment tells the author what is wrong. Rejecting a
    suite leaves its tests' own reviews as they are."""
    text = _text(comment)
    if text is None:
        raise ValidationFailed((Problem("comment", "a rejection needs a comment"),))
    return _move(item, ReviewState.REJECTED, reviewer, at, text)


def reopen(item: Reviewed, reviewer: str, at: datetime, comment: str | None = None) -> Reviewed:
    """Send a decided test or suite back to pending."""
    return _move(item, ReviewState.PENDING, reviewer, at, _text(comment))


def mark_suspect(test: TestReview, at: datetime) -> TestReview:
    """Flag a test the quality gate saw failing against a server believed correct. An approval
    given before the flag is withdrawn: the test goes back to pending for a reasoned one (an
    approval given while already suspect carries its reason and stands)."""
    if test.state is ReviewState.APPROVED and not test.suspect:
        test = _move(test, ReviewState.PENDING, QUALITY_GATE, at, "failed against the server")
    return evolve(test, suspect=True)


def with_test(suite: SuiteReview, test: TestReview) -> SuiteReview:
    """The suite with one test's review replaced (by case id)."""
    if all(t.case_id != test.case_id for t in suite.tests):
        raise ValidationFailed((Problem("case_id", f"{test.case_id} is not in the suite"),))
    return evolve(suite, tests=tuple(test if t.case_id == test.case_id else t for t in suite.tests))


def summary(suite: SuiteReview) -> dict[ReviewState, int]:
    """How many of the suite's tests are in each state (every state present, zero included)."""
    counts = dict.fromkeys(ReviewState, 0)
    for test in suite.tests:
        counts[test.state] += 1
    return counts

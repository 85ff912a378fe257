from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError, IllegalTransition, ValidationFailed
from domain.testgen.review import (
    QUALITY_GATE,
    ReviewState,
    SuiteReview,
    TestReview,
    Transition,
    approve,
    mark_suspect,
    reject,
    reopen,
    summary,
    with_test,
)

AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
S = ReviewState


def test_approving_a_pending_test_records_who_when_and_why() -> None:
    approved = approve(TestReview("c1"), "ana", AT, "checks the 201")
    assert approved.state is S.APPROVED
    assert approved.history == (Transition(S.PENDING, S.APPROVED, "ana", AT, "checks the 201"),)
    assert approved.comments == ("checks the 201",)


def test_a_rejection_needs_a_comment() -> None:
    with pytest.raises(ValidationFailed, match="comment"):
        reject(TestReview("c1"), "ana", AT, "   ")
    assert reject(TestReview("c1"), "ana", AT, "wrong status").state is S.REJECTED


def test_a_reviewer_must_be_named() -> None:
    with pytest.raises(ValidationFailed, match="reviewer"):
        approve(TestReview("c1"), "", AT)


@pytest.mark.parametrize("decide", [approve, lambda t, r, at: reject(t, r, at, "no")])
def test_a_decided_test_must_be_reopened_before_it_changes(
    decide: Callable[[TestReview, str, datetime], TestReview],
) -> None:
    decided = decide(TestReview("c1"), "ana", AT)
    with pytest.raises(IllegalTransition):
        approve(decided, "bo", AT)
    with pytest.raises(IllegalTransition):
        reject(decided, "bo", AT, "no")
    reopened = reopen(decided, "bo", AT, "second look")
    assert reopened.state is S.PENDING
    assert len(reopened.history) == 2


def test_a_pending_test_cannot_be_reopened() -> None:
    with pytest.raises(IllegalTransition, match="pending"):
        reopen(TestReview("c1"), "ana", AT)


def test_a_suspect_test_is_approved_only_with_a_comment() -> None:
    suspect = mark_suspect(TestReview("c1"), AT)
    with pytest.raises(ValidationFailed, match="suspect"):
        approve(suspect, "ana", AT)
    with pytest.raises(ValidationFailed, match="suspect"):
        approve(suspect, "ana", AT, " ")
    assert approve(suspect, "ana", AT, "the server is wrong").state is S.APPROVED


def test_marking_an_approved_test_suspect_withdraws_the_approval() -> None:
    suspect = mark_suspect(approve(TestReview("c1"), "ana", AT), AT)
    assert suspect.state is S.PENDING
    assert suspect.suspect
    assert suspect.history[-1].reviewer == QUALITY_GATE


def test_a_reasoned_approval_of_a_suspect_test_stands_when_marked_again() -> None:
    approved = approve(mark_suspect(TestReview("c1"), AT), "ana", AT, "server bug #12")
    assert mark_suspect(approved, AT) == approved


def a_suite() -> SuiteReview:
    rejected = reject(TestReview("r"), "ana", AT, "duplicate")
    return SuiteReview("hash", (TestReview("p"), rejected, mark_suspect(TestReview("s"), AT)))


def test_approving_a_suite_approves_pending_tests_and_leaves_rejected_ones() -> None:
    suite = approve(a_suite(), "ana", AT)
    assert suite.state is S.APPROVED
    assert [t.state for t in suite.tests] == [S.APPROVED, S.REJECTED, S.PENDING]
    assert summary(suite) == {S.PENDING: 1, S.APPROVED: 1, S.REJECTED: 1}


def test_approving_a_suite_with_a_comment_approves_its_suspect_tests_too() -> None:
    suite = approve(a_suite(), "ana", AT, "reviewed the server")
    assert [t.state for t in suite.tests] == [S.APPROVED, S.REJECTED, S.APPROVED]
    assert suite.tests[2].comments == ("reviewed the server",)


def test_a_suite_summary_counts_every_state() -> None:
    assert summary(SuiteReview("hash", ())) == {S.PENDING: 0, S.APPROVED: 0, S.REJECTED: 0}


def test_one_test_of_a_suite_is_replaced_by_case_id() -> None:
    suite = with_test(a_suite(), approve(TestReview("p"), "bo", AT))
    assert suite.tests[0].state is S.APPROVED
    with pytest.raises(ValidationFailed, match="x is not in the suite"):
        with_test(suite, TestReview("x"))


actions = st.lists(
    st.tuples(
        st.sampled_from(["approve", "reject", "reopen", "suspect"]),
        st.sampled_from([None, "", "  ", "because"]),
    ),
    max_size=20,
)


def _apply(test: TestReview, action: str, comment: str | None) -> TestReview:
    if action == "approve":
        return approve(test, "ana", AT, comment)
    if action == "reject":
        return reject(test, "ana", AT, comment or "")
    if action == "reopen":
        return reopen(test, "ana", AT, comment)
    return mark_suspect(test, AT)


@given(actions)
def test_property_history_only_grows_and_records_every_transition(
    steps: list[tuple[str, str | None]],
) -> None:
    test = TestReview("c1")
    for action, comment in steps:
        before = test
        try:
            test = _apply(test, action, comment)
        except DomainError:
            assert test == before
            continue
        assert test.history[: len(before.history)] == before.history
        if test.state is not before.state:
            assert len(test.history) == len(before.history) + 1
            assert test.history[-1].from_state is before.state
            assert test.history[-1].to_state is test.state
        else:
            assert test.history == before.history
    assert all(a.to_state is b.from_state for a, b in pairwise(test.history))


@given(actions, st.sampled_from([None, "because"]))
def test_property_no_sequence_approves_a_suspect_test_without_a_comment(
    steps: list[tuple[str, str | None]], suite_comment: str | None
) -> None:
    test = mark_suspect(TestReview("c1"), AT)
    for action, comment in steps:
        try:
            test = _apply(test, action, comment)
        except DomainError:
            continue
        if test.state is S.APPROVED:
            assert test.history[-1].comment
    suite = SuiteReview("hash", (reopen(test, "ana", AT) if test.state is not S.PENDING else test,))
    approved = approve(suite, "ana", AT, suite_comment).tests[0]
    assert approved.state is not S.APPROVED or approved.history[-1].comment

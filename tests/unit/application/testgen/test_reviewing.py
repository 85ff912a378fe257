"""Reviewing, gating and delivering a suite: every move kept and audited, suspects found by
the gate need a reason to be approved, and only approved tests are committed."""

from __future__ import annotations

import pytest

from application.errors import NotFound
from domain.errors import IllegalTransition, ValidationFailed
from domain.testgen.delivery import DeliveryTarget
from domain.testgen.rendered import GateTarget
from domain.testgen.review import ReviewState
from tests.unit.application.testgen.testgen_desk import QA, TestgenDesk

TARGET = GateTarget("http://127.0.0.1:8123", token="secret-token")
REPO = DeliveryTarget("https://bot:hunter2@git.example/pets.git", "tests/pets", "tests/api")


def _ids(desk: TestgenDesk, suite_id: str) -> dict[str, str]:
    """Case id by operation id."""
    return {c.case.operation_id: c.case.id for c in desk.service.suite(QA, suite_id).cases}


def _states(desk: TestgenDesk, suite_id: str) -> dict[str, tuple[ReviewState, bool]]:
    return {
        c.case.operation_id: (c.review.state, c.review.suspect)
        for c in desk.service.suite(QA, suite_id).cases
    }


def test_a_test_is_approved_rejected_and_reopened_with_each_move_audited() -> None:
    desk = TestgenDesk()
    suite_id = desk.submitted()
    show = _ids(desk, suite_id)["showPet"]
    approved = desk.service.review_test(QA, suite_id, show, "approve", "matches the spec")
    assert approved.state is ReviewState.APPROVED
    with pytest.raises(IllegalTransition):
        desk.service.review_test(QA, suite_id, show, "reject", "too late")
    reopened = desk.service.review_test(QA, suite_id, show, "reopen")
    rejected = desk.service.review_test(QA, suite_id, show, "reject", "404 is not documented")
    assert rejected.state is ReviewState.REJECTED
    assert [move.to_state for move in rejected.history] == [
        ReviewState.APPROVED,
        ReviewState.PENDING,
        ReviewState.REJECTED,
    ]
    assert rejected.comments == ("matches the spec", "404 is not documented")
    assert reopened.state is ReviewState.PENDING
    assert desk.actions()[1:] == [
        "testgen.test_approved",
        "testgen.test_reopened",
        "testgen.test_rejected",
    ]
    assert desk.events()[-1].new is not None


def test_a_refused_move_changes_nothing() -> None:
    desk = TestgenDesk()
    suite_id = desk.submitted()
    show = _ids(desk, suite_id)["showPet"]
    with pytest.raises(ValidationFailed, match="comment"):
        desk.service.review_test(QA, suite_id, show, "reject", "  ")
    with pytest.raises(ValidationFailed, match="action"):
        desk.service.review_test(QA, suite_id, show, "bless")
    with pytest.raises(NotFound):
        desk.service.review_test(QA, suite_id, "no-such-case", "approve")
    assert _states(desk, suite_id)["showPet"] == (ReviewState.PENDING, False)
    assert desk.actions() == ["testgen.suite_submitted"]


def test_the_gate_marks_failing_tests_suspect_and_withdraws_their_approval() -> None:
    desk = TestgenDesk("show_pet")
    suite_id = desk.submitted()
    show = _ids(desk, suite_id)["showPet"]
    desk.service.review_test(QA, suite_id, show, "approve")
    report = desk.service.run_gate(QA, suite_id, TARGET)
    assert report.failed_case_ids == (show,)
    assert desk.gate.targets == [TARGET]
    assert _states(desk, suite_id) == {
        "listPets": (ReviewState.PENDING, False),
        "createPet": (ReviewState.PENDING, False),
        "showPet": (ReviewState.PENDING, True),
    }
    [summary] = desk.service.suites(QA)
    assert (summary.gate, summary.suspects) == ("failed", 1)
    assert desk.service.suite(QA, suite_id).gate == report
    with pytest.raises(ValidationFailed, match="suspect"):
        desk.service.review_test(QA, suite_id, show, "approve")
    desk.service.review_test(QA, suite_id, show, "approve", "the server is wrong, not the test")
    assert _states(desk, suite_id)["showPet"] == (ReviewState.APPROVED, True)
    gate_event = desk.events()[-2]
    assert gate_event.action == "testgen.gate_run"
    assert "secret-token" not in str(gate_event.new)


def test_a_gate_without_a_target_only_compiles_and_marks_nobody() -> None:
    desk = TestgenDesk("show_pet")
    suite_id = desk.submitted()
    report = desk.service.run_gate(QA, suite_id, None)
    assert (report.ran, report.passed) == (False, True)
    assert all(not suspect for _state, suspect in _states(desk, suite_id).values())
    assert desk.service.suites(QA)[0].gate == "passed"


def test_approving_a_suite_approves_its_pending_tests_but_not_a_suspect_without_reason() -> None:
    desk = TestgenDesk("show_pet")
    suite_id = desk.submitted()
    ids = _ids(desk, suite_id)
    desk.service.run_gate(QA, suite_id, TARGET)
    desk.service.review_test(QA, suite_id, ids["createPet"], "reject", "needs a body")
    review = desk.service.review_suite(QA, suite_id, "approve")
    assert review.state is ReviewState.APPROVED
    assert _states(desk, suite_id) == {
        "listPets": (ReviewState.APPROVED, False),
        "createPet": (ReviewState.REJECTED, False),
        "showPet": (ReviewState.PENDING, True),
    }
    assert desk.actions()[-1] == "testgen.suite_approved"
    assert desk.events()[-1].new == {"state": "approved", "tests_approved": 1}


def test_bulk_approval_approves_the_pending_and_skips_the_rest() -> None:
    desk = TestgenDesk("show_pet")
    suite_id = desk.submitted()
    ids = _ids(desk, suite_id)
    desk.service.run_gate(QA, suite_id, TARGET)
    desk.service.review_test(QA, suite_id, ids["createPet"], "approve")
    chosen = [ids["listPets"], ids["createPet"], ids["showPet"], "no-such-case", ids["listPets"]]
    result = desk.service.bulk_approve(QA, suite_id, chosen)
    assert result.approved == (ids["listPets"],)
    assert result.skipped == (ids["createPet"], ids["showPet"], "no-such-case")
    with_reason = desk.service.bulk_approve(QA, suite_id, [ids["showPet"]], "spec is right")
    assert with_reason.approved == (ids["showPet"],)
    assert desk.actions()[-2:] == ["testgen.tests_approved", "testgen.tests_approved"]
    nothing = desk.service.bulk_approve(QA, suite_id, [ids["showPet"]])
    assert (nothing.approved, len(desk.actions())) == ((), 5)


def test_delivery_commits_the_approved_tests_alone_and_lists_them() -> None:
    desk = TestgenDesk()
    suite_id = desk.submitted()
    ids = _ids(desk, suite_id)
    desk.service.bulk_approve(QA, suite_id, [ids["listPets"], ids["showPet"]])
    receipt = desk.service.deliver(QA, suite_id, REPO)
    [(target, files, message)] = desk.repository.deliveries
    assert target == REPO
    [module] = files
    assert "test_happy_path_show_pet" in module.text
    assert "create_pet" not in module.text
    assert message.splitlines()[0] == "test: add 2 approved tests for Pets 1.0.0"
    assert "- test_happy_path_list_pets (happy_path, listPets)" in message
    [delivery] = desk.service.suite(QA, suite_id).deliveries
    assert delivery.receipt == receipt
    assert delivery.target.repository == "https://***@git.example/pets.git"
    assert sorted(delivery.case_ids) == sorted([ids["listPets"], ids["showPet"]])
    event = desk.events()[-1]
    assert event.action == "testgen.suite_delivered"
    assert "hunter2" not in str(event.new)


def test_a_suite_without_approved_tests_is_not_delivered() -> None:
    desk = TestgenDesk()
    suite_id = desk.submitted()
    with pytest.raises(ValidationFailed, match="approved"):
        desk.service.deliver(QA, suite_id, REPO)
    assert desk.repository.deliveries == []

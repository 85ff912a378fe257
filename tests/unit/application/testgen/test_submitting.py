"""Submitting specs and reading suites: idempotent by spec hash, compared with the previous
version of the same API, kept to the tenant, and shown as a reviewer needs them."""

from __future__ import annotations

import json

import pytest
from attrs import evolve

from application.errors import NotFound
from application.testgen.views import SpecUpload
from domain.errors import PermissionDenied, ValidationFailed
from domain.testgen.cases import Suite
from domain.testgen.openapi import ApiSpec
from domain.testgen.review import ReviewState
from tests.unit.application.testgen.testgen_desk import (
    ANALYST,
    QA,
    STRANGER,
    TestgenDesk,
    a_spec,
    one_case_per_operation,
    upload,
)

ok = {"description": "ok"}


def test_a_submitted_spec_queues_a_suite_of_pending_tests_and_is_audited() -> None:
    desk = TestgenDesk()
    result = desk.service.submit(QA, upload(a_spec()))
    assert (result.created, result.title, result.version, result.cases) == (
        True,
        "Pets",
        "1.0.0",
        3,
    )
    assert result.changes is None
    [summary] = desk.service.suites(QA)
    assert summary.id == result.suite_id
    assert summary.state is ReviewState.PENDING
    assert dict(summary.counts) == {
        ReviewState.PENDING: 3,
        ReviewState.APPROVED: 0,
        ReviewState.REJECTED: 0,
    }
    assert (summary.gate, summary.origin, summary.source) == ("not run", "upload", "pets.json")
    [event] = desk.events()
    assert (event.action, event.entity_id, event.actor) == (
        "testgen.suite_submitted",
        result.suite_id,
        QA.user_id,
    )


def test_the_same_spec_again_returns_its_first_suite_however_it_is_laid_out() -> None:
    desk = TestgenDesk()
    first = desk.service.submit(QA, upload(a_spec()))
    relaid = json.dumps(a_spec(), indent=4, sort_keys=True).encode()
    again = desk.service.submit(QA, SpecUpload(relaid, "cli", "pets.json"))
    assert (again.suite_id, again.spec_hash, again.created) == (
        first.suite_id,
        first.spec_hash,
        False,
    )
    assert len(desk.service.suites(QA)) == 1
    assert desk.actions() == ["testgen.suite_submitted"]


def test_each_tenant_has_its_own_suite_of_one_spec() -> None:
    desk = TestgenDesk()
    ours = desk.service.submit(QA, upload(a_spec()))
    theirs = desk.service.submit(STRANGER, upload(a_spec()))
    assert theirs.created
    assert theirs.suite_id != ours.suite_id
    assert [s.id for s in desk.service.suites(STRANGER)] == [theirs.suite_id]


def test_a_new_version_shows_which_tests_are_new_changed_and_removed() -> None:
    desk = TestgenDesk()
    first = desk.service.submit(QA, upload(a_spec()))
    owners = {"get": {"operationId": "listOwners", "responses": {"200": ok}}}
    second_spec = a_spec("2.0.0", {"/owners": owners})
    del second_spec["paths"]["/pets"]["post"]
    second_spec["paths"]["/pets/{petId}"]["get"]["responses"] = {"404": ok, "410": ok}
    second = desk.service.submit(QA, upload(second_spec))
    assert second.changes is not None
    assert (len(second.changes.new), len(second.changes.changed), len(second.changes.removed)) == (
        1,
        1,
        1,
    )
    detail = desk.service.suite(QA, second.suite_id)
    assert detail.summary.previous_id == first.suite_id
    assert detail.removed == ("test_happy_path_create_pet",)
    changes = {c.function: c.change for c in detail.cases}
    assert changes == {
        "test_happy_path_list_owners": "new",
        "test_happy_path_show_pet": "changed",
        "test_happy_path_list_pets": "unchanged",
    }
    assert [s.id for s in desk.service.suites(QA)] == [second.suite_id, first.suite_id]


def test_a_spec_with_problems_is_refused_with_all_of_them_and_nothing_is_stored() -> None:
    desk = TestgenDesk()
    broken = a_spec()
    broken["paths"]["/pets"]["get"]["responses"] = "none"
    broken["paths"]["/pets"]["post"]["responses"] = ["none"]
    with pytest.raises(ValidationFailed) as refused:
        desk.service.submit(QA, upload(broken))
    assert [p.path for p in refused.value.problems] == [
        "#/paths/~1pets/get/responses",
        "#/paths/~1pets/post/responses",
    ]
    assert desk.service.suites(QA) == ()
    assert desk.actions() == []


def test_an_unknown_origin_is_refused() -> None:
    desk = TestgenDesk()
    odd = SpecUpload(b"{}", "email", None)  # type: ignore[arg-type]
    with pytest.raises(ValidationFailed, match="origin"):
        desk.service.submit(QA, odd)


def test_a_suite_shows_each_test_with_its_source_module_and_spec_operation() -> None:
    desk = TestgenDesk()
    suite_id = desk.submitted()
    detail = desk.service.suite(QA, suite_id)
    show = next(c for c in detail.cases if c.case.operation_id == "showPet")
    assert show.function == "test_happy_path_show_pet"
    assert show.module == "test_pets.py"
    assert show.source.startswith("def test_happy_path_show_pet():")
    assert json.loads(show.operation_json) == a_spec()["paths"]["/pets/{petId}"]["get"]
    assert show.review.state is ReviewState.PENDING
    assert show.change is None
    assert (detail.removed, detail.gate, detail.deliveries) == ((), None, ())
    files = desk.service.files(QA, suite_id)
    assert [f.path for f in files.files] == ["test_pets.py"]
    assert desk.service.case(QA, suite_id, show.case.id) == show


def test_another_tenants_suite_is_not_found_by_any_door() -> None:
    desk = TestgenDesk()
    suite_id = desk.submitted()
    service = desk.service
    for call in (
        lambda: service.suite(STRANGER, suite_id),
        lambda: service.files(STRANGER, suite_id),
        lambda: service.review_suite(STRANGER, suite_id, "approve"),
        lambda: service.bulk_approve(STRANGER, suite_id, ["x"]),
        lambda: service.run_gate(STRANGER, suite_id, None),
    ):
        with pytest.raises(NotFound):
            call()
    with pytest.raises(NotFound):
        service.case(QA, suite_id, "no-such-case")


def test_people_without_the_testgen_permissions_are_refused() -> None:
    desk = TestgenDesk()
    suite_id = desk.submitted()
    with pytest.raises(PermissionDenied):
        desk.service.submit(ANALYST, upload(a_spec()))
    with pytest.raises(PermissionDenied):
        desk.service.suites(ANALYST)
    with pytest.raises(PermissionDenied):
        desk.service.suite(ANALYST, suite_id)
    with pytest.raises(PermissionDenied):
        desk.service.review_suite(ANALYST, suite_id, "approve")


def test_the_same_spec_submitted_twice_at_once_makes_one_suite() -> None:
    desk = TestgenDesk()

    def generate_while_another_submits(spec: ApiSpec, spec_hash: str) -> Suite:
        desk.service.submit(QA, upload(a_spec()))  # the other request stores first
        return one_case_per_operation(spec, spec_hash)

    racing = evolve(desk.service, generate=generate_while_another_submits)
    late = racing.submit(QA, upload(a_spec()))
    [suite] = desk.service.suites(QA)
    assert (late.created, late.suite_id) == (False, suite.id)
    assert desk.actions() == ["testgen.suite_submitted"]

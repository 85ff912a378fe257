"""A gate runs only against a base URL, and a delivery pushes only to a repository, that the
settings' allowlists permit: anything else is refused before the gate or git is reached, and
nothing is stored or audited for it."""

from __future__ import annotations

import pytest

from domain.errors import ValidationFailed
from domain.testgen.delivery import DeliveryTarget
from domain.testgen.rendered import GateTarget
from tests.unit.application.testgen.testgen_desk import QA, TestgenDesk


@pytest.mark.parametrize(
    "base_url",
    [
        "http://127.0.0.1:8124",  # another port
        "http://localhost:8123",  # another host name for the same server is still another host
        "https://127.0.0.1:8123",  # another scheme
        "http://127.0.0.1:8123@169.254.169.254/latest",  # the host is the part after '@'
        "http://169.254.169.254/latest/meta-data",
    ],
)
def test_a_gate_outside_the_allowlist_is_refused_and_nothing_runs_nor_is_stored(
    base_url: str,
) -> None:
    desk = TestgenDesk()
    suite_id = desk.submitted()
    with pytest.raises(ValidationFailed) as refused:
        desk.service.run_gate(QA, suite_id, GateTarget(base_url, token="secret-token"))
    [problem] = refused.value.problems
    assert problem.path == "base_url"
    assert "CREDITDESK_TESTGEN_GATE_URLS" in problem.message
    assert desk.gate.targets == []
    assert desk.service.suite(QA, suite_id).gate is None
    assert desk.actions() == ["testgen.suite_submitted"]


def test_with_an_empty_gate_list_only_a_gate_without_a_target_runs() -> None:
    desk = TestgenDesk(gate_urls=())
    suite_id = desk.submitted()
    with pytest.raises(ValidationFailed, match=r"CREDITDESK_TESTGEN_GATE_URLS allows none"):
        desk.service.run_gate(QA, suite_id, GateTarget("http://127.0.0.1:8123"))
    report = desk.service.run_gate(QA, suite_id, None)
    assert (report.ran, report.passed) == (False, True)
    assert desk.gate.targets == [None]


def test_a_gate_under_a_listed_prefix_runs() -> None:
    desk = TestgenDesk(gate_urls=("http://127.0.0.1:8123/api",))
    suite_id = desk.submitted()
    target = GateTarget("http://127.0.0.1:8123/api/v1")
    assert desk.service.run_gate(QA, suite_id, target).ran
    assert desk.gate.targets == [target]
    with pytest.raises(ValidationFailed):
        desk.service.run_gate(QA, suite_id, GateTarget("http://127.0.0.1:8123/apiv1"))


def _approved(desk: TestgenDesk) -> str:
    suite_id = desk.submitted()
    cases = [c.case.id for c in desk.service.suite(QA, suite_id).cases]
    desk.service.bulk_approve(QA, suite_id, cases)
    return suite_id


@pytest.mark.parametrize(
    "repository",
    [
        "https://git.example/other.git",
        "https://git.example/pets.git.evil",  # not on a segment boundary
        "/var/lib/creditdesk/private.git",
        "file:///etc",
        "git@git.example:pets.git",  # an scp-like address is not the https URL
        "https://git.example/pets.git/../other.git",
    ],
)
def test_a_delivery_outside_the_allowlist_is_refused_before_git_runs(repository: str) -> None:
    desk = TestgenDesk()
    suite_id = _approved(desk)
    before = desk.actions()
    with pytest.raises(ValidationFailed) as refused:
        desk.service.deliver(QA, suite_id, DeliveryTarget(repository, "tests/pets"))
    [problem] = refused.value.problems
    assert problem.path == "repository"
    assert "CREDITDESK_TESTGEN_REPOSITORIES" in problem.message
    assert desk.repository.deliveries == []
    assert desk.service.suite(QA, suite_id).deliveries == ()
    assert desk.actions() == before


def test_with_an_empty_repository_list_no_delivery_is_made() -> None:
    desk = TestgenDesk(repositories=())
    suite_id = _approved(desk)
    target = DeliveryTarget("https://git.example/pets.git", "tests/pets")
    with pytest.raises(ValidationFailed, match=r"CREDITDESK_TESTGEN_REPOSITORIES allows none"):
        desk.service.deliver(QA, suite_id, target)
    assert desk.repository.deliveries == []


def test_credentials_in_a_listed_repository_do_not_stop_its_delivery() -> None:
    desk = TestgenDesk(repositories=("https://git.example/",))
    suite_id = _approved(desk)
    target = DeliveryTarget("https://bot:hunter2@git.example/pets.git", "tests/pets")
    assert desk.service.deliver(QA, suite_id, target).committed
    [(delivered, _files, _message)] = desk.repository.deliveries
    assert delivered == target

"""The quality gate on real pytest runs: compile, collect, and run against a live petstore served
on loopback, correct (every test passes) and with seeded faults (exactly the cases that meet
them fail, with messages free of the credentials)."""

from __future__ import annotations

import sys

import pytest

from adapters.testgen.pytest_gate import PytestQualityGate
from adapters.testgen.renderer import PytestRenderer
from domain.testgen.cases import Rule
from domain.testgen.openapi import read_spec
from domain.testgen.rendered import GateTarget, RenderedFile, RenderedSuite
from tests.integration.testgen.petstore_server import LIMITED_TOKEN, TOKEN, serving
from tests.integration.testgen.rendering_cases import petstore_suite
from tests.unit.domain.testgen.specs import petstore_30

pytestmark = pytest.mark.integration
GATE = PytestQualityGate(timeout_s=300)


@pytest.fixture(scope="module")
def rendered() -> RenderedSuite:
    document = petstore_30()
    return PytestRenderer().render(petstore_suite(), read_spec(document), document)


@pytest.fixture(autouse=True)
def few_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TESTGEN_MAX_EXAMPLES", "8")


def case_ids(*rules: Rule) -> tuple[str, ...]:
    return tuple(sorted(case.id for case in petstore_suite().cases if case.rule in rules))


def test_without_a_target_the_gate_compiles_and_collects_every_test(
    rendered: RenderedSuite,
) -> None:
    report = GATE.check(rendered, None)
    assert report.compile_errors == ()
    assert sorted(report.collected) == sorted(node for _, node in rendered.functions)
    assert (report.ran, report.outcomes, report.error, report.passed) == (False, (), None, True)


def test_against_a_correct_server_every_test_passes(rendered: RenderedSuite) -> None:
    with serving() as base_url:
        report = GATE.check(rendered, GateTarget(base_url, TOKEN, LIMITED_TOKEN))
    assert report.ran, report.error
    assert [o.message for o in report.outcomes if not o.passed] == []
    assert {o.case_id for o in report.outcomes} == {case_id for case_id, _ in rendered.functions}
    assert report.passed


def test_against_seeded_faults_exactly_the_cases_that_probe_them_fail(
    rendered: RenderedSuite,
) -> None:
    with serving(faulty=True) as base_url:
        report = GATE.check(rendered, GateTarget(base_url, TOKEN, LIMITED_TOKEN))
    assert report.ran
    assert not report.passed
    assert report.failed_case_ids == case_ids(
        Rule.BOUNDARY, Rule.FORBIDDEN, Rule.UNKNOWN_ID, Rule.CRUD_CHAIN, Rule.HAPPY_PATH
    )
    messages = {o.case_id: o.message for o in report.outcomes}
    (listing,) = case_ids(Rule.HAPPY_PATH)  # the accepted long name breaks the list's schema
    assert "GET /pets: the 200 body breaks" in messages[listing]
    assert "is too long" in messages[listing]
    (unknown,) = case_ids(Rule.UNKNOWN_ID)
    assert "expected 404, got 200" in messages[unknown]
    (chain,) = case_ids(Rule.CRUD_CHAIN)
    assert 'lacks {"name": "Max"}' in messages[chain]  # the lost update
    assert all(TOKEN not in m and LIMITED_TOKEN not in m for m in messages.values())


def test_a_credential_the_server_echoes_is_masked_in_messages(rendered: RenderedSuite) -> None:
    with serving(faulty=True, echo_credentials=True) as base_url:
        report = GATE.check(rendered, GateTarget(base_url, TOKEN, LIMITED_TOKEN))
    (unknown,) = case_ids(Rule.UNKNOWN_ID)
    message = next(o.message for o in report.outcomes if o.case_id == unknown)
    assert "***" in message
    assert TOKEN not in message


def test_a_file_that_does_not_compile_is_named_and_nothing_runs() -> None:
    broken = RenderedSuite(
        (RenderedFile("test_broken.py", "def test_x(:\n    pass\n"),), (("c1", "x::y"),)
    )
    report = GATE.check(broken, GateTarget("http://127.0.0.1:9"))
    assert [path for path, _ in report.compile_errors] == ["test_broken.py"]
    assert "line 1" in report.compile_errors[0][1]
    assert (report.ran, report.passed) == (False, False)


def test_a_module_that_fails_to_import_is_a_collection_error() -> None:
    failing = RenderedSuite(
        (RenderedFile("test_fails.py", "raise RuntimeError('cannot import me')\n"),), ()
    )
    report = GATE.check(failing, None)
    assert report.error is not None
    assert "collection" in report.error
    assert not report.passed


def test_a_run_past_the_time_limit_is_reported_not_hung() -> None:
    slow = RenderedSuite(
        (RenderedFile("test_slow.py", "import time\n\n\ndef test_slow():\n    time.sleep(30)\n"),),
        (("slow", "test_slow.py::test_slow"),),
    )
    report = PytestQualityGate(timeout_s=3).check(slow, GateTarget("http://127.0.0.1:9"))
    assert report.error == "pytest did not finish within 3 s"
    assert not report.passed


def test_a_missing_interpreter_is_a_clear_error(rendered: RenderedSuite) -> None:
    report = PytestQualityGate(python=f"{sys.executable}-missing").check(rendered, None)
    assert report.error == f"cannot start {sys.executable}-missing: no such interpreter"


def test_without_a_limited_credential_the_403_tests_are_skipped_not_failed(
    rendered: RenderedSuite,
) -> None:
    with serving() as base_url:
        report = GATE.check(rendered, GateTarget(base_url, TOKEN))
    (forbidden,) = case_ids(Rule.FORBIDDEN)
    outcome = next(o for o in report.outcomes if o.case_id == forbidden)
    assert outcome.passed
    assert outcome.message.startswith("skipped: ")
    assert "TESTGEN_LIMITED_TOKEN is not set" in outcome.message
    assert report.passed

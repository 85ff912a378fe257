"""The whole path on the sample specs: generate, render, gate. The suite generated from the
petstore spec passes against a correct petstore and catches its seeded faults."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.testgen.pytest_gate import PytestQualityGate
from adapters.testgen.renderer import PytestRenderer
from domain.testgen.cases import BoundaryKeyword, Rule, Suite
from domain.testgen.generate import generate
from domain.testgen.openapi import read_spec
from domain.testgen.rendered import GateTarget, RenderedSuite
from tests.integration.testgen.petstore_server import LIMITED_TOKEN, TOKEN, serving
from tests.unit.domain.testgen.specs import catalogue_31, petstore_30

pytestmark = pytest.mark.integration


def rendered_from(document: dict[str, Any]) -> tuple[Suite, RenderedSuite]:
    spec = read_spec(document)
    suite = generate(spec, "sample")
    return suite, PytestRenderer().render(suite, spec, document)


@pytest.mark.parametrize("document", [petstore_30, catalogue_31])
def test_a_generated_suite_renders_the_same_bytes_and_compiles(document: Any) -> None:
    _, first = rendered_from(document())
    _, again = rendered_from(document())
    assert first == again
    for file in first.files:
        if file.path.endswith(".py"):
            compile(file.text, file.path, "exec")


def test_the_generated_petstore_suite_passes_against_a_correct_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TESTGEN_MAX_EXAMPLES", "5")
    suite, rendered = rendered_from(petstore_30())
    assert any(case.rule is Rule.PROPERTY for case in suite.cases)
    with serving() as base_url:
        report = PytestQualityGate().check(rendered, GateTarget(base_url, TOKEN, LIMITED_TOKEN))
    assert report.ran, report.error
    assert [(o.nodeid, o.message) for o in report.outcomes if not o.passed] == []
    assert len(report.outcomes) == len(suite.cases)


def test_the_generated_petstore_suite_catches_the_seeded_faults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TESTGEN_MAX_EXAMPLES", "5")
    suite, rendered = rendered_from(petstore_30())
    with serving(faulty=True) as base_url:
        report = PytestQualityGate().check(rendered, GateTarget(base_url, TOKEN, LIMITED_TOKEN))
    failed = set(report.failed_case_ids)
    caught = {
        "a name one too long": [
            c
            for c in suite.cases
            if c.rule is Rule.BOUNDARY
            and c.keyword is BoundaryKeyword.MAX_LENGTH
            and c.operation_id == "createPet"
            and c.expectation.status == "4XX"
        ],
        "a limited credential deletes": [c for c in suite.cases if c.rule is Rule.FORBIDDEN],
        "an unknown id answers 200": [c for c in suite.cases if c.rule is Rule.UNKNOWN_ID],
        "a lost update": [c for c in suite.cases if c.rule is Rule.CRUD_CHAIN],
    }
    for fault, cases in caught.items():
        assert cases, f"no case probes {fault}"
        assert {c.id for c in cases} <= failed, fault

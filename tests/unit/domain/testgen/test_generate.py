"""`generate` over whole specs: deterministic, every case located in the document, every valid
body valid and every negative body broken in exactly one place."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.testgen.cases import JsonBody, Rule, SchemaBody, Suite, TestCase
from domain.testgen.generate import RESOURCE_RULES, RULES, generate
from domain.testgen.openapi import read_spec
from domain.testgen.rules.memo import remembered
from tests.unit.domain.testgen.generation import at_pointer, suite_for, synthetic_spec, validator
from tests.unit.domain.testgen.schema_strategies import NODE_SCHEMA, integers, schemas, strings
from tests.unit.domain.testgen.shop_spec import shop_31
from tests.unit.domain.testgen.specs import catalogue_31, petstore_30

SAMPLES = (petstore_30, catalogue_31, shop_31)
BODY = "#/paths/~1things/post/requestBody/content/application~1json/schema"


def test_every_rule_is_registered_once() -> None:
    registered = [rule for rule, _ in RULES] + [rule for rule, _ in RESOURCE_RULES]
    assert sorted(registered) == sorted(Rule)


def test_the_same_spec_gives_an_equal_suite() -> None:
    for build in SAMPLES:
        assert suite_for(build()) == suite_for(build())


def test_the_suite_keeps_the_hash_it_is_given_and_names_every_case() -> None:
    suite = generate(read_spec(petstore_30()), "abc123")
    assert suite.spec_hash == "abc123"
    names = [suite.name_of(c) for c in suite.cases]
    assert len(set(names)) == len(names) == len(suite.cases)
    assert "test_boundary_maxlength_create_pet_name_outside" in names


def test_cyclic_schemas_end() -> None:
    document = catalogue_31()
    document["paths"]["/categories"] = {
        "post": {
            "requestBody": {
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Category"}}
                }
            },
            "responses": {"201": {"description": "created"}},
        }
    }
    suite = suite_for(document)
    assert any(c.rule is Rule.PROPERTY for c in suite.cases)


def pointers_of(case: TestCase) -> list[str]:
    found = [case.location]
    if case.expectation.response_schema:
        found.append(case.expectation.response_schema)
    if isinstance(case.request.body, SchemaBody):
        found.append(case.request.body.pointer)
    return found


def assert_located(document: dict[str, Any], suite: Suite) -> None:
    for case in suite.cases:
        for pointer in pointers_of(case):
            at_pointer(document, pointer)  # raises KeyError when it points at nothing


def test_every_location_of_the_sample_specs_resolves() -> None:
    for build in SAMPLES:
        assert_located(build(), suite_for(build()))


def test_a_hundred_operation_spec_gives_a_suite_of_every_rule() -> None:
    document = synthetic_spec(100)
    spec = read_spec(document)
    assert len(spec.operations) == 100
    suite = generate(spec, "hash")
    # no 403 documented, and no proposals kept in the spec
    assert {c.rule for c in suite.cases} == set(Rule) - {Rule.FORBIDDEN, Rule.LLM_PROPOSAL}
    assert len([c for c in suite.cases if c.rule is Rule.CRUD_CHAIN]) == 25
    assert_located(document, suite)


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    """A resource with a drawn body schema, a query parameter, and maybe security."""
    body = {"required": True, "content": {"application/json": {"schema": draw(schemas)}}}
    created = {"type": "object", "properties": {"thingId": {"type": "integer"}}}
    limit = {"name": "limit", "in": "query", "schema": draw(integers() | strings())}
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "Things", "version": "1"},
        "paths": {
            "/things": {
                "post": {
                    "operationId": "createThing",
                    "requestBody": body,
                    "responses": {
                        "201": {
                            "description": "ok",
                            "content": {"application/json": {"schema": created}},
                        },
                        "422": {"description": "invalid"},
                    },
                },
                "get": {"parameters": [limit], "responses": {"200": {"description": "ok"}}},
            },
            "/things/{thingId}": {
                "parameters": [{"name": "thingId", "in": "path", "schema": {"type": "integer"}}],
                "get": {"responses": {"200": {"description": "ok"}, "404": {"description": "no"}}},
                "put": {"requestBody": body, "responses": {"204": {"description": "ok"}}},
                "delete": {
                    "responses": {"204": {"description": "gone"}, "403": {"description": ""}}
                },
            },
        },
        "components": {"schemas": {"Node": NODE_SCHEMA}},
    }
    if draw(st.booleans()):
        document["security"] = [{"key": []}]
        document["components"]["securitySchemes"] = {
            "key": {"type": "apiKey", "in": "header", "name": "X-Key"}
        }
    return document


def _bodies(suite: Suite) -> dict[str, object]:
    """The valid body each operation's happy path sends, by operation."""
    return {
        c.operation_id: c.request.body.value
        for c in suite.cases
        if c.rule is Rule.HAPPY_PATH and isinstance(c.request.body, JsonBody)
    }


def _differences(valid: object, broken: object) -> int:
    if not isinstance(valid, dict) or not isinstance(broken, dict):
        return int(valid != broken)
    keys = set(valid) | set(broken)
    return sum(1 for key in keys if valid.get(key, KeyError) != broken.get(key, KeyError))


VALID = (Rule.HAPPY_PATH, Rule.RESPONSE_TIME, Rule.RESPONSE_SCHEMA)
BROKEN = (Rule.REQUIRED_FIELD_MISSING, Rule.WRONG_TYPE)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_property_generated_bodies_are_valid_or_broken_in_exactly_one_place(
    document: dict[str, Any],
) -> None:
    suite = suite_for(document)
    assert suite == suite_for(document)
    assert_located(document, suite)
    check = validator(document, BODY)
    valid = _bodies(suite)
    for case in suite.cases:
        steps_bodies = [s.request.body for s in case.steps if isinstance(s.request.body, JsonBody)]
        assert all(check.is_valid(body.value) for body in steps_bodies)
        body = case.request.body
        if not isinstance(body, JsonBody):
            continue
        inside = case.rule is Rule.BOUNDARY and case.expectation.status != "4XX"
        if case.rule in VALID or inside:
            assert check.is_valid(body.value), (case.title, body.value)
        on_body = case.variant.split(" ")[0] not in ("query", "path", "header")
        if case.rule is Rule.BOUNDARY and not inside and on_body:
            assert not check.is_valid(body.value), (case.title, body.value)
        if case.rule in BROKEN:
            differences = _differences(valid[case.operation_id], body.value)
            assert differences == (1 if on_body else 0), case.title


def test_answers_are_remembered_per_spec_object_never_across_specs() -> None:
    first, second = read_spec(petstore_30()), read_spec(catalogue_31())
    calls: list[str] = []

    def work(answer: str) -> str:
        calls.append(answer)
        return answer

    assert remembered(first, "k", lambda: work("first")) == "first"
    assert remembered(first, "k", lambda: work("again")) == "first"
    assert remembered(second, "k", lambda: work("second")) == "second"
    assert calls == ["first", "second"]

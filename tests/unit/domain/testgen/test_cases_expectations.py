"""What a case may send and accept beyond one status: schema-drawn bodies, limited credentials,
further admitted statuses, members the response must include, body validation by status."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import ValidationFailed
from domain.testgen.cases import (
    Credentials,
    Expectation,
    JsonBody,
    Request,
    Rule,
    SchemaBody,
    TestCase,
)

POINTER = "#/paths/~1pets/post/requestBody/content/application~1json/schema"


def test_a_property_case_sends_a_body_drawn_from_the_schema_at_a_pointer() -> None:
    case = TestCase(
        Rule.PROPERTY,
        "createPet",
        "POST",
        "/pets",
        POINTER,
        Request(body=SchemaBody(POINTER)),
        Expectation("2XX", also=("4XX",)),
        "any valid-shaped pet",
    )
    assert case.request.body == SchemaBody(POINTER, "application/json")
    assert case.rule.value == "property"


def test_a_limited_credential_is_its_own_kind() -> None:
    assert Request(credentials=Credentials.LIMITED).credentials.value == "limited"
    assert len({c.value for c in Credentials}) == 4


def test_an_expectation_admits_its_status_or_any_it_also_accepts() -> None:
    expectation = Expectation("2XX", also=("4XX", "503"))
    assert expectation.admits(201)
    assert expectation.admits(422)
    assert expectation.admits(503)
    assert not expectation.admits(500)
    assert not Expectation("201").admits(204)


@pytest.mark.parametrize("also", [("4xx",), ("200", "default"), ("6XX",)])
def test_also_is_validated_like_the_status(also: tuple[str, ...]) -> None:
    with pytest.raises(ValidationFailed, match="status"):
        Expectation("200", also=also)


def test_by_default_the_body_is_validated_and_nothing_in_particular_is_required() -> None:
    expectation = Expectation("200")
    assert expectation.validate_body
    assert expectation.body_includes is None
    assert expectation.also == ()


def test_an_expectation_may_require_members_of_the_body() -> None:
    expectation = Expectation("200", body_includes=JsonBody({"name": "Rex"}), validate_body=False)
    assert expectation.body_includes == JsonBody({"name": "Rex"})
    assert not expectation.validate_body


statuses = st.integers(min_value=100, max_value=599)


@given(statuses, st.lists(statuses, max_size=3))
def test_property_an_exact_status_list_admits_exactly_its_members(
    first: int, others: list[int]
) -> None:
    expectation = Expectation(str(first), also=tuple(map(str, others)))
    admitted = {code for code in range(100, 600) if expectation.admits(code)}
    assert admitted == {first, *others}

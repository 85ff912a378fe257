from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import ValidationFailed
from domain.testgen.cases import (
    BoundaryKeyword,
    Capture,
    Credentials,
    Expectation,
    JsonBody,
    RawBody,
    Request,
    Rule,
    Step,
    TestCase,
    function_name,
    group_of,
    suite_of,
)

LOCATION = "#/paths/~1pets/post/requestBody"


def a_case(
    rule: Rule = Rule.HAPPY_PATH,
    operation_id: str = "createPet",
    variant: str = "",
    keyword: BoundaryKeyword | None = None,
    path: str = "/pets",
    tag: str | None = None,
    steps: tuple[Step, ...] = (),
) -> TestCase:
    return TestCase(
        rule=rule,
        operation_id=operation_id,
        method="POST",
        path=path,
        location=LOCATION,
        request=Request(body=JsonBody({"name": "Rex"})),
        expectation=Expectation("201", response_schema="#/components/schemas/Pet"),
        title=f"{rule} {operation_id} {variant}",
        variant=variant,
        keyword=keyword,
        tag=tag,
        steps=steps,
    )


def a_step(captures: tuple[Capture, ...] = (), uses: tuple[str, ...] = ()) -> Step:
    return Step(
        "read", "getPet", "GET", "/pets/{id}", Request(), Expectation("200"), captures, uses
    )


def test_the_same_rule_operation_and_variant_give_the_same_id() -> None:
    assert a_case(variant="name").id == a_case(variant="name").id
    assert a_case(variant="name").id != a_case(variant="tag").id
    assert a_case(Rule.WRONG_TYPE, variant="name").id != a_case(variant="name").id


def test_the_boundary_keyword_is_part_of_the_id_and_required_exactly_for_boundaries() -> None:
    low = a_case(Rule.BOUNDARY, variant="name", keyword=BoundaryKeyword.MIN_LENGTH)
    high = a_case(Rule.BOUNDARY, variant="name", keyword=BoundaryKeyword.MAX_LENGTH)
    assert low.id != high.id
    with pytest.raises(ValidationFailed, match="keyword"):
        a_case(Rule.BOUNDARY, variant="name")
    with pytest.raises(ValidationFailed, match="keyword"):
        a_case(Rule.HAPPY_PATH, keyword=BoundaryKeyword.ENUM)


def test_every_rule_of_the_issue_is_named() -> None:
    assert {r.value for r in Rule} == {
        "happy_path", "crud_chain", "required_field_missing", "wrong_type", "boundary",
        "malformed_json", "missing_credentials", "invalid_credentials", "forbidden",
        "unknown_id", "response_schema", "response_time", "property", "llm_proposal",
    }  # fmt: skip


@pytest.mark.parametrize("status", ["200", "404", "4XX", "5XX"])
def test_an_expectation_takes_a_status_or_a_class(status: str) -> None:
    assert Expectation(status).status == status


@pytest.mark.parametrize("status", ["4xx", "600", "20", "default", "6XX"])
def test_an_expectation_refuses_anything_else(status: str) -> None:
    with pytest.raises(ValidationFailed, match="status"):
        Expectation(status)


def test_a_status_class_admits_its_codes_only() -> None:
    assert Expectation("4XX").admits(404)
    assert not Expectation("4XX").admits(500)
    assert Expectation("201").admits(201)
    assert not Expectation("201").admits(200)


def test_a_time_budget_must_be_positive() -> None:
    assert Expectation("200", time_budget_ms=500).time_budget_ms == 500
    with pytest.raises(ValidationFailed, match="time_budget_ms"):
        Expectation("200", time_budget_ms=0)


def test_a_location_must_be_a_json_pointer() -> None:
    with pytest.raises(ValidationFailed, match="location"):
        TestCase(Rule.HAPPY_PATH, "x", "GET", "/", "paths", Request(), Expectation("200"), "t")


def test_a_request_carries_raw_text_and_credentials() -> None:
    request = Request(body=RawBody('{"name": '), credentials=Credentials.NONE)
    assert request.body == RawBody('{"name": ', "application/json")


def test_a_chain_step_may_use_only_what_an_earlier_step_captured() -> None:
    create = a_step(captures=(Capture("id", "$response.body#/id"),))
    chain = a_case(Rule.CRUD_CHAIN, steps=(create, a_step(uses=("id",))))
    assert chain.steps[1].uses == ("id",)
    with pytest.raises(ValidationFailed, match=r"steps\[0\].uses: 'id'"):
        a_case(Rule.CRUD_CHAIN, steps=(a_step(uses=("id",)), create))


def test_function_names_say_rule_keyword_operation_and_variant() -> None:
    case = a_case(Rule.BOUNDARY, variant="name", keyword=BoundaryKeyword.MAX_LENGTH)
    assert function_name(case) == "test_boundary_maxlength_create_pet_name"
    assert function_name(a_case(Rule.HAPPY_PATH, "listPets")) == "test_happy_path_list_pets"


def test_a_case_is_grouped_by_tag_else_by_its_first_literal_path_segment() -> None:
    assert group_of(a_case(tag="Pet Store")) == "pet_store"
    assert group_of(a_case(path="/pets/{id}/toys")) == "pets"
    assert group_of(a_case(path="/{id}")) == "root"


def test_a_suite_refuses_duplicate_ids_naming_them() -> None:
    case = a_case(variant="name")
    with pytest.raises(ValidationFailed, match=f"duplicate case id {case.id}"):
        suite_of("abc", [case, a_case(), case])


def test_a_suite_groups_its_cases_in_a_fixed_order() -> None:
    found = [a_case(variant="1", path="/toys"), a_case(variant="2", tag="pets"), a_case(path="/o")]
    suite = suite_of("abc", found)
    assert [group for group, _ in suite.groups()] == ["o", "pets", "toys"]


def test_cases_sharing_a_readable_name_are_told_apart_by_their_ids() -> None:
    first, second = a_case(operation_id="createPet"), a_case(operation_id="create_pet")
    suite = suite_of("abc", [first, second])
    assert suite.name_of(first) == f"test_happy_path_create_pet_{first.id[:8]}"
    assert suite.name_of(first) != suite.name_of(second)


rules = st.sampled_from(Rule)
# A small alphabet makes readable names collide ("aB" and "a_b"), which the suite must resolve.
texts = st.text(alphabet="aB_-1 é", max_size=6) | st.text(max_size=12)


@st.composite
def cases(draw: st.DrawFn) -> TestCase:
    rule = draw(rules)
    keyword = draw(st.sampled_from(BoundaryKeyword)) if rule is Rule.BOUNDARY else None
    return a_case(rule, draw(texts), draw(texts), keyword, draw(st.sampled_from(["/a", "/b/{x}"])))


distinct_cases = st.lists(cases(), max_size=25, unique_by=lambda c: c.id)


@given(distinct_cases)
def test_property_function_names_are_valid_and_unique_within_a_suite(
    found: list[TestCase],
) -> None:
    suite = suite_of("abc", found)
    names = [suite.name_of(case) for case in suite.cases]
    assert all(name.isidentifier() and name.startswith("test_") for name in names)
    assert len(set(names)) == len(names)


@given(distinct_cases, st.randoms())
def test_property_suite_order_does_not_depend_on_input_order(
    found: list[TestCase], rnd: random.Random
) -> None:
    shuffled = list(found)
    rnd.shuffle(shuffled)
    assert suite_of("abc", found) == suite_of("abc", shuffled)

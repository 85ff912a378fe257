from __future__ import annotations

from domain.testgen.cases import Capture, JsonBody, Rule
from domain.testgen.openapi import read_spec
from domain.testgen.rules.operations import name_of
from domain.testgen.rules.resources import crud_chains, happy_path, unknown_id
from tests.unit.domain.testgen.generation import cases_of, one, suite_for
from tests.unit.domain.testgen.shop_spec import shop_31
from tests.unit.domain.testgen.specs import catalogue_31, petstore_30


def test_the_happy_path_expects_the_documented_2xx_exactly() -> None:
    suite = suite_for(petstore_30())
    create = one(suite, Rule.HAPPY_PATH, "createPet")
    assert create.expectation.status == "201"
    assert create.location == "#/paths/~1pets/post/responses/201"
    assert create.request.body == JsonBody({"name": "example", "tag": "cat", "children": []})
    assert create.steps == ()
    assert one(suite, Rule.HAPPY_PATH, "deletePet").expectation.status == "204"


def test_an_id_only_a_create_can_produce_comes_from_a_create_step() -> None:
    suite = suite_for(petstore_30())
    read = one(suite, Rule.HAPPY_PATH, "getPet")
    assert read.path == "/pets/{petId}"  # the template is kept, filled from path_params
    assert read.request.path_params == (("petId", "{petId}"),)
    (create,) = read.steps
    assert (create.method, create.path, create.expectation.status) == ("POST", "/pets", "201")
    assert create.captures == (Capture("petId", "$response.body#/id"),)  # the link's expression


def test_a_create_answering_only_with_location_gives_the_id_from_its_last_segment() -> None:
    suite = suite_for(shop_31())
    (create,) = one(suite, Rule.HAPPY_PATH, "getOrder").steps
    assert create.captures == (Capture("orderId", "$response.header.Location#last-segment"),)


def test_nested_ids_are_created_in_order_and_each_step_uses_what_came_before() -> None:
    suite = suite_for(shop_31())
    order, line = one(suite, Rule.HAPPY_PATH, "getLine").steps
    assert order.path == "/orders"
    assert line.path == "/orders/{orderId}/lines"
    assert line.uses == ("orderId",)
    assert line.captures == (Capture("lineId", "$response.body#/lineId"),)


def test_an_id_nothing_creates_gets_no_case_expecting_2xx() -> None:
    spec = read_spec(catalogue_31())
    (operation,) = spec.operations
    assert happy_path(spec, operation) == ()


def test_a_path_value_comes_from_the_spec_or_there_is_no_valid_request() -> None:
    case = one(suite_for(shop_31()), Rule.HAPPY_PATH, "get_reports_year")
    assert case.request.path_params == (("year", "2024"),)  # the spec's example
    assert case.steps == ()
    document = shop_31()
    del document["paths"]["/reports/{year}"]["get"]["parameters"][0]["schema"]["example"]
    assert cases_of(suite_for(document), Rule.HAPPY_PATH, "get_reports_year") == []


def test_an_operation_that_needs_a_secret_or_ends_the_session_has_no_valid_request() -> None:
    document = petstore_30()
    document["paths"]["/login"] = {
        "post": {
            "operationId": "login",
            "security": [],
            "responses": {"200": {"description": "a token"}, "401": {"description": "no"}},
        }
    }
    assert cases_of(suite_for(document), Rule.HAPPY_PATH, "login") == []


def test_a_create_that_may_answer_as_a_replay_admits_200_too() -> None:
    document = petstore_30()
    document["paths"]["/pets"]["post"]["responses"]["200"] = {"description": "replayed"}
    suite = suite_for(document)
    create = one(suite, Rule.HAPPY_PATH, "createPet")
    assert (create.expectation.status, create.expectation.also) == ("201", ("200",))
    assert one(suite, Rule.HAPPY_PATH, "getPet").steps[0].expectation.also == ("200",)
    checked = one(suite, Rule.RESPONSE_SCHEMA, "createPet")
    assert checked.expectation.response_schema is None  # the received status's schema instead
    assert checked.expectation.validate_body


def test_the_crud_chain_reads_back_what_the_update_sent_then_finds_it_gone() -> None:
    chain = one(suite_for(shop_31()), Rule.CRUD_CHAIN, "getOrder")
    assert [(s.method, s.expectation.status) for s in chain.steps] == [
        ("POST", "201"),
        ("GET", "200"),
        ("PATCH", "200"),
        ("GET", "200"),
        ("DELETE", "204"),
    ]
    update, read_back = chain.steps[2], chain.steps[3]
    assert isinstance(update.request.body, JsonBody)
    sent = update.request.body.value
    assert isinstance(sent, dict)
    assert sent["customer"] == "other@example.com"  # differs from the create's example
    assert read_back.expectation.body_includes == JsonBody(
        {
            "customer": "other@example.com",
            "placed": "2024-02-20",
            "tags": ["changed"],
            "priority": 2,
        }
    )  # no write-only secret, no timestamp a server may rewrite
    assert (chain.method, chain.path, chain.expectation.status) == (
        "GET",
        "/orders/{orderId}",
        "404",
    )
    assert chain.location == "#/paths/~1orders~1{orderId}"


def test_a_chain_without_a_documented_404_ends_with_the_delete() -> None:
    spec = read_spec(petstore_30())
    document = petstore_30()
    del document["paths"]["/pets/{petId}"]["get"]["responses"]["404"]
    (chain,) = crud_chains(read_spec(document))
    assert (chain.method, chain.expectation.status) == ("DELETE", "204")
    assert [s.method for s in chain.steps] == ["POST", "GET", "GET", "PUT", "GET"]
    assert len(crud_chains(spec)) == 1


def test_a_chain_checks_that_location_and_the_returned_id_name_the_same_resource() -> None:
    chain = one(suite_for(petstore_30()), Rule.CRUD_CHAIN, "getPet")
    create, _, at_location = chain.steps[:3]
    assert create.captures == (
        Capture("petId", "$response.body#/id"),
        Capture("petId_at_location", "$response.header.Location#last-segment"),
    )
    assert at_location.request.path_params == (("petId", "{petId_at_location}"),)
    assert at_location.expectation.status == "200"
    assert at_location.expectation.body_includes == JsonBody({"id": "{petId}"})
    assert at_location.uses == ("petId_at_location", "petId")


def test_an_unknown_id_is_404_where_documented_without_creating_anything() -> None:
    suite = suite_for(petstore_30())
    case = one(suite, Rule.UNKNOWN_ID, "getPet")
    assert case.request.path_params == (("petId", "987654321"),)
    assert case.steps == ()
    assert case.location == "#/paths/~1pets~1{petId}/get/responses/404"
    assert cases_of(suite, Rule.UNKNOWN_ID, "deletePet") == []  # 404 not documented there
    spec = read_spec(shop_31())
    cancel = next(o for o in spec.operations if o.operation_id == "cancelOrder")
    (found,) = unknown_id(spec, cancel)
    assert found.request.path_params == (("orderId", "unknown-id-0000"),)


def test_a_create_documenting_200_and_201_is_expected_to_create() -> None:
    document = petstore_30()
    responses = document["paths"]["/pets"]["post"]["responses"]
    responses["200"] = {"description": "the pet an identical earlier request created"}
    suite = suite_for(document)
    assert one(suite, Rule.HAPPY_PATH, "createPet").expectation.status == "201"
    assert one(suite, Rule.HAPPY_PATH, "getPet").steps[0].expectation.status == "201"


def test_a_link_may_name_its_parameter_with_its_location() -> None:
    document = petstore_30()
    link = document["paths"]["/pets"]["post"]["responses"]["201"]["links"]["GetPet"]
    link["parameters"] = {"path.petId": "$response.body#/identifier"}
    (create,) = one(suite_for(document), Rule.HAPPY_PATH, "getPet").steps
    assert create.captures == (Capture("petId", "$response.body#/identifier"),)


def test_a_repeated_operation_id_is_made_unique_with_method_and_path() -> None:
    document = petstore_30()
    document["paths"]["/pets/{petId}"]["put"]["operationId"] = "getPet"
    spec = read_spec(document)
    names = {name_of(spec, op) for op in spec.operations}
    assert {"getPet_get_pets_petId", "getPet_put_pets_petId"} <= names
    suite = suite_for(document)
    assert len({suite.name_of(c) for c in suite.cases}) == len(suite.cases)

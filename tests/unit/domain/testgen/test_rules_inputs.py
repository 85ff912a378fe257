from __future__ import annotations

import json

from domain.pii import JsonValue
from domain.testgen.cases import JsonBody, RawBody, Rule, SchemaBody
from domain.testgen.openapi import read_spec
from domain.testgen.rules.inputs import property_bodies, wrong_value
from domain.testgen.schemas import Schema
from tests.unit.domain.testgen.generation import cases_of, one, suite_for
from tests.unit.domain.testgen.shop_spec import shop_31
from tests.unit.domain.testgen.specs import petstore_30

VALID_PET: dict[str, JsonValue] = {"name": "example", "tag": "cat", "children": []}


def test_a_required_member_left_out_is_4xx_citing_the_required_entry() -> None:
    case = one(suite_for(petstore_30()), Rule.REQUIRED_FIELD_MISSING, "createPet", "name")
    assert case.request.body == JsonBody({"tag": "cat", "children": []})
    assert case.expectation.status == "4XX"
    assert case.location == "#/components/schemas/NewPet/required/0"


def test_a_required_header_and_the_required_body_left_out_are_4xx() -> None:
    suite = suite_for(petstore_30())
    header = one(suite, Rule.REQUIRED_FIELD_MISSING, "updatePet", "header X-Trace")
    assert header.request.headers == ()
    assert header.location == "#/paths/~1pets~1{petId}/put/parameters/0"
    assert header.steps[0].path == "/pets"  # still about an existing pet
    body = one(suite, Rule.REQUIRED_FIELD_MISSING, "updatePet", "body")
    assert body.request.body is None
    assert body.request.headers == (("X-Trace", "examplex"),)


def test_a_wrong_type_replaces_one_member_and_nothing_else() -> None:
    suite = suite_for(petstore_30())
    name = one(suite, Rule.WRONG_TYPE, "createPet", "name")
    assert name.request.body == JsonBody({**VALID_PET, "name": 12345})
    children = one(suite, Rule.WRONG_TYPE, "createPet", "children")
    assert children.request.body == JsonBody({**VALID_PET, "children": "not-an-array"})
    limit = one(suite, Rule.WRONG_TYPE, "listPets", "query limit")
    assert limit.request.query == (("limit", "not-a-number"),)
    path = one(suite, Rule.WRONG_TYPE, "getPet", "path petId")
    assert path.request.path_params == (("petId", "not-a-number"),)
    assert path.steps == ()  # no pet needs creating for an id that cannot be one


def test_a_wrong_value_is_of_a_type_the_schema_refuses() -> None:
    assert wrong_value(Schema("#", types=("integer",))) == "not-a-number"
    assert wrong_value(Schema("#", types=("string",))) == 12345
    assert wrong_value(Schema("#", types=("string", "integer"))) is None
    assert wrong_value(Schema("#")) is None


def test_malformed_json_is_the_valid_body_cut_short() -> None:
    case = one(suite_for(petstore_30()), Rule.MALFORMED_JSON, "createPet")
    assert isinstance(case.request.body, RawBody)
    text = case.request.body.text
    assert json.loads(text + "}") == VALID_PET
    assert case.location == "#/paths/~1pets/post/requestBody"
    assert case.expectation.status == "4XX"


def test_a_property_case_draws_bodies_from_the_schema_and_admits_2xx_or_4xx() -> None:
    suite = suite_for(shop_31())
    case = one(suite, Rule.PROPERTY, "addLine")
    pointer = "#/paths/~1orders~1{orderId}~1lines/post/requestBody/content/application~1json/schema"
    assert case.request.body == SchemaBody(pointer)
    assert (case.expectation.status, case.expectation.also) == ("2XX", ("4XX",))
    assert case.expectation.validate_body
    assert case.steps[0].path == "/orders"
    assert one(suite, Rule.PROPERTY, "createOrder").location == "#/components/schemas/Order"


def test_no_body_rules_for_operations_without_a_json_body() -> None:
    spec = read_spec(shop_31())
    suite = suite_for(shop_31())
    upload = next(o for o in spec.operations if o.operation_id == "upload")
    assert property_bodies(spec, upload) == ()
    assert cases_of(suite, Rule.MALFORMED_JSON, "upload") == []
    assert cases_of(suite, Rule.MALFORMED_JSON, "getOrder") == []


def test_no_member_is_broken_where_another_one_of_branch_could_accept_it() -> None:
    document = petstore_30()
    document["components"]["requestBodies"]["NewPet"]["content"]["application/json"]["schema"] = {
        "oneOf": [{"$ref": "#/components/schemas/NewPet"}, {"$ref": "#/components/schemas/Error"}]
    }
    suite = suite_for(document)
    assert cases_of(suite, Rule.WRONG_TYPE, "createPet") == []
    missing = cases_of(suite, Rule.REQUIRED_FIELD_MISSING, "createPet")
    assert [c.variant for c in missing] == ["body"]  # only the body as a whole
    boundaries = cases_of(suite, Rule.BOUNDARY, "createPet")
    assert boundaries
    assert all(c.expectation.status == "201" for c in boundaries)  # only the inside values

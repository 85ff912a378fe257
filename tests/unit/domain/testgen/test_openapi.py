"""Reading OpenAPI 3.0 / 3.1 documents into the model the generation rules work from."""

from __future__ import annotations

from typing import Any

import pytest

from domain.errors import ValidationFailed
from domain.testgen.openapi import ApiSpec, Operation, read_spec
from domain.testgen.schemas import Bound, Given, Schema, SchemaNode, SchemaRef
from tests.unit.domain.testgen.specs import catalogue_31, petstore_30


def _op(spec: ApiSpec, operation_id: str) -> Operation:
    op = spec.operation(operation_id)
    assert op is not None
    return op


def _schema(node: SchemaNode | None) -> Schema:
    assert isinstance(node, Schema)
    return node


def _problems(document: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as failure:
        read_spec(document)
    return {p.path: p.message for p in failure.value.problems}


def test_the_petstore_reads_its_header_servers_and_operations() -> None:
    spec = read_spec(petstore_30())
    assert (spec.title, spec.version, spec.openapi) == ("Petstore", "1.0.0", "3.0.3")
    assert spec.servers == ("https://pets.example/v1",)
    assert [(o.method, o.path) for o in spec.operations] == [
        ("get", "/pets"),
        ("post", "/pets"),
        ("get", "/pets/{petId}"),
        ("put", "/pets/{petId}"),
        ("delete", "/pets/{petId}"),
    ]
    assert _op(spec, "getPet").location == "#/paths/~1pets~1{petId}/get"


def test_security_schemes_and_requirements_are_read_and_inherited() -> None:
    spec = read_spec(petstore_30())
    schemes = {s.name: s for s in spec.security_schemes}
    assert (schemes["bearer"].type, schemes["bearer"].scheme) == ("http", "bearer")
    api_key = schemes["apiKey"]
    assert (api_key.type, api_key.key_name, api_key.key_location) == (
        "apiKey",
        "X-API-Key",
        "header",
    )
    assert _op(spec, "listPets").security == ()  # `security: []` makes it public
    assert _op(spec, "createPet").security == spec.security  # inherited
    assert [r.schemes for r in _op(spec, "getPet").security] == [
        (("apiKey", ()),),
        (("bearer", ()),),
    ]


def test_path_level_parameters_merge_and_the_operations_own_wins() -> None:
    spec = read_spec(petstore_30())
    get = {(p.name, p.location): p for p in _op(spec, "getPet").parameters}
    assert set(get) == {("petId", "path"), ("X-Trace", "header")}
    assert get["petId", "path"].required
    assert not get["X-Trace", "header"].required
    put = [p for p in _op(spec, "updatePet").parameters if p.name == "X-Trace"]
    assert len(put) == 1
    assert put[0].required
    assert _schema(put[0].schema).min_length == 8


def test_a_path_parameter_is_required_even_when_the_spec_forgets_to_say_so() -> None:
    (param,) = _op(read_spec(catalogue_31()), "getCategory").parameters
    assert param.required


def test_request_bodies_responses_and_links_are_resolved() -> None:
    create = _op(read_spec(petstore_30()), "createPet")
    assert create.request_body is not None
    assert create.request_body.required
    ((media, body),) = create.request_body.content
    assert media == "application/json"
    assert _schema(body).required == ("name",)
    assert [r.status for r in create.responses] == ["201", "4XX"]
    created = create.responses[0]
    assert created.headers == ("Location",)
    (link,) = create.links_by_status["201"]
    assert (link.name, link.operation_id, link.parameters) == (
        "GetPet",
        "getPet",
        (("petId", "$response.body#/id"),),
    )
    error = _schema(create.responses[1].content[0][1])
    assert error.ref == "#/components/schemas/Error"


def test_30_bounds_nullable_enum_and_lengths() -> None:
    spec = read_spec(petstore_30())
    (limit,) = _op(spec, "listPets").parameters
    schema = _schema(limit.schema)
    assert schema.minimum == Bound(1)
    assert schema.maximum == Bound(100, exclusive=True)
    new_pet = spec.schema_at("#/components/schemas/NewPet")
    tag = _schema(new_pet.property_schema("tag"))
    assert (tag.types, tag.nullable, tag.enum) == (("string",), True, ("cat", "dog"))
    name = _schema(new_pet.property_schema("name"))
    assert (name.min_length, name.max_length) == (1, 40)


def test_31_type_lists_exclusive_numbers_and_const() -> None:
    category = read_spec(catalogue_31()).schema_at("#/components/schemas/Category")
    name = _schema(category.property_schema("name"))
    assert (name.types, name.nullable) == (("string",), True)
    score = _schema(category.property_schema("score"))
    assert score.minimum == Bound(0, exclusive=True)
    assert score.maximum == Bound(10)
    assert _schema(category.property_schema("kind")).const == Given("category")


def test_when_both_bound_forms_are_given_the_tighter_one_is_kept() -> None:
    document = catalogue_31()
    document["components"]["schemas"]["Category"] = {
        "type": "integer",
        "minimum": 5,
        "exclusiveMinimum": 2,
        "maximum": 9,
        "exclusiveMaximum": 9,
    }
    category = read_spec(document).schema_at("#/components/schemas/Category")
    assert category.minimum == Bound(5)
    assert category.maximum == Bound(9, exclusive=True)


def test_a_recursive_schema_closes_its_cycle_with_a_resolvable_schema_ref() -> None:
    spec = read_spec(catalogue_31())
    category = spec.schema_at("#/components/schemas/Category")
    assert category.property_schema("parent") == SchemaRef("#/components/schemas/Category")
    children = _schema(category.property_schema("children"))
    assert isinstance(children.items, SchemaRef)
    assert spec.schema_at(children.items.pointer) is category


def test_all_of_keeps_its_parts_resolved_and_read_only_marked() -> None:
    pet = read_spec(petstore_30()).schema_at("#/components/schemas/Pet")
    first, second = pet.all_of
    assert _schema(first).ref == "#/components/schemas/NewPet"
    assert _schema(_schema(second).property_schema("id")).read_only
    grandchild = _schema(_schema(first).property_schema("children")).items
    assert grandchild == SchemaRef("#/components/schemas/NewPet")


def test_every_fault_is_reported_at_once_with_its_pointer() -> None:
    document = petstore_30()
    del document["paths"]
    document["components"]["schemas"]["Error"]["properties"]["code"] = {
        "$ref": "#/components/schemas/Nothing"
    }
    document["components"]["schemas"]["NewPet"]["properties"]["tag"] = {"$ref": "other.yaml#/Tag"}
    problems = _problems(document)
    assert problems.keys() == {
        "#/paths",
        "#/components/schemas/Error/properties/code/$ref",
        "#/components/schemas/NewPet/properties/tag/$ref",
    }
    assert "points to nothing" in problems["#/components/schemas/Error/properties/code/$ref"]
    assert "not supported" in problems["#/components/schemas/NewPet/properties/tag/$ref"]


def test_an_unknown_parameter_location_and_a_bad_status_are_reported() -> None:
    document = petstore_30()
    pets = document["paths"]["/pets"]
    pets["get"]["parameters"][0]["in"] = "body"
    pets["post"]["responses"]["20x"] = {"description": "?"}
    problems = _problems(document)
    assert "unknown parameter location 'body'" in problems["#/paths/~1pets/get/parameters/0/in"]
    assert "not a status" in problems["#/paths/~1pets/post/responses/20x"]


def test_an_undeclared_security_scheme_and_a_swagger_2_document_are_reported() -> None:
    document = petstore_30()
    document["openapi"] = "2.0"
    document["security"] = [{"oauth": ["read"]}]
    problems = _problems(document)
    assert problems.keys() == {"#/openapi", "#/security/0/oauth"}


def test_a_ref_that_only_refers_to_itself_is_a_problem_not_a_loop() -> None:
    document = catalogue_31()
    document["components"]["schemas"]["Loop"] = {"$ref": "#/components/schemas/Loop"}
    assert "never reaches a schema" in _problems(document)["#/components/schemas/Loop"]

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings

from domain.testgen.examples import example, fits, integer_range, json_type
from domain.testgen.openapi import read_spec
from domain.testgen.schemas import Bound, Schema
from domain.testgen.shapes import fields, required_pointer, shape
from tests.unit.domain.testgen.generation import validator
from tests.unit.domain.testgen.schema_strategies import NODE, document_with, schemas
from tests.unit.domain.testgen.shop_spec import shop_31
from tests.unit.domain.testgen.specs import catalogue_31, petstore_30

PET = "#/components/schemas/Pet"
NEW_PET = "#/components/schemas/NewPet"


def example_of(schema: dict[str, Any], *, alternate: bool = False) -> object:
    spec = read_spec(document_with(schema))
    return example(spec, spec.schema_at("#/components/schemas/S"), alternate=alternate)


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "string", "example": "Rex", "default": "Max"}, "Rex"),
        ({"type": "string", "example": "R", "minLength": 2, "default": "Max"}, "Max"),
        ({"const": 7, "example": 3}, 7),
        ({"enum": ["b", "a"]}, "b"),
        ({"type": "integer", "exclusiveMinimum": 5}, 6),
        ({"type": "integer", "maximum": -3}, -3),
        ({"type": "number", "minimum": 0, "exclusiveMaximum": 1}, 0.5),
        ({"type": "string", "minLength": 9}, "examplexx"),
        ({"type": "string", "maxLength": 3}, "exa"),
        ({"type": "string", "pattern": "^[A-Z]{2}-\\d{3}$"}, "AA-000"),
        ({"type": "string", "format": "date-time"}, "2024-01-15T09:30:00Z"),
        ({"type": "string", "format": "uuid"}, "123e4567-e89b-42d3-a456-426614174000"),
        ({"type": "array", "items": {"type": "boolean"}, "minItems": 2}, [True, True]),
        ({"type": ["null"]}, None),
        ({"oneOf": [{"type": "null"}, {"type": "integer", "minimum": 4}]}, 4),
    ],
)
def test_an_example_uses_the_spec_first_then_the_keywords(
    schema: dict[str, Any], expected: object
) -> None:
    assert example_of(schema) == expected


def test_an_object_has_its_properties_except_read_only_ones() -> None:
    spec = read_spec(petstore_30())
    pet = example(spec, spec.schema_at(PET))
    assert isinstance(pet, dict)
    assert "id" not in pet  # read-only: the server sets it
    assert pet["name"] == "example"
    assert pet["tag"] == "cat"


def test_an_alternate_example_differs_wherever_the_schema_allows() -> None:
    spec = read_spec(shop_31())
    order = spec.schema_at("#/components/schemas/Order")
    first, second = example(spec, order), example(spec, order, alternate=True)
    assert isinstance(first, dict)
    assert isinstance(second, dict)
    assert all(first[key] != second[key] for key in first)
    assert validator(shop_31(), "#/components/schemas/Order").is_valid(second)


def test_cycles_end_in_an_empty_list_or_an_omitted_member() -> None:
    spec = read_spec(catalogue_31())
    category = example(spec, spec.schema_at("#/components/schemas/Category"))
    assert category == {"name": "example", "score": 5, "kind": "category", "children": []}
    leaf = {"label": "examp", "children": []}
    assert example_of({"$ref": NODE}) == {**leaf, "children": [leaf], "parent": leaf}


def test_a_required_cycle_that_allows_null_gives_null() -> None:
    document = document_with({"type": ["object", "null"], "required": ["s"]})
    document["components"]["schemas"]["S"]["properties"] = {"s": {"$ref": "#/components/schemas/S"}}
    spec = read_spec(document)
    assert example(spec, spec.schema_at("#/components/schemas/S")) == {"s": None}


def test_all_of_is_merged_and_read_only_members_left_out_of_the_fields() -> None:
    spec = read_spec(petstore_30())
    merged = shape(spec, spec.schema_at(PET))
    assert merged.required == ("name", "id")
    assert [f.name for f in fields(spec, spec.schema_at(PET))] == ["name", "tag", "children"]
    assert required_pointer(spec, spec.schema_at(PET), "name") == f"{NEW_PET}/required/0"
    assert required_pointer(spec, spec.schema_at(PET), "id") == f"{PET}/allOf/1/required/0"


def test_a_scalar_fits_its_keywords_or_not() -> None:
    schema = Schema("#", types=("integer",), minimum=Bound(1), maximum=Bound(5, exclusive=True))
    assert fits(schema, 4)
    assert not fits(schema, 5)
    assert not fits(schema, "4")
    assert integer_range(schema) == (1, 4)
    assert json_type(2.0) == "integer"
    assert json_type(True) == "boolean"


@settings(max_examples=150)
@given(schemas)
def test_property_every_example_is_valid_for_its_schema(schema: dict[str, Any]) -> None:
    document = document_with(schema)
    spec = read_spec(document)
    check = validator(document, "#/components/schemas/S")
    for alternate in (False, True):
        value = example(spec, spec.schema_at("#/components/schemas/S"), alternate=alternate)
        assert check.is_valid(value), (value, list(check.iter_errors(value))[:1])

"""The strategies written from JSON schemas draw only values those schemas accept: any schema
built from the keywords the writer reads (bounds of both dialects, lengths, patterns, enums,
arrays, objects with required members, `anyOf`, `allOf`, nullable types, recursive `$ref`s)."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

from adapters.testgen.pysource import layout
from adapters.testgen.strategies import StrategyWriter

TREE = {
    "type": "object",
    "required": ["label"],
    "properties": {
        "label": {"type": "string", "maxLength": 5},
        "kids": {"type": "array", "maxItems": 2, "items": {"$ref": "#/components/schemas/Tree"}},
    },
}


@st.composite
def integer_schemas(draw: st.DrawFn) -> dict[str, Any]:
    low = draw(st.integers(-1000, 1000))
    high = low + draw(st.integers(4, 1000))
    schema: dict[str, Any] = {"type": "integer"}
    schema["exclusiveMinimum" if draw(st.booleans()) else "minimum"] = low
    schema["exclusiveMaximum" if draw(st.booleans()) else "maximum"] = high
    if draw(st.booleans()) and high - low > 10:
        schema["multipleOf"] = draw(st.integers(2, 5))
    return schema


@st.composite
def number_schemas(draw: st.DrawFn) -> dict[str, Any]:
    low = draw(st.floats(-1e6, 1e6))
    high = low + draw(st.floats(1, 1e6))
    return {
        "type": "number",
        "exclusiveMinimum" if draw(st.booleans()) else "minimum": low,
        "exclusiveMaximum" if draw(st.booleans()) else "maximum": high,
    }


@st.composite
def string_schemas(draw: st.DrawFn) -> dict[str, Any]:
    low = draw(st.integers(0, 5))
    return draw(
        st.sampled_from(
            [
                {"type": "string", "minLength": low, "maxLength": low + 10},
                {"type": "string", "pattern": "^[a-z]{2,6}$"},
                {"type": "string", "pattern": "[0-9]{3}", "maxLength": 12},
                {"type": "string", "enum": ["a", "b", 'c"'], "nullable": True},
                {"type": ["string", "null"], "format": "date"},
                {"const": {"kind": "fixed"}},
            ]
        )
    )


SCALARS = st.one_of(
    integer_schemas(),
    number_schemas(),
    string_schemas(),
    st.just({"type": "boolean"}),
    st.just({"type": "null"}),
    st.just({"$ref": "#/components/schemas/Tree"}),
)


def containers(inner: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    objects = st.dictionaries(st.text(min_size=1, max_size=6), inner, max_size=4).flatmap(
        lambda properties: st.builds(
            lambda required: {
                "type": "object",
                "properties": properties,
                "required": sorted(required),
            },
            st.sets(st.sampled_from(sorted(properties))) if properties else st.just(set()),
        )
    )
    arrays = st.builds(
        lambda items, low, extra: {
            "type": "array",
            "items": items,
            "minItems": low,
            "maxItems": low + extra,
        },
        inner,
        st.integers(0, 2),
        st.integers(0, 3),
    )
    return st.one_of(
        objects,
        arrays,
        st.lists(inner, min_size=1, max_size=3).map(lambda parts: {"anyOf": parts}),
        st.lists(objects, min_size=1, max_size=3).map(
            lambda parts: {"allOf": [apart(n, part) for n, part in enumerate(parts)]}
        ),
    )


def apart(number: int, part: dict[str, Any]) -> dict[str, Any]:
    """An `allOf` part whose member names no other part uses (parts that disagree on a member
    would make a schema nothing satisfies)."""
    return {
        **part,
        "properties": {f"p{number}_{k}": v for k, v in part["properties"].items()},
        "required": [f"p{number}_{k}" for k in part["required"]],
    }


SCHEMAS = st.recursive(SCALARS, containers, max_leaves=8)


def drawn_from(schema: dict[str, Any]) -> tuple[st.SearchStrategy[Any], dict[str, Any]]:
    """The strategy the writer writes for `schema`, executed, and the document it came from."""
    document = {
        "openapi": "3.1.0",
        "components": {"schemas": {"Root": schema, "Tree": TREE}},
    }
    writer = StrategyWriter(document, set())
    root = writer.at("#/components/schemas/Root")
    source = "\n".join(f"{name} = {layout(node, 0)}" for name, node in writer.definitions)
    namespace: dict[str, Any] = {"st": st}
    exec(compile(f"{source}\nDRAWN = {layout(root, 0)}\n", "<strategies>", "exec"), namespace)  # noqa: S102
    return namespace["DRAWN"], document


def openapi_30_to_json_schema(schema: Any) -> Any:
    """Only what the generated schemas use of 3.0: `nullable` beside a type."""
    if isinstance(schema, list):
        return [openapi_30_to_json_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: openapi_30_to_json_schema(value) for key, value in schema.items()}
    if out.pop("nullable", False):
        out["type"] = [out["type"], "null"]
        out["enum"] = [*out.get("enum", []), None]
    return out


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.nested_given],
)
@given(schema=SCHEMAS, data=st.data())
def test_every_drawn_value_is_valid_against_its_schema(
    schema: dict[str, Any], data: st.DataObject
) -> None:
    strategy, document = drawn_from(schema)
    checked = openapi_30_to_json_schema(document)
    validator = jsonschema.Draft202012Validator({**checked, "$ref": "#/components/schemas/Root"})
    for _ in range(3):
        drawn = data.draw(strategy)
        assert validator.is_valid(drawn), (schema, drawn)


def test_a_recursive_schema_is_one_constant_deferred_where_it_refers_to_itself() -> None:
    writer = StrategyWriter({"components": {"schemas": {"Tree": TREE}}}, set())
    writer.at("#/components/schemas/Tree")
    ((name, node),) = writer.definitions
    assert name == "TREE"
    assert "st.lists(st.deferred(lambda: TREE), max_size=2)" in layout(node, 0)


def test_a_pointer_to_nothing_is_named_in_the_error() -> None:
    with pytest.raises(KeyError, match="#/components/schemas/Gone"):
        StrategyWriter({}, set()).at("#/components/schemas/Gone")


def test_a_schema_every_value_of_which_contains_another_still_draws_and_ends() -> None:
    """A required `parent` of the node's own schema has no finite value: an empty object ends
    the recursion (a body the server must refuse), where an optional one would not need to."""
    endless = {
        "type": "object",
        "required": ["parent"],
        "properties": {"parent": {"$ref": "#/components/schemas/Root"}},
    }
    strategy, _ = drawn_from(endless)
    assert find(strategy, lambda drawn: "parent" in drawn) == {"parent": {}}
    writer = StrategyWriter({"components": {"schemas": {"Root": endless, "Tree": TREE}}}, set())
    writer.at("#/components/schemas/Root")
    writer.at("#/components/schemas/Tree")
    texts = {name: layout(node, 0) for name, node in writer.definitions}
    assert "st.one_of(st.just({}), st.deferred(lambda: ROOT))" in texts["ROOT"]
    assert "st.just({})" not in texts["TREE"]

"""Hypothesis strategies for satisfiable OpenAPI 3.1 schemas (raw JSON), cycles included."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

NODE = "#/components/schemas/Node"
NODE_SCHEMA: dict[str, Any] = {  # a tree: every walk over it must end
    "type": "object",
    "properties": {
        "label": {"type": "string", "maxLength": 5},
        "children": {"type": "array", "items": {"$ref": NODE}},
        "parent": {"$ref": NODE},
    },
}
PATTERNS = [r"^[A-Z]{2}$", r"^[a-z0-9-]+$", r"^\d{3}-\d{4}$", r"^(cat|dog)s?$"]
FORMATS = ["date", "email", "uuid", "ipv4"]


@st.composite
def integers(draw: st.DrawFn) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "integer"}
    low = draw(st.none() | st.integers(-50, 50))
    high = draw(st.none() | st.integers(-50, 50))
    if low is not None and high is not None and low + 2 > high:
        low, high = min(low, high), max(low, high) + 2
    if low is not None:
        schema["exclusiveMinimum" if draw(st.booleans()) else "minimum"] = low
    if high is not None:
        schema["exclusiveMaximum" if draw(st.booleans()) else "maximum"] = high
    return schema


@st.composite
def numbers(draw: st.DrawFn) -> dict[str, Any]:
    schema = draw(integers())
    schema["type"] = "number"
    for key in ("minimum", "exclusiveMinimum"):
        if key in schema:
            schema[key] = schema[key] + draw(st.sampled_from([0, 0.25, 0.5]))
    return schema


@st.composite
def strings(draw: st.DrawFn) -> dict[str, Any]:
    shape = draw(st.sampled_from(["plain", "pattern", "format"]))
    if shape == "pattern":
        return {"type": "string", "pattern": draw(st.sampled_from(PATTERNS))}
    if shape == "format":
        return {"type": "string", "format": draw(st.sampled_from(FORMATS))}
    schema: dict[str, Any] = {"type": "string"}
    low = draw(st.none() | st.integers(0, 12))
    if low is not None:
        schema["minLength"] = low
    if draw(st.booleans()):
        schema["maxLength"] = (low or 0) + draw(st.integers(0, 12))
    return schema


scalars = st.one_of(
    integers(),
    numbers(),
    strings(),
    st.just({"type": "boolean"}),
    st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, unique=True).map(lambda m: {"enum": m}),
    st.integers(0, 3).map(lambda v: {"const": v}),
    st.just({"$ref": NODE}),
)


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if isinstance(schema.get("type"), str):
        return {**schema, "type": [schema["type"], "null"]}
    return schema


def _composite(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    @st.composite
    def objects(draw: st.DrawFn, names: tuple[str, ...] = ("a", "b", "c")) -> dict[str, Any]:
        properties = draw(st.dictionaries(st.sampled_from(names), children, max_size=3))
        required = [n for n in properties if draw(st.booleans())]
        return {"type": "object", "properties": properties, "required": required}

    @st.composite
    def arrays(draw: st.DrawFn) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "items": draw(children)}
        low = draw(st.none() | st.integers(0, 3))
        if low is not None:
            schema["minItems"] = low
        if draw(st.booleans()):
            schema["maxItems"] = (low or 0) + draw(st.integers(0, 3))
        return schema

    return st.one_of(
        objects(),
        arrays(),
        children.map(_nullable),
        st.tuples(objects(("a", "b")), objects(("c", "d"))).map(lambda p: {"allOf": list(p)}),
        st.lists(children, min_size=1, max_size=3).map(lambda b: {"anyOf": b}),
    )


schemas = st.recursive(scalars, _composite, max_leaves=12)


def document_with(schema: dict[str, Any]) -> dict[str, Any]:
    """A 3.1 document holding `schema` as `S` beside the recursive `Node`."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"S": schema, "Node": NODE_SCHEMA}},
    }

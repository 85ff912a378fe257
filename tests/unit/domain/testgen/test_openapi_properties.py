"""Properties of `read_spec`: it fails only in words, locates what it reads, and ends on cycles."""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from typing import Any, cast

from hypothesis import given
from hypothesis import strategies as st

from domain.errors import ValidationFailed
from domain.testgen.openapi import ApiSpec, read_spec
from domain.testgen.schemas import Schema, SchemaNode, SchemaRef
from tests.unit.domain.testgen.specs import catalogue_31, petstore_30

# Keys of the OpenAPI vocabulary, so random documents reach deep into the reader.
_KEYS = st.sampled_from(
    [
        *("openapi", "info", "paths", "components", "schemas", "$ref", "type", "properties"),
        *("items", "parameters", "in", "name", "responses", "get", "post", "/pets", "200"),
        *("security", "securitySchemes", "content", "application/json", "schema", "links"),
        *("allOf", "required", "minimum", "exclusiveMinimum", "enum", "operationId", "title"),
    ]
) | st.text(max_size=4)
_REFS = st.sampled_from(
    ["#/components/schemas/Pet", "#/paths", "#", "#/nothing", "x.yaml#/A", "#/components"]
)
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=6)
    | _REFS
)
_JSON = st.recursive(
    _SCALARS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_KEYS, children, max_size=4),
    max_leaves=20,
)


def _read_or_fail_in_words(document: object) -> ApiSpec | None:
    try:
        return read_spec(cast("Mapping[str, object]", document))
    except ValidationFailed as failure:
        problems = failure.problems
    assert problems
    assert all(p.path.startswith("#") for p in problems)
    return None


@given(_JSON)
def test_arbitrary_json_fails_only_with_validation_failed(document: object) -> None:
    _read_or_fail_in_words(document)


def _subtree_paths(node: object, prefix: tuple[object, ...] = ()) -> Iterator[tuple[object, ...]]:
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _subtree_paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _subtree_paths(value, (*prefix, index))


@given(st.data(), st.sampled_from([petstore_30, catalogue_31]), _JSON)
def test_a_real_spec_with_one_subtree_replaced_fails_only_in_words(
    data: st.DataObject, build: Any, replacement: object
) -> None:
    document = build()
    path = data.draw(st.sampled_from(list(_subtree_paths(document))[1:]))
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = replacement
    _read_or_fail_in_words(document)


def _resolve(document: object, pointer: str) -> object:
    node = document
    for raw in pointer.removeprefix("#/").split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        assert isinstance(node, dict)
        node = node[token]
    return node


_SEGMENTS = st.text(alphabet=string.ascii_letters + "~/{}-", min_size=1, max_size=6)
_METHODS = st.sets(st.sampled_from(["get", "put", "post", "delete", "patch"]), min_size=1)


@given(st.dictionaries(_SEGMENTS.map(lambda s: "/" + s), _METHODS, min_size=1, max_size=5))
def test_every_operation_location_points_back_at_it(methods_by_path: dict[str, set[str]]) -> None:
    paths = {
        path: {
            method: {
                "operationId": f"{method} {path}",
                "responses": {"200": {"description": "ok"}},
            }
            for method in methods
        }
        for path, methods in methods_by_path.items()
    }
    document = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths}
    spec = read_spec(document)
    assert len(spec.operations) == sum(map(len, methods_by_path.values()))
    for operation in spec.operations:
        found = _resolve(document, operation.location)
        assert isinstance(found, dict)
        assert (
            found["operationId"] == operation.operation_id == f"{operation.method} {operation.path}"
        )


def _nodes(node: SchemaNode | bool | None, *, top: bool = True) -> Iterator[SchemaNode]:
    """Nodes of one schema, not descending into other `$ref` targets (each is walked alone;
    shared targets make the whole a DAG, exponential to walk as a tree)."""
    if not isinstance(node, Schema | SchemaRef):
        return
    yield node
    if isinstance(node, Schema) and (top or node.ref is None):
        yield from _nodes(node.items, top=False)
        yield from _nodes(node.additional_properties, top=False)
        for _, child in node.properties:
            yield from _nodes(child, top=False)
        for part in (*node.all_of, *node.one_of, *node.any_of):
            yield from _nodes(part, top=False)


_GRAPHS = st.integers(1, 30).flatmap(
    lambda n: st.lists(
        st.lists(
            st.tuples(st.sampled_from(["property", "items", "allOf"]), st.integers(0, n - 1)),
            max_size=4,
        ),
        min_size=n,
        max_size=n,
    )
)


@given(_GRAPHS)
def test_schemas_that_refer_to_each_other_read_and_every_schema_ref_resolves(
    edges: list[list[tuple[str, int]]],
) -> None:
    def ref(target: int) -> dict[str, str]:
        return {"$ref": f"#/components/schemas/S{target}"}

    schemas: dict[str, Any] = {}
    for index, out in enumerate(edges):
        schema: dict[str, Any] = {"type": "object", "properties": {}}
        for number, (kind, target) in enumerate(out):
            if kind == "property":
                schema["properties"][f"p{number}"] = ref(target)
            elif kind == "items":
                schema["properties"][f"p{number}"] = {"type": "array", "items": ref(target)}
            else:
                schema.setdefault("allOf", []).append(ref(target))
        schemas[f"S{index}"] = schema
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }
    spec = read_spec(document)
    for pointer, read in spec.schemas:
        for node in _nodes(read):
            if isinstance(node, SchemaRef):
                assert spec.schema_at(node.pointer).location == node.pointer
        assert spec.schema_at(pointer) is read


def test_a_dense_web_of_references_reads_each_target_once() -> None:
    """Each `$ref` target is read once: a tree of 300 schemas whose nodes also name their
    parent, the root and themselves (hundreds of cycles) reads, and every schema appears once.
    (Read naively, following every path, it would not finish; how fast it reads is no test's
    business on a shared machine.)"""
    count = 300

    def ref(index: int) -> dict[str, str]:
        return {"$ref": f"#/components/schemas/S{index}"}

    schemas = {
        f"S{i}": {
            "type": "object",
            "properties": {
                "parent": ref(i // 2),
                "root": ref(0),
                "self": ref(i),
                "children": {
                    "type": "array",
                    "items": {"anyOf": [ref(c) for c in (2 * i + 1, 2 * i + 2) if c < count]},
                },
            },
        }
        for i in range(count)
    }
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }
    spec = read_spec(document)
    assert len(spec.schemas) == count
    refs = [n for _, read in spec.schemas for n in _nodes(read) if isinstance(n, SchemaRef)]
    assert refs
    assert all(spec.schema_at(n.pointer).location == n.pointer for n in refs)

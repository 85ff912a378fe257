"""A spec with a given number of operations, for timing generation at the issue's scale.

Built from the inventory spec's shape: resources `/things{n}` and `/things{n}/{id}` with the
five CRUD operations each, every resource its own constrained input schema (bounds, lengths,
enum, pattern, format, a nested object and a `$ref` cycle through `parent`), so every rule has
work on every operation; the last resource keeps only as many operations as the count needs.
"""

from __future__ import annotations

import copy
from typing import Any

from benchmarks.testgen.spec import SPEC

_PER_RESOURCE = ("get", "post"), ("get", "put", "delete")


def _input(n: int) -> dict[str, Any]:
    schema: dict[str, Any] = copy.deepcopy(SPEC["components"]["schemas"]["ItemInput"])
    schema["properties"] |= {
        "weight": {"type": "number", "exclusiveMinimum": True, "minimum": 0, "maximum": 50 + n},
        "dimensions": {
            "type": "object",
            "required": ["width"],
            "properties": {
                "width": {"type": "integer", "minimum": 1},
                "unit": {"type": "string", "enum": ["mm", "cm"]},
            },
        },
        "parent": {"$ref": f"#/components/schemas/Thing{n}Input"},
        "contact": {"type": "string", "format": "email", "maxLength": 80},
    }
    return schema


def _renamed(value: Any, n: int) -> Any:
    """`value` with every `$ref` to an inventory schema and every operation id made resource
    `n`'s own."""
    if isinstance(value, dict):
        out = {key: _renamed(item, n) for key, item in value.items()}
        if isinstance(value.get("$ref"), str) and value["$ref"] != "#/components/schemas/Problem":
            out["$ref"] = value["$ref"].replace("/Item", f"/Thing{n}")
        if isinstance(value.get("operationId"), str):
            out["operationId"] = f"{value['operationId']}{n}"
        return out
    if isinstance(value, list):
        return [_renamed(item, n) for item in value]
    return value


def _resource(n: int, wanted: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Paths and schemas of resource `n` with at most `wanted` operations."""
    paths: dict[str, Any] = {}
    for (old, new), methods in zip(
        (("/items", f"/things{n}"), ("/items/{itemId}", f"/things{n}/{{itemId}}")),
        _PER_RESOURCE,
        strict=True,
    ):
        source = _renamed(SPEC["paths"][old], n)
        chosen = list(methods)[: max(wanted, 0)]
        wanted -= len(chosen)
        if chosen:
            paths[new] = {
                key: value for key, value in source.items() if key == "parameters" or key in chosen
            }
            for method in chosen:
                paths[new][method]["tags"] = [f"things{n}"]
    schemas = {
        f"Thing{n}Input": _input(n),
        f"Thing{n}": copy.deepcopy(SPEC["components"]["schemas"]["Item"]),
        f"Thing{n}List": _renamed(SPEC["components"]["schemas"]["ItemList"], n),
    }
    return paths, schemas


def spec_with_operations(count: int = 100) -> dict[str, Any]:
    """An OpenAPI 3.0 document with exactly `count` operations."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {"Problem": copy.deepcopy(SPEC["components"]["schemas"]["Problem"])}
    n = 0
    while count > 0:
        n += 1
        more_paths, more_schemas = _resource(n, min(count, 5))
        paths |= more_paths
        schemas |= more_schemas
        count -= 5
    return {
        "openapi": "3.0.3",
        "info": {"title": "Generated things API", "version": "1.0.0"},
        "security": SPEC["security"],
        "paths": paths,
        "components": {
            "securitySchemes": SPEC["components"]["securitySchemes"],
            "schemas": schemas,
        },
    }

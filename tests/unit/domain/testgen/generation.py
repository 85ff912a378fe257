"""Helpers for the generation tests: pointers resolved in a raw document, cases picked from a
suite, a validator for raw schemas, and a synthetic spec of any number of operations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jsonschema import Draft202012Validator

from domain.testgen.cases import Rule, Suite, TestCase
from domain.testgen.generate import generate
from domain.testgen.openapi import read_spec


def at_pointer(document: Mapping[str, Any], pointer: str) -> object:
    """The value at a JSON pointer, following no `$ref`: KeyError when there is none."""
    node: object = document
    for raw in pointer.removeprefix("#").split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise KeyError(pointer)
    return node


def suite_for(document: dict[str, Any]) -> Suite:
    return generate(read_spec(document), "hash")


def cases_of(suite: Suite, rule: Rule, operation_id: str | None = None) -> list[TestCase]:
    return [
        c
        for c in suite.cases
        if c.rule is rule and (operation_id is None or c.operation_id == operation_id)
    ]


def one(suite: Suite, rule: Rule, operation_id: str, variant: str | None = None) -> TestCase:
    found = [
        c for c in cases_of(suite, rule, operation_id) if variant is None or c.variant == variant
    ]
    assert len(found) == 1, [c.variant for c in found]
    return found[0]


def validator(document: Mapping[str, Any], pointer: str) -> Draft202012Validator:
    """A validator for the schema at `pointer`, its `$ref`s resolved in `document`."""
    root = {"$ref": pointer, "components": document.get("components", {}), "paths": {}}
    root["paths"] = document.get("paths", {})
    return Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER)


def synthetic_spec(operations: int) -> dict[str, Any]:
    """A spec of `operations` operations over resources of four operations each (create, read,
    update, delete), each with a body of bounded fields, sharing one schema with a cycle."""
    paths: dict[str, Any] = {}
    for n in range(operations // 4 + 1):
        item = {"name": f"r{n}Id", "in": "path", "required": True, "schema": {"type": "integer"}}
        content = {"application/json": {"schema": {"$ref": f"#/components/schemas/R{n}"}}}
        body = {"required": True, "content": content}
        found = {"description": "ok", "content": content}
        read = {"200": found, "404": {"description": "missing"}}
        paths[f"/r{n}"] = {
            "post": {"operationId": f"create{n}", "requestBody": body, "responses": {"201": found}}
        }
        paths[f"/r{n}/{{r{n}Id}}"] = {
            "parameters": [item],
            "get": {"operationId": f"read{n}", "responses": read},
            "put": {"operationId": f"update{n}", "requestBody": body, "responses": read},
            "delete": {"operationId": f"delete{n}", "responses": {"204": {"description": "gone"}}},
        }
    kept = 0
    for path in list(paths):
        for method in list(paths[path]):
            if method == "parameters":
                continue
            kept += 1
            if kept > operations:
                del paths[path][method]
    schemas = {
        f"R{n}": {
            "type": "object",
            "required": ["name", "size"],
            "properties": {
                "id": {"type": "integer", "readOnly": True},
                "name": {"type": "string", "minLength": 1, "maxLength": 30, "pattern": "^[a-z]+$"},
                "size": {"type": "integer", "minimum": 0, "exclusiveMaximum": 10},
                "kind": {"enum": ["a", "b"]},
                "parent": {"$ref": f"#/components/schemas/R{n}"},
            },
        }
        for n in range(operations // 4 + 1)
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Synthetic", "version": "1"},
        "security": [{"token": []}],
        "paths": {p: item for p, item in paths.items() if set(item) - {"parameters"}},
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas,
        },
    }

"""The inventory API's OpenAPI 3.0 document, written by hand as data: it is the contract.

The correct variant of `benchmarks.testgen.inventory` satisfies it exactly, and every seeded
fault breaks it in one place, so a test that fails on a variant has found a real fault and a
test that fails on the correct variant is a false positive. The links on the create response
let a generator (ours or Schemathesis' stateful phase) chain create -> read -> update -> delete.
"""

from __future__ import annotations

from typing import Any

ADMIN_TOKEN = "inventory-admin-token"  # noqa: S105 - a fixed demo credential on loopback
READER_TOKEN = "inventory-reader-token"  # noqa: S105 - valid, but may only read

SKU_PATTERN = "^[A-Z]{3}-[0-9]{4}$"
STATUSES = ("active", "backorder", "discontinued")
NAME_MAX, QUANTITY_MAX, TAGS_MAX, TAG_MAX = 40, 1000, 5, 20
LIMIT_MAX = 100

_ITEM_ID = {
    "name": "itemId",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1},
}
_PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
_ITEM = {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}
_INPUT = {
    "required": True,
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ItemInput"}}},
}


def _problem(text: str) -> dict[str, Any]:
    return {"description": text, "content": _PROBLEM}


def _errors(*statuses: str) -> dict[str, Any]:
    texts = {
        "400": "The body is not JSON",
        "401": "No valid bearer token",
        "403": "The token may only read",
        "404": "No item with this id",
        "422": "The input breaks the schema",
    }
    return {status: _problem(texts[status]) for status in statuses}


def _link(operation_id: str) -> dict[str, Any]:
    return {"operationId": operation_id, "parameters": {"itemId": "$response.body#/id"}}


_CREATED = {
    "description": "Created; Location names the new item",
    "headers": {"Location": {"required": True, "schema": {"type": "string"}}},
    "content": _ITEM,
    "links": {
        "GetItem": _link("getItem"),
        "UpdateItem": _link("updateItem"),
        "DeleteItem": _link("deleteItem"),
    },
}

_SCHEMAS: dict[str, Any] = {
    "ItemInput": {
        "type": "object",
        "required": ["name", "sku", "quantity", "status"],
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": NAME_MAX},
            "sku": {"type": "string", "pattern": SKU_PATTERN},
            "quantity": {"type": "integer", "minimum": 0, "maximum": QUANTITY_MAX},
            "status": {"type": "string", "enum": list(STATUSES)},
            "tags": {
                "type": "array",
                "minItems": 0,
                "maxItems": TAGS_MAX,
                "items": {"type": "string", "minLength": 1, "maxLength": TAG_MAX},
            },
            "available_from": {"type": "string", "format": "date"},
        },
    },
    "Item": {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "name", "sku", "quantity", "status", "tags"],
        "properties": {
            "id": {"type": "integer", "minimum": 1},
            "name": {"type": "string", "minLength": 1, "maxLength": NAME_MAX},
            "sku": {"type": "string", "pattern": SKU_PATTERN},
            "quantity": {"type": "integer", "minimum": 0, "maximum": QUANTITY_MAX},
            "status": {"type": "string", "enum": list(STATUSES)},
            "tags": {
                "type": "array",
                "maxItems": TAGS_MAX,
                "items": {"type": "string", "minLength": 1, "maxLength": TAG_MAX},
            },
            "available_from": {"type": "string", "format": "date"},
        },
    },
    "ItemList": {
        "type": "object",
        "additionalProperties": False,
        "required": ["items", "total"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
            "total": {"type": "integer", "minimum": 0},
        },
    },
    "Problem": {
        "type": "object",
        "required": ["title", "status"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
        },
    },
}

_LIST_PARAMETERS = [
    {
        "name": "status",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "enum": list(STATUSES)},
    },
    {
        "name": "limit",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": LIMIT_MAX, "default": 20},
    },
]

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Inventory demo API", "version": "1.0.0"},
    "security": [{"bearer": []}],
    "paths": {
        "/items": {
            "get": {
                "operationId": "listItems",
                "tags": ["items"],
                "summary": "Items, newest first, optionally of one status",
                "parameters": _LIST_PARAMETERS,
                "responses": {
                    "200": {
                        "description": "The items",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ItemList"}
                            }
                        },
                    },
                    **_errors("401", "422"),
                },
            },
            "post": {
                "operationId": "createItem",
                "tags": ["items"],
                "summary": "Add an item (admin token only)",
                "requestBody": _INPUT,
                "responses": {"201": _CREATED, **_errors("400", "401", "403", "422")},
            },
        },
        "/items/{itemId}": {
            "parameters": [_ITEM_ID],
            "get": {
                "operationId": "getItem",
                "tags": ["items"],
                "summary": "One item",
                "responses": {
                    "200": {"description": "The item", "content": _ITEM},
                    **_errors("401", "404"),
                },
            },
            "put": {
                "operationId": "updateItem",
                "tags": ["items"],
                "summary": "Replace an item (admin token only)",
                "requestBody": _INPUT,
                "responses": {
                    "200": {"description": "The item as stored", "content": _ITEM},
                    **_errors("400", "401", "403", "404", "422"),
                },
            },
            "delete": {
                "operationId": "deleteItem",
                "tags": ["items"],
                "summary": "Remove an item (admin token only)",
                "responses": {
                    "204": {"description": "Removed"},
                    **_errors("401", "403", "404"),
                },
            },
        },
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": _SCHEMAS,
    },
}

"""A 3.1 shop spec for the generation rules, as decoded JSON (a fresh dict per call)."""

from __future__ import annotations

from typing import Any


def shop_31() -> dict[str, Any]:
    """3.1 shop for the generation rules: a create answering only with `Location`, a PATCH
    update, nested resources, an apiKey with a documented 403, patterns, formats, 3.1 exclusive
    bounds, item counts, a plain (non-id) path value, a form-only body, an operation without id."""
    order_id = {"name": "orderId", "in": "path", "required": True, "schema": {"type": "string"}}
    error = {"description": "error", "content": {"application/problem+json": {"schema": {}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Shop", "version": "3"},
        "security": [{"key": []}],
        "paths": {
            "/orders": {
                "post": {
                    "operationId": "createOrder",
                    "tags": ["orders"],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Order"}}
                        },
                    },
                    "responses": {
                        "201": {"description": "created", "headers": {"Location": {}}},
                        "422": error,
                    },
                }
            },
            "/orders/{orderId}": {
                "parameters": [order_id],
                "get": {
                    "operationId": "getOrder",
                    "tags": ["orders"],
                    "responses": {
                        "200": {
                            "description": "an order",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Order"}
                                }
                            },
                        },
                        "404": error,
                    },
                },
                "patch": {
                    "operationId": "changeOrder",
                    "tags": ["orders"],
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Order"}}
                        }
                    },
                    "responses": {"200": {"description": "changed"}, "403": error},
                },
                "delete": {
                    "operationId": "cancelOrder",
                    "tags": ["orders"],
                    "responses": {"204": {"description": "cancelled"}, "404": error},
                },
            },
            "/orders/{orderId}/lines": {
                "parameters": [order_id],
                "post": {
                    "operationId": "addLine",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["sku", "quantity"],
                                    "properties": {
                                        "sku": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$"},
                                        "quantity": {
                                            "type": "integer",
                                            "exclusiveMinimum": 0,
                                            "maximum": 99,
                                        },
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "201": {
                            "description": "added",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {"lineId": {"type": "integer"}},
                                    }
                                }
                            },
                        }
                    },
                },
            },
            "/orders/{orderId}/lines/{lineId}": {
                "get": {
                    "operationId": "getLine",
                    "parameters": [
                        order_id,
                        {"name": "lineId", "in": "path", "schema": {"type": "integer"}},
                    ],
                    "responses": {"200": {"description": "a line"}},
                }
            },
            "/reports/{year}": {
                "get": {
                    "parameters": [
                        {
                            "name": "year",
                            "in": "path",
                            "required": True,
                            "schema": {
                                "type": "integer",
                                "minimum": 2000,
                                "maximum": 2099,
                                "example": 2024,
                            },
                        },
                        {
                            "name": "ratio",
                            "in": "query",
                            "schema": {"type": "number", "exclusiveMaximum": 1},
                        },
                    ],
                    "security": [],
                    "responses": {"200": {"description": "a report"}},
                }
            },
            "/uploads": {
                "post": {
                    "operationId": "upload",
                    "requestBody": {
                        "required": True,
                        "content": {"multipart/form-data": {"schema": {"type": "object"}}},
                    },
                    "responses": {"201": {"description": "stored"}},
                }
            },
        },
        "components": {
            "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
            "schemas": {
                "Order": {
                    "type": "object",
                    "required": ["customer", "placed"],
                    "properties": {
                        "id": {"type": "string", "readOnly": True},
                        "customer": {"type": "string", "format": "email", "maxLength": 60},
                        "placed": {"type": "string", "format": "date"},
                        "updated": {"type": "string", "format": "date-time"},
                        "tags": {
                            "type": "array",
                            "items": {"type": "string"},
                            "minItems": 1,
                            "maxItems": 3,
                        },
                        "priority": {"oneOf": [{"type": "null"}, {"enum": [1, 2, 3]}]},
                        "secret": {"type": "string", "writeOnly": True},
                    },
                }
            },
        },
    }

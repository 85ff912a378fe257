"""OpenAPI documents for the model's tests, as decoded JSON: a 3.0 petstore and a 3.1 catalogue.

Each builder returns a fresh dict, so a test may break its copy without touching another's.
"""

from __future__ import annotations

from typing import Any


def petstore_30() -> dict[str, Any]:
    """CRUD on pets with links, path params, bearer and API-key security, a recursive schema."""
    pet_id = {"name": "petId", "in": "path", "required": True, "schema": {"type": "integer"}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Petstore", "version": "1.0.0"},
        "servers": [{"url": "https://pets.example/v1"}],
        "security": [{"bearer": []}],
        "paths": {
            "/pets": {
                "get": {
                    "operationId": "listPets",
                    "tags": ["pets"],
                    "parameters": [
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {
                                "type": "integer",
                                "minimum": 1,
                                "maximum": 100,
                                "exclusiveMaximum": True,
                            },
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "pets",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Pet"},
                                    }
                                }
                            },
                        }
                    },
                    "security": [],
                },
                "post": {
                    "operationId": "createPet",
                    "tags": ["pets"],
                    "requestBody": {"$ref": "#/components/requestBodies/NewPet"},
                    "responses": {
                        "201": {
                            "description": "created",
                            "headers": {"Location": {"schema": {"type": "string"}}},
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                            },
                            "links": {
                                "GetPet": {
                                    "operationId": "getPet",
                                    "parameters": {"petId": "$response.body#/id"},
                                }
                            },
                        },
                        "4XX": {"$ref": "#/components/responses/Error"},
                    },
                },
            },
            "/pets/{petId}": {
                "parameters": [
                    pet_id,
                    {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
                ],
                "get": {
                    "operationId": "getPet",
                    "tags": ["pets"],
                    "security": [{"apiKey": []}, {"bearer": []}],
                    "responses": {
                        "200": {
                            "description": "a pet",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                            },
                        },
                        "404": {"$ref": "#/components/responses/Error"},
                    },
                },
                "put": {
                    "operationId": "updatePet",
                    "parameters": [
                        {
                            "name": "X-Trace",
                            "in": "header",
                            "required": True,
                            "schema": {"type": "string", "minLength": 8},
                        }
                    ],
                    "requestBody": {"$ref": "#/components/requestBodies/NewPet"},
                    "responses": {"200": {"description": "updated"}},
                },
                "delete": {
                    "operationId": "deletePet",
                    "responses": {"204": {"description": "gone"}, "403": {"description": "no"}},
                },
            },
        },
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "Bearer", "bearerFormat": "JWT"},
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            },
            "requestBodies": {
                "NewPet": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/NewPet"}}
                    },
                }
            },
            "responses": {
                "Error": {
                    "description": "error",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                }
            },
            "schemas": {
                "NewPet": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string", "minLength": 1, "maxLength": 40},
                        "tag": {"type": "string", "nullable": True, "enum": ["cat", "dog"]},
                        "children": {
                            "type": "array",
                            "maxItems": 5,
                            "items": {"$ref": "#/components/schemas/NewPet"},
                        },
                    },
                },
                "Pet": {
                    "allOf": [
                        {"$ref": "#/components/schemas/NewPet"},
                        {
                            "type": "object",
                            "required": ["id"],
                            "properties": {"id": {"type": "integer", "readOnly": True}},
                        },
                    ]
                },
                "Error": {
                    "type": "object",
                    "properties": {"code": {"type": "integer"}, "message": {"type": "string"}},
                },
            },
        },
    }


def catalogue_31() -> dict[str, Any]:
    """3.1 forms: type lists with "null", numeric exclusive bounds, const, a recursive tree."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Catalogue", "version": "2"},
        "paths": {
            "/categories/{id}": {
                "get": {
                    "operationId": "getCategory",
                    "parameters": [{"name": "id", "in": "path", "schema": {"type": "string"}}],
                    "responses": {
                        "200": {
                            "description": "a category",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Category"}
                                }
                            },
                        },
                        "default": {"description": "error"},
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Category": {
                    "type": "object",
                    "properties": {
                        "name": {"type": ["string", "null"]},
                        "score": {"type": "number", "exclusiveMinimum": 0, "maximum": 10},
                        "kind": {"const": "category"},
                        "parent": {"$ref": "#/components/schemas/Category"},
                        "children": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Category"},
                        },
                    },
                }
            }
        },
    }

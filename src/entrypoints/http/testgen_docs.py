"""What the OpenAPI document says of the test-generation routes that Litestar cannot read off
their signatures: the spec upload's body, and the files route's two media types.

The upload is read from the request as it arrives (`testgen_uploads`), not parsed by Litestar,
so its body is declared here: an OpenAPI document as JSON (an object with `openapi`, `info` and
`paths`), as YAML text, or as the `file` of a multipart form. The files route answers JSON by
default and a zip archive with `?format=zip`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar.openapi.spec import Operation

#: The shape of an OpenAPI document, as far as the spec reader holds it to one before reading
#: on (it then names every other fault by its JSON pointer): what a client must send.
SPEC_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["openapi", "info", "paths"],
    "properties": {
        "openapi": {"type": "string", "pattern": r"^3\.[01]\."},
        "info": {
            "type": "object",
            "properties": {"title": {"type": "string"}, "version": {"type": "string"}},
        },
        "paths": {"type": "object"},
    },
}
UPLOAD_BODY: dict[str, Any] = {
    "required": True,
    "description": "An OpenAPI 3.0 or 3.1 document: JSON, YAML, or the `file` of a form.",
    "content": {
        "application/json": {"schema": SPEC_SCHEMA},
        "application/yaml": {"schema": {"type": "string"}},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        },
    },
}


@dataclass
class SpecUploadOperation(Operation):
    """The upload route's operation, with the body it reads itself."""

    def to_schema(self) -> dict[str, Any]:
        schema = super().to_schema()
        schema["requestBody"] = UPLOAD_BODY
        return schema


#: The webhook's body: the spec itself (no form: a pipeline signs the bytes it sends).
WEBHOOK_BODY: dict[str, Any] = {
    "required": True,
    "description": "An OpenAPI 3.0 or 3.1 document, JSON or YAML, exactly as signed.",
    "content": {k: v for k, v in UPLOAD_BODY["content"].items() if k != "multipart/form-data"},
}
WEBHOOK_HEADERS: list[dict[str, Any]] = [
    {
        "name": "X-Creditdesk-Tenant",
        "in": "header",
        "required": True,
        "description": "The tenant whose pipeline sends the spec.",
        "schema": {"type": "string"},
    },
    {
        "name": "X-Creditdesk-Signature",
        "in": "header",
        "required": True,
        "description": "`t=<unix seconds>,v1=<hex HMAC-SHA256 of t, a full stop and the body>`,"
        " keyed by the tenant's webhook secret.",
        "schema": {"type": "string"},
    },
]


@dataclass
class WebhookSpecOperation(Operation):
    """The webhook's operation: the signed body and the two headers it reads itself."""

    def to_schema(self) -> dict[str, Any]:
        schema = super().to_schema()
        schema["requestBody"] = WEBHOOK_BODY
        schema["parameters"] = [*schema.get("parameters", []), *WEBHOOK_HEADERS]
        return schema


@dataclass
class SuiteFilesOperation(Operation):
    """The files route's operation: its 200 is JSON, or a zip archive with `?format=zip`."""

    def to_schema(self) -> dict[str, Any]:
        schema = super().to_schema()
        ok = schema.get("responses", {}).get("200")
        if isinstance(ok, dict):
            ok["content"] = {
                "application/json": {"schema": {"type": "object"}},
                "application/zip": {"schema": {"type": "string", "format": "binary"}},
            }
        return schema

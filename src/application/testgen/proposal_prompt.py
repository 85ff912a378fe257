"""The question asked for extra test cases of one operation, and the answer's JSON schema.

The prompt describes the operation as the spec does (parameters, body fields with their
constraints, documented statuses, whether it needs credentials) and lists the titles of the
tests the rules already made, so the model proposes what they miss. It carries the spec's
text only: no credentials, no server address. Versioned like every prompt (the version is part
of the cache key).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from application.llm.ports import LlmRequest
from domain.pii import JsonValue
from domain.testgen.openapi import ApiSpec, Operation
from domain.testgen.rules.operations import body_schema
from domain.testgen.schemas import Schema
from domain.testgen.shapes import shape

PROPOSALS_PURPOSE = "testgen.proposals"
PROPOSALS_PROMPT_VERSION = "testgen.proposals/1"
MAX_EXISTING = 40

SYSTEM = (
    "You are a QA engineer extending an API test suite generated from an OpenAPI spec. "
    "Propose extra test cases for one operation that the listed tests do not cover: edge "
    "values, combinations of fields, documented error statuses. Use only the parameters, "
    "body fields and statuses the operation documents. Give parameter values as text and the "
    "body as JSON text (an empty string for no body). Credentials are one of: valid, none, "
    "invalid, limited (a user without the permission). Answer with JSON only."
)

PROPOSALS_SCHEMA: Mapping[str, JsonValue] = {
    "type": "object",
    "properties": {
        "cases": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "title": {"type": "string"},
                    "expected_status": {"type": "string"},
                    "parameters": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "name": {"type": "string"},
                                "location": {"type": "string", "enum": ["path", "query", "header"]},
                                "value": {"type": "string"},
                            },
                            "required": ["name", "location", "value"],
                            "additionalProperties": False,
                        },
                    },
                    "body_json": {"type": "string"},
                    "credentials": {
                        "type": "string",
                        "enum": ["valid", "none", "invalid", "limited"],
                    },
                },
                "required": ["title", "expected_status", "parameters", "body_json", "credentials"],
                "additionalProperties": False,
            },
        }
    },
    "required": ["cases"],
    "additionalProperties": False,
}


def _constraints(schema: Schema) -> str:
    parts = ["|".join(schema.types) or "any"]
    if schema.format:
        parts.append(f"format {schema.format}")
    if schema.enum is not None:
        parts.append("one of " + ", ".join(repr(v) for v in schema.enum))
    for word, bound in (("minimum", schema.minimum), ("maximum", schema.maximum)):
        if bound is not None:
            parts.append(f"{'exclusive ' if bound.exclusive else ''}{word} {bound.value}")
    for word, value in (
        ("minLength", schema.min_length),
        ("maxLength", schema.max_length),
        ("minItems", schema.min_items),
        ("maxItems", schema.max_items),
    ):
        if value is not None:
            parts.append(f"{word} {value}")
    if schema.pattern:
        parts.append(f"pattern {schema.pattern}")
    return ", ".join(parts)


def proposals_prompt(spec: ApiSpec, op: Operation, existing: Iterable[str], wanted: int) -> str:
    lines = [
        f"API: {spec.title} {spec.version}",
        f"Operation: {op.method.upper()} {op.path}"
        + (f" (operationId {op.operation_id})" if op.operation_id else ""),
    ]
    if op.summary:
        lines.append(f"Summary: {op.summary}")
    lines.append(f"Credentials: {'required' if op.security else 'not required'}")
    lines.append("Parameters:" if op.parameters else "Parameters: none")
    for parameter in op.parameters:
        kind = _constraints(shape(spec, parameter.schema)) if parameter.schema else "any"
        required = ", required" if parameter.required else ""
        lines.append(f"- {parameter.name} ({parameter.location}{required}): {kind}")
    media = body_schema(op)
    if media is None:
        lines.append("Body: none" if op.request_body is None else "Body: not JSON")
    else:
        body = shape(spec, media[1])
        lines.append(f"Body ({media[0]}): {_constraints(body)}; fields:")
        for name, member in body.properties:
            required = ", required" if name in body.required else ""
            lines.append(f"- {name}{required}: {_constraints(shape(spec, member))}")
    lines.append("Documented statuses: " + ", ".join(r.status for r in op.responses))
    titles = list(existing)
    lines.append("Tests already in the suite:")
    lines.extend(f"- {title}" for title in titles[:MAX_EXISTING])
    if len(titles) > MAX_EXISTING:
        lines.append(f"- ... and {len(titles) - MAX_EXISTING} more")
    lines.append(f"Propose up to {wanted} extra test cases.")
    return "\n".join(lines)


def proposals_request(
    spec: ApiSpec, op: Operation, existing: Iterable[str], wanted: int
) -> LlmRequest:
    return LlmRequest(
        purpose=PROPOSALS_PURPOSE,
        prompt_version=PROPOSALS_PROMPT_VERSION,
        system=SYSTEM,
        user=proposals_prompt(spec, op, existing, wanted),
        schema_name="test_proposals",
        json_schema=PROPOSALS_SCHEMA,
        max_output_tokens=2_000,
    )

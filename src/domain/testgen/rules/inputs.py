"""Rules about what a request sends: a required field or parameter left out, a value of the wrong
type, a body that is not JSON, and a property test over bodies drawn from the schema.

Each negative case starts from the valid request of the happy path and breaks one thing, so the
4XX it expects can only be about that thing.
"""

from __future__ import annotations

from attrs import evolve

from domain.pii import JsonValue
from domain.testgen.cases import Expectation, JsonBody, RawBody, Request, Rule, SchemaBody, TestCase
from domain.testgen.examples import kind_of
from domain.testgen.openapi import ApiSpec, Operation
from domain.testgen.rules.build import case
from domain.testgen.rules.operations import (
    IGNORED_HEADERS,
    body_text,
    name_of,
    path_parameters,
    prepare,
    with_param,
)
from domain.testgen.schemas import Schema, child
from domain.testgen.shapes import fields, ref_of, required_pointer, resolve, shape, unambiguous

_NOT_A = {
    "integer": "not-a-number",
    "number": "not-a-number",
    "boolean": "not-a-boolean",
    "array": "not-an-array",
    "object": "not-an-object",
}


def required_field_missing(spec: ApiSpec, op: Operation) -> tuple[TestCase, ...]:
    """Leaving out a required body member, query or header parameter, or the required body."""
    prepared = prepare(spec, op)
    if prepared is None:
        return ()
    found = []
    name = name_of(spec, op)

    def missing(variant: str, location: str, request: Request, what: str) -> None:
        found.append(
            case(
                spec,
                op,
                Rule.REQUIRED_FIELD_MISSING,
                location=location,
                title=f"{name}: without {what} the request is refused (4XX)",
                request=request,
                expectation=Expectation("4XX"),
                setup=prepared.setup,
                variant=variant,
            )
        )

    body, body_at = prepared.body, prepared.body_at
    if isinstance(body, dict) and body_at is not None and unambiguous(spec, body_at[1]):
        for field in fields(spec, body_at[1]):
            if field.required and field.name in body:
                rest = {k: v for k, v in body.items() if k != field.name}
                location = required_pointer(spec, body_at[1], field.name) or field.schema.location
                request = evolve(prepared.request, body=JsonBody(rest))
                missing(field.name, location, request, f"the required member {field.name!r}")
    for p in op.parameters:
        if p.location in ("query", "header") and p.required and p.pointer:
            if p.name.lower() in IGNORED_HEADERS:
                continue
            query = p.location == "query"
            kept = prepared.request.query if query else prepared.request.headers
            others = tuple(pair for pair in kept if pair[0] != p.name)
            request = (
                evolve(prepared.request, query=others)
                if query
                else evolve(prepared.request, headers=others)
            )
            missing(f"{p.location} {p.name}", p.pointer, request, f"the {p.location} {p.name!r}")
    if op.request_body and op.request_body.required and body_at is not None:
        request = evolve(prepared.request, body=None)
        missing("body", child(op.location, "requestBody"), request, "its required body")
    return tuple(found)


def wrong_value(schema: Schema) -> JsonValue:
    """A value of a type the schema does not accept (None when every type is accepted)."""
    types = schema.types
    if not types:
        return None
    if "string" not in types:
        return _NOT_A[types[0]]
    if "integer" not in types and "number" not in types:
        return 12345
    return None


def wrong_type(spec: ApiSpec, op: Operation) -> tuple[TestCase, ...]:
    """A body member or parameter of the wrong JSON type is refused (4XX)."""
    prepared = prepare(spec, op)
    if prepared is None:
        return ()
    found = []
    name = name_of(spec, op)
    body, body_at = prepared.body, prepared.body_at
    targets: list[tuple[str, str, JsonValue, Request]] = []
    if isinstance(body, dict) and body_at is not None and unambiguous(spec, body_at[1]):
        for field in fields(spec, body_at[1]):
            value = wrong_value(field.schema) if unambiguous(spec, field.node) else None
            if value is not None and field.name in body:
                request = evolve(prepared.request, body=JsonBody({**body, field.name: value}))
                targets.append((field.name, field.schema.location, value, request))
    for p in (*path_parameters(op), *(q for q in op.parameters if q.location == "query")):
        schema = shape(spec, p.schema) if p.schema is not None else None
        if schema is None or not schema.types or "string" in schema.types:
            continue
        value = _NOT_A.get(kind_of(schema))
        if value is None or kind_of(schema) in ("array", "object"):
            continue
        if p.location == "path":
            request = evolve(
                prepared.request,
                path_params=with_param(prepared.request.path_params, p.name, value),
            )
        else:
            request = evolve(
                prepared.request, query=with_param(prepared.request.query, p.name, value)
            )
        targets.append((f"{p.location} {p.name}", p.pointer or op.location, value, request))
    for variant, location, value, request in targets:
        found.append(
            case(
                spec,
                op,
                Rule.WRONG_TYPE,
                location=location,
                title=f"{name}: {variant} as {value!r} (wrong type) is refused (4XX)",
                request=request,
                expectation=Expectation("4XX"),
                setup=prepared.setup,
                variant=variant,
            )
        )
    return tuple(found)


def malformed_json(spec: ApiSpec, op: Operation) -> tuple[TestCase, ...]:
    """A JSON body cut short is refused (4XX), not a 5XX."""
    prepared = prepare(spec, op)
    if prepared is None or prepared.body_at is None:
        return ()
    text = body_text(prepared.body)
    broken = text[:-1] if isinstance(prepared.body, dict | list) else "{"
    request = evolve(prepared.request, body=RawBody(broken, prepared.body_at[0]))
    return (
        case(
            spec,
            op,
            Rule.MALFORMED_JSON,
            location=child(op.location, "requestBody"),
            title=f"{name_of(spec, op)}: a body that is not JSON is refused (4XX)",
            request=request,
            expectation=Expectation("4XX"),
            setup=prepared.setup,
        ),
    )


def property_bodies(spec: ApiSpec, op: Operation) -> tuple[TestCase, ...]:
    """Any body Hypothesis draws from the schema gets a 2XX or a 4XX (never a 5XX), and the
    response matches what the spec documents for its status."""
    prepared = prepare(spec, op)
    if prepared is None or prepared.body_at is None:
        return ()
    media, node = prepared.body_at
    if kind_of(shape(spec, node)) != "object":
        return ()
    pointer = ref_of(node) or resolve(spec, node).location
    return (
        case(
            spec,
            op,
            Rule.PROPERTY,
            location=pointer,
            title=f"{name_of(spec, op)}: any body drawn from its schema gets a 2XX or a 4XX",
            request=evolve(prepared.request, body=SchemaBody(pointer, media)),
            expectation=Expectation("2XX", also=("4XX",)),
            setup=prepared.setup,
        ),
    )

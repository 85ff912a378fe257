"""Building a case for an operation, and the values that stand for ids nobody created."""

from __future__ import annotations

import re

from domain.pii import JsonValue
from domain.testgen.cases import (
    BoundaryKeyword,
    Expectation,
    JsonBody,
    Request,
    Rule,
    Step,
    TestCase,
)
from domain.testgen.examples import integer_range, kind_of
from domain.testgen.openapi import ApiSpec, Operation, Parameter
from domain.testgen.patterns import sample
from domain.testgen.rules.operations import name_of, tag_of
from domain.testgen.schemas import Schema
from domain.testgen.shapes import shape

UNKNOWN_UUID = "00000000-0000-4000-8000-000000000000"
_PLACEHOLDER = re.compile(r"\{[^{}]+\}")


def case(
    spec: ApiSpec,
    op: Operation,
    rule: Rule,
    *,
    location: str,
    title: str,
    request: Request,
    expectation: Expectation,
    setup: tuple[Step, ...] = (),
    variant: str = "",
    keyword: BoundaryKeyword | None = None,
) -> TestCase:
    """A case on `op`: its name, method, path template and tag; `setup` runs before it."""
    return TestCase(
        rule=rule,
        operation_id=name_of(spec, op),
        method=op.method.upper(),
        path=op.path,
        location=location,
        request=request,
        expectation=expectation,
        title=title,
        variant=variant,
        keyword=keyword,
        tag=tag_of(op),
        steps=needed_steps(setup, request),
    )


def placeholders(request: Request) -> set[str]:
    """The captures a request refers to: values that are exactly `{name}`, body leaves too."""
    found = {
        value[1:-1]
        for _, value in (*request.path_params, *request.query, *request.headers)
        if _PLACEHOLDER.fullmatch(value)
    }
    if isinstance(request.body, JsonBody):
        found.update(_leaves(request.body.value))
    return found


def _leaves(value: JsonValue) -> set[str]:
    if isinstance(value, str):
        return {value[1:-1]} if value[:1] == "{" and _PLACEHOLDER.fullmatch(value) else set()
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return {name for item in items for name in _leaves(item)}


def needed_steps(setup: tuple[Step, ...], request: Request) -> tuple[Step, ...]:
    """`setup` without the creates whose captures nothing after them uses (a case that swaps a
    captured id for a made-up one needs no create)."""
    if not any(step.captures for step in setup):
        return setup
    needed = placeholders(request)
    kept: list[Step] = []
    for step in reversed(setup):
        if step.captures and not any(c.name in needed for c in step.captures):
            continue
        kept.append(step)
        needed.update(step.uses)
        needed.update(placeholders(step.request))
    return tuple(reversed(kept))


def unknown_value(spec: ApiSpec, parameter: Parameter) -> str:
    """An id valid in form that no create has returned: a 404 for it means "not found"."""
    schema = shape(spec, parameter.schema) if parameter.schema is not None else Schema("#")
    if schema.format == "uuid":
        return UNKNOWN_UUID
    if kind_of(schema) in ("integer", "number"):
        highest = integer_range(schema)[1]
        return str(987654321 if highest is None else min(987654321, highest))
    if schema.pattern:
        shortest = sample(schema.pattern)
        if shortest is not None:
            longer = sample(schema.pattern, len(shortest) + 6)
            return longer or shortest
    text = "unknown-id-0000"
    if schema.max_length is not None:
        text = text[: schema.max_length]
    return text + "0" * max(0, (schema.min_length or 0) - len(text))

"""Rules about responses: the body of a valid request's response matches its documented schema,
and it arrives within the response-time budget."""

from __future__ import annotations

from domain.testgen.cases import Expectation, Rule, TestCase
from domain.testgen.openapi import ApiSpec, Operation
from domain.testgen.rules.build import case
from domain.testgen.rules.operations import (
    json_media,
    name_of,
    prepare,
    replays,
    response_pointer,
    success,
)
from domain.testgen.shapes import ref_of, resolve

RESPONSE_TIME_BUDGET_MS = 1000  # generous for one request to a test server; a slow path shows


def response_schema(spec: ApiSpec, op: Operation) -> tuple[TestCase, ...]:
    """The documented 2XX response of a valid request is valid against its JSON schema."""
    response = success(op)
    media = json_media(response.content) if response else None
    prepared = prepare(spec, op) if media else None
    if response is None or media is None or prepared is None:
        return ()
    pointer = ref_of(media[1]) or resolve(spec, media[1]).location
    return (
        case(
            spec,
            op,
            Rule.RESPONSE_SCHEMA,
            location=response_pointer(op, response.status),
            title=f"{name_of(spec, op)}: the {response.status} body matches its schema",
            request=prepared.request,
            # a replay (200 beside 201) is checked against its own documented schema instead
            expectation=Expectation(
                response.status,
                response_schema=None if replays(op) else pointer,
                also=replays(op),
            ),
            setup=prepared.setup,
            variant=response.status,
        ),
    )


def response_time(spec: ApiSpec, op: Operation) -> tuple[TestCase, ...]:
    """A valid request is answered within the budget."""
    prepared = prepare(spec, op)
    if prepared is None:
        return ()
    response = success(op)
    status = response.status if response else "2XX"
    return (
        case(
            spec,
            op,
            Rule.RESPONSE_TIME,
            location=op.location,
            title=f"{name_of(spec, op)}: answered within {RESPONSE_TIME_BUDGET_MS} ms",
            request=prepared.request,
            expectation=Expectation(
                status,
                time_budget_ms=RESPONSE_TIME_BUDGET_MS,
                also=replays(op),
                validate_body=False,
            ),
            setup=prepared.setup,
        ),
    )

"""Hypothesis strategies for test cases of every shape, with hostile text where text can go
(titles, parameter values, JSON keys and strings, raw bodies): what the renderer must always
turn into a module that compiles and means what the case says."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from domain.testgen.cases import (
    BoundaryKeyword,
    Capture,
    Credentials,
    Expectation,
    JsonBody,
    RawBody,
    Request,
    Rule,
    SchemaBody,
    Step,
    TestCase,
)

NAMES = st.from_regex(r"[a-zA-Z][a-zA-Z0-9_]{0,12}", fullmatch=True)
HOSTILE = st.one_of(
    st.text(max_size=30),
    st.sampled_from(['"""', "'''", "\\", '\\"', "{petId}", "\x00\n\r\t", "é漢字🙂", '"', "x" * 60]),
)
JSON_VALUES: st.SearchStrategy[Any] = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        HOSTILE,
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(HOSTILE, inner, max_size=4)
    ),
    max_leaves=12,
)
PARAMS = st.lists(st.tuples(HOSTILE, HOSTILE), max_size=3).map(tuple)
STATUSES = st.one_of(st.integers(100, 599).map(str), st.sampled_from(["2XX", "4XX", "5XX"]))
POINTERS = st.sampled_from(
    [
        "#/components/schemas/NewPet",
        "#/components/schemas/Pet",
        "#/components/schemas/Error",
        "#/components/requestBodies/NewPet/content/application~1json/schema",
    ]
)
BODIES = st.one_of(
    st.none(),
    JSON_VALUES.map(JsonBody),
    st.builds(RawBody, HOSTILE, st.sampled_from(["application/json", "text/plain"])),
    st.builds(SchemaBody, POINTERS),
)
REQUESTS = st.builds(
    Request,
    path_params=PARAMS,
    query=PARAMS,
    headers=PARAMS,
    body=BODIES,
    credentials=st.sampled_from(Credentials),
)
EXPECTATIONS = st.builds(
    Expectation,
    status=STATUSES,
    response_schema=st.none() | POINTERS,
    time_budget_ms=st.none() | st.integers(1, 60_000),
    also=st.lists(STATUSES, max_size=2).map(tuple),
    body_includes=st.none() | JSON_VALUES.map(JsonBody),
    validate_body=st.booleans(),
)


@st.composite
def steps(draw: st.DrawFn) -> tuple[Step, ...]:
    found: list[Step] = []
    captured: list[str] = []
    for _ in range(draw(st.integers(0, 3))):
        captures = tuple(
            Capture(name, source)
            for name, source in draw(
                st.lists(
                    st.tuples(NAMES, st.sampled_from(["$response.body#/id", "$response.header.X"])),
                    max_size=2,
                    unique_by=lambda pair: pair[0],
                )
            )
        )
        uses = tuple(draw(st.lists(st.sampled_from(captured), unique=True))) if captured else ()
        found.append(
            Step(
                draw(HOSTILE),
                draw(NAMES),
                draw(st.sampled_from(["get", "post", "put", "delete"])),
                draw(HOSTILE),
                draw(REQUESTS),
                draw(EXPECTATIONS),
                captures,
                uses,
            )
        )
        captured.extend(c.name for c in captures)
    return tuple(found)


@st.composite
def cases(draw: st.DrawFn) -> TestCase:
    rule = draw(st.sampled_from(Rule))
    return TestCase(
        rule=rule,
        operation_id=draw(NAMES),
        method=draw(st.sampled_from(["get", "post", "put", "patch", "delete"])),
        path="/" + draw(HOSTILE),
        location="#/" + draw(HOSTILE),
        request=draw(REQUESTS),
        expectation=draw(EXPECTATIONS),
        title=draw(HOSTILE),
        variant=draw(st.one_of(st.just(""), NAMES, HOSTILE)),
        keyword=draw(st.sampled_from(BoundaryKeyword)) if rule is Rule.BOUNDARY else None,
        tag=draw(st.none() | NAMES | HOSTILE),
        steps=draw(steps()),
    )


CASE_LISTS = st.lists(cases(), min_size=1, max_size=5, unique_by=lambda case: case.id)

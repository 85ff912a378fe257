"""One test function per case: the requests it sends and the checks on what comes back, written
so a reviewer reads the case off the code (`api.send(...)`, `api.expect(response, "201")`).

A chain's steps come first, each under a numbered comment, capturing what later requests use;
the case's own request and expectation close the test. A body the case leaves to Hypothesis
(`SchemaBody`) becomes a `@given` argument drawn from the strategy the `StrategyWriter` writes.
"""

from __future__ import annotations

import textwrap

from adapters.testgen.pysource import (
    LINE,
    Atom,
    Bracket,
    Node,
    Pair,
    call,
    docstring,
    layout,
    pairs_dict,
    plain_text,
    string,
    string_node,
    value,
)
from adapters.testgen.strategies import StrategyWriter
from domain.testgen.cases import (
    Capture,
    Credentials,
    Expectation,
    JsonBody,
    RawBody,
    Request,
    SchemaBody,
    TestCase,
)

INDENT = 4


def case_function(case: TestCase, name: str, strategies: StrategyWriter) -> str:
    """The whole function, decorators included, without surrounding blank lines."""
    drawn = _drawn_bodies(case)
    arguments = {
        body: ("body" if len(drawn) == 1 else f"body_{n}") for n, body in enumerate(drawn, 1)
    }
    head: list[str] = []
    if drawn:
        given = call("@given", *(Pair(f"{arguments[b]}=", strategies.at(b.pointer)) for b in drawn))
        head = ["@PROPERTY_SETTINGS", layout(given, 0)]
    params = ", ".join(("api", *arguments.values()))
    signature = f"def {name}({params}):"
    if len(signature) > LINE:  # as `ruff format` breaks it: one parameter a line
        signature = f"def {name}(\n" + "".join(f"    {p},\n" for p in params.split(", ")) + "):"
    head.append(signature)
    body = [docstring(_doc_lines(case), INDENT)]
    if not case.steps:
        body.extend(
            _exchange(case.method, case.path, case.request, case.expectation, arguments=arguments)
        )
        return "\n".join((*head, *body))
    for number, step in enumerate(case.steps, 1):
        body.append("")
        body.extend(_comment(f"{number}. {step.title}"))
        body.extend(
            _exchange(
                step.method,
                step.path,
                step.request,
                step.expectation,
                captures=step.captures,
                arguments=arguments,
            )
        )
    body.append("")
    body.extend(_comment(f"{len(case.steps) + 1}. The request under test."))
    body.extend(
        _exchange(case.method, case.path, case.request, case.expectation, arguments=arguments)
    )
    return "\n".join((*head, *body))


def _drawn_bodies(case: TestCase) -> list[SchemaBody]:
    found: list[SchemaBody] = []
    for request in (*(step.request for step in case.steps), case.request):
        if isinstance(request.body, SchemaBody) and request.body not in found:
            found.append(request.body)
    return found


def _doc_lines(case: TestCase) -> list[str]:
    width = LINE - INDENT - 3
    title = " ".join(plain_text(case.title).split())
    lines = textwrap.wrap(title or case.operation_id, width) or [""]
    rule = case.rule.value + (f" ({case.keyword.value})" if case.keyword else "")
    operation = f"Operation: {case.method.upper()} {case.path} ({case.operation_id})"
    spec = [f"Spec: {case.location}"]
    if INDENT + len(spec[0]) > LINE:  # a pointer alone on its line may run long
        spec = ["Spec:", f"    {case.location}"]
    return [*lines, "", f"Rule: {rule}", operation, *spec]


def _comment(text: str) -> list[str]:
    wrapped = textwrap.wrap(" ".join(plain_text(text).split()), LINE - INDENT - 2) or [""]
    return [f"{' ' * INDENT}# {line}" for line in wrapped]


def _statement(target: str, node: Node) -> str:
    pad = " " * INDENT
    return pad + target + layout(node, INDENT, INDENT + len(target))


def _exchange(
    method: str,
    path: str,
    request: Request,
    expectation: Expectation,
    *,
    captures: tuple[Capture, ...] = (),
    arguments: dict[SchemaBody, str],
) -> list[str]:
    sent = call(
        "api.send",
        Atom(string(method.upper())),
        Atom(string(path)),
        path_params=pairs_dict(request.path_params) if request.path_params else None,
        query=pairs_dict(request.query) if request.query else None,
        headers=pairs_dict(request.headers) if request.headers else None,
        **_body(request, arguments),
        credentials=None
        if request.credentials is Credentials.VALID
        else Atom(string(request.credentials.value)),
    )
    lines = [_statement("response = ", sent), _statement("", _expect(expectation))]
    lines.extend(
        _statement(
            "",
            call("api.capture", Atom("response"), Atom(string(c.name)), Atom(string(c.source))),
        )
        for c in captures
    )
    return lines


def _body(request: Request, arguments: dict[SchemaBody, str]) -> dict[str, Node | None]:
    body = request.body
    if isinstance(body, JsonBody):
        return {"body": value(body.value)}
    if isinstance(body, RawBody):
        media = None if body.media_type == "application/json" else Atom(string(body.media_type))
        return {"raw": string_node(body.text), "media_type": media}
    if isinstance(body, SchemaBody):
        media = None if body.media_type == "application/json" else Atom(string(body.media_type))
        return {"body": Atom(arguments[body]), "media_type": media}
    return {}


def _expect(expectation: Expectation) -> Bracket:
    also = (
        Bracket("(", tuple(Atom(string(s)) for s in expectation.also), ")", single_comma=True)
        if expectation.also
        else None
    )
    includes = expectation.body_includes
    return call(
        "api.expect",
        Atom("response"),
        Atom(string(expectation.status)),
        also=also,
        schema=Atom(string(expectation.response_schema)) if expectation.response_schema else None,
        validate_body=None if expectation.validate_body else Atom("False"),
        body_includes=None if includes is None else value(includes.value),
        within_ms=None
        if expectation.time_budget_ms is None
        else Atom(str(expectation.time_budget_ms)),
    )

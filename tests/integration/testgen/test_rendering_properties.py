"""Whatever the cases hold (quotes, backslashes, braces, control characters, any JSON), the
rendered modules compile, name every case's function, and send exactly what the case says."""

from __future__ import annotations

import ast
from typing import Any

from hypothesis import HealthCheck, given, settings

from adapters.testgen.renderer import PytestRenderer
from domain.testgen.cases import JsonBody, Params, TestCase, suite_of
from domain.testgen.openapi import read_spec
from tests.integration.testgen.case_strategies import CASE_LISTS
from tests.unit.domain.testgen.specs import petstore_30

DOCUMENT = petstore_30()
SPEC = read_spec(DOCUMENT)


def evaluated(node: ast.expr) -> Any:
    """The value of a literal-like expression the renderer wrote (`"a" * 30` included)."""
    return eval(compile(ast.Expression(node), "<rendered>", "eval"), {"__builtins__": {}})  # noqa: S307


def as_params(pairs: Params) -> Any:
    names = [name for name, _ in pairs]
    return dict(pairs) if len(set(names)) == len(names) else [tuple(pair) for pair in pairs]


def last_send(function: ast.FunctionDef) -> dict[str, Any]:
    calls = [
        node
        for node in ast.walk(function)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "send"
    ]
    last = max(calls, key=lambda call: call.lineno)
    sent = {kw.arg: kw.value for kw in last.keywords if kw.arg}
    return {
        "method": evaluated(last.args[0]),
        "path": evaluated(last.args[1]),
        **{name: evaluated(value) for name, value in sent.items() if name != "body"},
        "body": sent.get("body"),
    }


def check_request(case: TestCase, sent: dict[str, Any]) -> None:
    assert sent["method"] == case.method.upper()
    assert sent["path"] == case.path
    request = case.request
    for name in ("path_params", "query", "headers"):
        pairs: Params = getattr(request, name)
        assert sent.get(name, {}) == (as_params(pairs) if pairs else {})
    if isinstance(request.body, JsonBody):
        assert sent["body"] is not None
        assert evaluated(sent["body"]) == request.body.value
    assert sent.get("credentials", "valid") == request.credentials.value


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CASE_LISTS)
def test_any_suite_renders_to_modules_that_compile_and_send_what_the_cases_say(
    cases: list[TestCase],
) -> None:
    suite = suite_of("any", cases)
    rendered = PytestRenderer().render(suite, SPEC, DOCUMENT)
    functions: dict[str, ast.FunctionDef] = {}
    for file in rendered.files:
        if file.path.endswith(".py"):
            compile(file.text, file.path, "exec")
            tree = ast.parse(file.text)
            functions.update(
                {f"{file.path}::{n.name}": n for n in tree.body if isinstance(n, ast.FunctionDef)}
            )
    for case in suite.cases:
        function = functions[dict(rendered.functions)[case.id]]
        check_request(case, last_send(function))
        doc = ast.get_docstring(function) or ""
        assert f"Rule: {case.rule.value}" in doc

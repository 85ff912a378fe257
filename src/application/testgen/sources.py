"""Every test function's text of a suite, from one rendering.

`SuiteRenderer.case_source` gives one function's text, and writes the function's whole module
to do it (names a module shares, such as its Hypothesis strategies, depend on every case in
it). Asking it for every case of a suite would write each module once per case it holds. So
for a whole suite the functions are cut out of the rendered modules, by the node id the
renderer gives each case: the same text, one rendering. A case whose function cannot be found
that way is asked of the renderer.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from application.testgen.ports import SuiteRenderer
from domain.testgen.cases import Suite
from domain.testgen.openapi import ApiSpec
from domain.testgen.rendered import RenderedSuite


def _functions(text: str) -> dict[str, str]:
    """Each top-level function of a module, decorators included, by name."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return {}
    lines = text.splitlines()
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno:
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            found[node.name] = "\n".join(lines[first - 1 : node.end_lineno])
    return found


def case_sources(
    renderer: SuiteRenderer,
    suite: Suite,
    spec: ApiSpec,
    document: Mapping[str, object],
    rendered: RenderedSuite | None = None,
) -> dict[str, str]:
    """Case id -> the text of its test function, as `renderer.case_source` gives it."""
    rendered = rendered or renderer.render(suite, spec, document)
    modules: dict[str, dict[str, str]] = {}
    sources: dict[str, str] = {}
    for case in suite.cases:
        nodeid = rendered.nodeid_of(case.id) or ""
        path, _, name = nodeid.partition("::")
        if path not in modules:
            file = rendered.file(path)
            modules[path] = {} if file is None else _functions(file.text)
        text = modules[path].get(name)
        sources[case.id] = (
            text if text is not None else renderer.case_source(suite, spec, document, case.id)
        )
    return sources

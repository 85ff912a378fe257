"""`PytestRenderer`: a suite of test cases in, the files of a runnable pytest suite out.

The files: `conftest.py` (the `api` fixture and its checks), `openapi.json` (the spec, canonical:
sorted keys, indent 2, so the checks read exactly what the cases were generated from), and one
`test_<group>.py` per group of cases, one function per case named as the suite names it. Every
choice is made from sorted or ordered input, so the same suite, spec and document render to
byte-identical files whatever the dict order or hash seed.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping
from typing import Any

from adapters.testgen.case_writer import case_function
from adapters.testgen.conftest_template import conftest_source
from adapters.testgen.pysource import LINE, docstring, layout
from adapters.testgen.strategies import StrategyWriter
from domain.testgen.cases import Suite, TestCase
from domain.testgen.openapi import ApiSpec
from domain.testgen.rendered import RenderedFile, RenderedSuite

_PROPERTY_IMPORTS = """import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st"""

_PROPERTY_SETTINGS = """# Each property test draws TESTGEN_MAX_EXAMPLES bodies (default 25),
# the same ones on every run.
PROPERTY_SETTINGS = settings(
    max_examples=int(os.environ.get("TESTGEN_MAX_EXAMPLES", "25")),
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)"""


class PytestRenderer:
    """Renders suites as pytest + Hypothesis files. The only state is the function texts of the
    last suite `case_source` was asked about, so a review page asking for each case in turn
    renders the suite once, not once per case."""

    def __init__(self) -> None:
        self._sources: tuple[Suite, Mapping[str, Any], dict[str, str]] | None = None

    def render(self, suite: Suite, spec: ApiSpec, document: Mapping[str, Any]) -> RenderedSuite:
        files = [
            RenderedFile("conftest.py", conftest_source(spec)),
            RenderedFile("openapi.json", canonical_json(document)),
        ]
        functions: list[tuple[str, str]] = []
        for group, cases in suite.groups():
            path = f"test_{group}.py"
            files.append(RenderedFile(path, _module(group, cases, suite, spec, document)[0]))
            functions.extend((case.id, f"{path}::{suite.name_of(case)}") for case in cases)
        return RenderedSuite(
            files=tuple(sorted(files, key=lambda f: f.path)), functions=tuple(functions)
        )

    def case_source(
        self, suite: Suite, spec: ApiSpec, document: Mapping[str, Any], case_id: str
    ) -> str:
        """The text of one case's test function, exactly as its module holds it."""
        cached = self._sources
        if cached is None or cached[0] is not suite or cached[1] is not document:
            sources: dict[str, str] = {}
            for group, cases in suite.groups():
                sources.update(_module(group, cases, suite, spec, document)[1])
            cached = self._sources = (suite, document, sources)
        if case_id not in cached[2]:
            raise KeyError(f"no case {case_id} in the suite")
        return cached[2][case_id]


def canonical_json(document: Mapping[str, Any]) -> str:
    """Sorted keys, indent 2, a final newline; a YAML date or other non-JSON scalar as text."""
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False, default=str) + "\n"


def _module(
    group: str,
    cases: tuple[TestCase, ...],
    suite: Suite,
    spec: ApiSpec,
    document: Mapping[str, Any],
) -> tuple[str, dict[str, str]]:
    """The module's text and each case's function text, by case id."""
    strategies = StrategyWriter(document, {"PROPERTY_SETTINGS"})
    functions = {case.id: case_function(case, suite.name_of(case), strategies) for case in cases}
    summary = f"Generated tests of {spec.title} {spec.version}: {group} ({len(cases)} tests)."
    header = docstring(
        [
            *(textwrap.wrap(" ".join(summary.split()), LINE - 4) or [""]),
            "",
            "Each test names the rule that proposed it and the part of openapi.json behind it;",
            "conftest.py holds the `api` fixture they call and its checks.",
        ],
        0,
    )
    text = header + "\n"
    if any(source.startswith("@PROPERTY_SETTINGS") for source in functions.values()):
        constants = [_PROPERTY_SETTINGS]
        constants.extend(
            f"{name} = {layout(node, 0, len(name) + 3)}" for name, node in strategies.definitions
        )
        text += f"\n{_PROPERTY_IMPORTS}\n\n" + "\n\n".join(constants) + "\n"
    text += "".join(f"\n\n{source}\n" for source in functions.values())
    return text, functions

"""The question asked for unit tests of one function or class, and the answer's JSON schema.

The prompt is versioned (`UNIT_PROMPT_VERSION`): the version is part of the cache key, so a
changed wording never serves answers written for the old one. It carries the module's import
name, the first paragraph of its docstring, the unit's signature, docstring and members, and the
members of the module's classes its signature names (a test has to build them); the body is
never sent (tests should follow the documented contract). Its layout is plain
`Label:` lines, easy for a person to read back from the ledger's purpose and version.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from application.llm.ports import LlmRequest
from domain.pii import JsonValue
from domain.testgen.unit_tests import ModuleOutline, UnitOutline

UNIT_PURPOSE = "testgen.unit"
UNIT_PROMPT_VERSION = "testgen.unit/1"

SYSTEM = (
    "You write pytest unit tests for Python code from its documented contract: the signature "
    "and the docstring. Each test is one plain function (no classes, no fixtures other than "
    "pytest's builtin ones) whose name starts with test_. Use only the standard library, "
    "pytest and the module under test. Prefer tests that exercise different branches: normal "
    "values, edge values, and documented errors (with pytest.raises). Give the import lines "
    "the tests need separately from the tests. Answer with JSON only."
)

UNIT_SCHEMA: Mapping[str, JsonValue] = {
    "type": "object",
    "properties": {
        "imports": {"type": "array", "items": {"type": "string"}},
        "tests": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "source": {"type": "string"}},
                "required": ["name", "source"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["imports", "tests"],
    "additionalProperties": False,
}


def _first_paragraph(text: str) -> str:
    return text.strip().split("\n\n", 1)[0].strip()


def _related(outline: ModuleOutline, unit: UnitOutline) -> tuple[UnitOutline, ...]:
    """The module's classes the unit's signature names: a test must build their values."""
    named = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", unit.signature))
    return tuple(
        other
        for other in outline.units
        if other.kind == "class" and other.name != unit.name and other.name in named
    )


def unit_prompt(outline: ModuleOutline, unit: UnitOutline, tests_per_unit: int) -> str:
    lines = [
        f"Module: {outline.module}",
        f"Import from it as: from {outline.module} import {unit.name}",
        f"Module docstring: {_first_paragraph(outline.docstring) or '(none)'}",
        f"Unit: {unit.kind} {unit.name}",
        "Signature:",
        unit.signature,
        "Docstring:",
        unit.docstring or "(none)",
    ]
    if unit.members:
        lines.append("Members:")
        lines.extend(unit.members)
    related = _related(outline, unit)
    if related:
        lines.append("Related:")
        for other in related:
            lines.extend((other.signature, *other.members))
    lines.append(f"Write up to {tests_per_unit} tests.")
    return "\n".join(lines)


def unit_request(outline: ModuleOutline, unit: UnitOutline, tests_per_unit: int) -> LlmRequest:
    return LlmRequest(
        purpose=UNIT_PURPOSE,
        prompt_version=UNIT_PROMPT_VERSION,
        system=SYSTEM,
        user=unit_prompt(outline, unit, tests_per_unit),
        schema_name="unit_tests",
        json_schema=UNIT_SCHEMA,
        max_output_tokens=2_000,
    )

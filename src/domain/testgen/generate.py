"""`generate`: every generation rule over a spec, gathered into one suite.

The rules are named pure functions in `rules/`, listed in `RULES` (one operation at a time) and
`RESOURCE_RULES` (the whole spec, for chains across operations). The same spec always yields
the same suite: the rules read only the spec, and `suite_of` orders the cases by a total key.
"""

from __future__ import annotations

from collections.abc import Callable

from domain.testgen.cases import Rule, Suite, TestCase, suite_of
from domain.testgen.openapi import ApiSpec, Operation
from domain.testgen.proposals import proposed_cases
from domain.testgen.rules.auth import forbidden, invalid_credentials, missing_credentials
from domain.testgen.rules.bounds import boundary
from domain.testgen.rules.inputs import (
    malformed_json,
    property_bodies,
    required_field_missing,
    wrong_type,
)
from domain.testgen.rules.resources import crud_chains, happy_path, unknown_id
from domain.testgen.rules.responses import response_schema, response_time

OperationRule = Callable[[ApiSpec, Operation], tuple[TestCase, ...]]
SpecRule = Callable[[ApiSpec], tuple[TestCase, ...]]

RULES: tuple[tuple[Rule, OperationRule], ...] = (
    (Rule.HAPPY_PATH, happy_path),
    (Rule.REQUIRED_FIELD_MISSING, required_field_missing),
    (Rule.WRONG_TYPE, wrong_type),
    (Rule.BOUNDARY, boundary),
    (Rule.MALFORMED_JSON, malformed_json),
    (Rule.MISSING_CREDENTIALS, missing_credentials),
    (Rule.INVALID_CREDENTIALS, invalid_credentials),
    (Rule.FORBIDDEN, forbidden),
    (Rule.UNKNOWN_ID, unknown_id),
    (Rule.RESPONSE_SCHEMA, response_schema),
    (Rule.RESPONSE_TIME, response_time),
    (Rule.PROPERTY, property_bodies),
    (Rule.LLM_PROPOSAL, proposed_cases),
)
RESOURCE_RULES: tuple[tuple[Rule, SpecRule], ...] = ((Rule.CRUD_CHAIN, crud_chains),)


def generate(spec: ApiSpec, spec_hash: str) -> Suite:
    """Every rule's cases for `spec`, as a suite in rendering order."""
    found: dict[str, TestCase] = {}
    for op in spec.operations:
        for _, rule in RULES:
            for case in rule(spec, op):
                found.setdefault(case.id, case)
    for _, spec_rule in RESOURCE_RULES:
        for case in spec_rule(spec):
            found.setdefault(case.id, case)
    return suite_of(spec_hash, list(found.values()))

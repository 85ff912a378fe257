"""Dogfood: creditdesk generates a test suite from its own OpenAPI schema, and the suite runs
green against a real `creditdesk serve --demo` process.

The schema is fetched from the running server (what a client of the API reads), the suite is
generated and rendered as a user's would be, and the quality gate runs it in a pytest
subprocess with the demo admin's token as the valid credential and, as the one that lacks
permission, a user the admin adds through the API with every permission denied (the schema
documents 403 on every route that needs a permission; the read-only role may read most of
them). A failing test means creditdesk, its schema or a generation rule is wrong, unless the
maintainers' review (`dogfood_review.py`) rejected it with a reason, as a user of the product
would; the assertion lists each other failure with its case, rule and operation.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.testgen.pytest_gate import PytestQualityGate
from adapters.testgen.renderer import PytestRenderer
from application.testgen.common import spec_hash_of
from domain.identity import Permission
from domain.testgen.cases import Rule
from domain.testgen.generate import generate
from domain.testgen.openapi import read_spec
from domain.testgen.rendered import GateTarget
from entrypoints.http.app import DOCS_PATH
from tests.e2e.test_server import AUTH, Server, bearer, login
from tests.e2e.testgen.dogfood_review import REJECTED

#: Fewer than this many tests would not be a meaningful run of the API.
AT_LEAST = 150


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # The whole suite is one client address: the per-client limits on logging in and on
    # intake (applications, specs) would refuse it within a minute.
    unlimited = {"CREDITDESK_RATE_LIMIT_LOGIN": "100000", "CREDITDESK_RATE_LIMIT_INTAKE": "100000"}
    running = Server(tmp_path_factory.mktemp("dogfood"), settings=unlimited, timeout=30)
    try:
        running.wait_until_healthy(within=180)
        yield running
    finally:
        running.stop()


def no_permission_token(served: Server, admin: dict[str, str]) -> str:
    """The access token of a user added by the admin with every permission denied."""
    email, password = "no-permission@demo.creditdesk.example", "no permission at all, 2026"
    added = served.http.post(
        "/api/v1/admin/users",
        headers=bearer(admin),
        json={"email": email, "display_name": "No Permission", "role": "readonly",
              "password": password, "denials": [p.value for p in Permission]},
    )  # fmt: skip
    assert added.status_code == 201, added.text
    answer = served.http.post(f"{AUTH}/login", json={"email": email, "password": password})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


def test_the_suite_generated_from_our_own_schema_runs_green(served: Server) -> None:
    answer = served.http.get(f"{DOCS_PATH}/openapi.json")
    assert answer.status_code == 200, answer.text
    document = answer.json()
    spec = read_spec(document)
    suite = generate(spec, spec_hash_of(document))
    rendered = PytestRenderer().render(suite, spec, document)
    admin = login(served.http, "admin")
    limited = no_permission_token(served, admin)

    target = GateTarget(served.url, admin["access_token"], limited)
    report = PytestQualityGate(timeout_s=900).check(rendered, target)

    assert report.compile_errors == (), report.compile_errors
    assert report.error is None, report.error
    assert report.ran
    assert len(report.outcomes) >= AT_LEAST, len(report.outcomes)
    cases = {case.id: case for case in suite.cases}
    names = {suite.name_of(case) for case in suite.cases}
    assert set(REJECTED) <= names, f"reviewed tests no longer generated: {set(REJECTED) - names}"
    failures = [
        f"{o.case_id} {cases[o.case_id].rule.value} {cases[o.case_id].method.upper()} "
        f"{cases[o.case_id].path} ({cases[o.case_id].operation_id}) {o.nodeid}: {o.message}"
        for o in report.outcomes
        if not o.passed and suite.name_of(cases[o.case_id]) not in REJECTED
    ]
    assert failures == [], f"{len(failures)} of {len(report.outcomes)} failed:\n" + "\n".join(
        failures
    )
    rules = {cases[o.case_id].rule for o in report.outcomes}
    assert {Rule.HAPPY_PATH, Rule.MISSING_CREDENTIALS, Rule.FORBIDDEN} <= rules, rules

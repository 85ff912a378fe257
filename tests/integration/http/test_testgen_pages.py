"""The test-generation pages as the server renders them: the queue lists each suite with its
counts, the suite page shows every test's highlighted code beside its spec operation with its
badges, and what a new version of the API removed; nothing inline the page policy forbids."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from litestar.testing import TestClient

from domain.identity import Role
from entrypoints.composition import Deps
from tests.builders import a_principal, a_user
from tests.integration.http.support import auth
from tests.integration.http.testgen import SUITES, spec_bytes, spec_call
from tests.unit.domain.testgen.specs import petstore_30

Client = TestClient[Any]
QA = auth(Role.QA_ENGINEER)
INLINE = re.compile(r"<script(?![^>]*\bsrc=)|\sstyle=|\son[a-z]+=", re.IGNORECASE)


@pytest.fixture
def people(deps: Deps, client: Client) -> Client:
    with deps.uow() as uow:
        for role in (Role.QA_ENGINEER, Role.ANALYST):
            principal = a_principal(role)
            uow.users.add(
                a_user(id=principal.user_id, email=f"{role.value}@example.com", role=role)
            )
        uow.commit()
    return client


def _submit(client: Client, content: bytes) -> dict[str, Any]:
    call = spec_call(content)
    answer = client.post(SUITES, content=call["content"], headers={**QA, **call["headers"]})
    assert answer.status_code == 201, answer.text
    made: dict[str, Any] = answer.json()
    return made


def test_the_queue_lists_suites_and_only_testers_see_the_link(people: Client) -> None:
    made = _submit(people, spec_bytes())
    page = people.get("/app/testgen", headers=QA)
    assert page.status_code == 200, page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert f'href="/app/testgen/{made["suite_id"]}">Petstore</a>' in page.text
    assert 'data-nav="testgen"' in page.text
    assert 'data-testid="upload-form"' in page.text
    assert not INLINE.search(page.text)
    analyst = people.get("/app/queue", headers=auth(Role.ANALYST))
    assert 'data-nav="testgen"' not in analyst.text


def test_the_suite_page_shows_code_beside_the_operation_with_badges(people: Client) -> None:
    old = _submit(people, spec_bytes("1.0.0"))
    document = petstore_30()
    document["info"]["version"] = "2.0.0"
    del document["paths"]["/pets"]["get"]
    document["paths"]["/health"] = {
        "get": {
            "operationId": "health",
            "security": [],
            "responses": {"204": {"description": "up"}},
        }
    }
    new = _submit(people, json.dumps(document).encode())
    assert new["changes"]["removed"], new
    page = people.get(f"/app/testgen/{new['suite_id']}", headers=QA)
    assert page.status_code == 200, page.text
    assert '<link rel="stylesheet" href="/static/testgen_pygments.css">' in page.text
    assert page.text.count('data-testid="test"') == new["cases"]
    assert '<div class="highlight"><pre>' in page.text
    assert '<span class="k">def</span>' in page.text
    assert 'data-testid="removed"' in page.text
    assert 'data-testid="change">New</span>' in page.text
    assert f'href="/app/testgen/{old["suite_id"]}">previous version</a>' in page.text
    assert 'data-action="bulk-approve"' in page.text
    assert not INLINE.search(page.text)
    css = people.get("/static/testgen_pygments.css")
    assert css.status_code == 200
    assert ".highlight .k" in css.text

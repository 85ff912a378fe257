"""The OpenAPI webhook through the real app, with real HMAC-SHA256 signatures: a signed spec
makes a suite (201), the same spec again answers the same suite (200), and every call not
signed as its tenant's pipeline signs it gets the same 401, whatever part of it was wrong."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from attrs import evolve
from litestar.testing import TestClient

from domain.identity import Role
from domain.webhooks import SIGNATURE_HEADER, signature_header
from entrypoints.composition import Deps
from entrypoints.http.testgen_webhook import TENANT_HEADER, WEBHOOK_USER
from entrypoints.testgen_settings import TestgenSettings
from tests.builders import OTHER_TENANT, TENANT
from tests.fakes import FixedClock
from tests.integration.http.support import app_for, auth, sqlite_deps
from tests.integration.http.testgen import SPEC, SUITES, WEBHOOK, signed
from tests.unit.domain.testgen.specs import petstore_30

Client = TestClient[Any]
SECRET = "tenant-one-webhook-secret-0123456789"
OTHER_SECRET = "tenant-two-webhook-secret-9876543210"
#: A tenant with a secret but no record: the settings name it, the database does not.
GHOST = "ghost-tenant"
GHOST_SECRET = "ghost-tenant-webhook-secret-000000000"
LIMIT = 64 * 1024


@pytest.fixture
def hooked(sqlite_database: Path) -> Iterator[tuple[Client, Deps]]:
    base = sqlite_deps(sqlite_database)
    secrets = ((TENANT, SECRET), (OTHER_TENANT, OTHER_SECRET), (GHOST, GHOST_SECRET))
    testgen = TestgenSettings(max_spec_bytes=LIMIT, webhook_secrets=secrets)
    deps = evolve(base, settings=evolve(base.settings, testgen=testgen))
    try:
        with TestClient(app_for(deps)) as client:
            yield client, deps
    finally:
        deps.close()


def _now(deps: Deps) -> int:
    return int(deps.clock.now().timestamp())


def _suites(client: Client, tenant_id: str = TENANT) -> list[dict[str, Any]]:
    answer = client.get(SUITES, headers=auth(Role.ADMIN, tenant_id))
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


def test_a_signed_spec_makes_a_suite_and_the_same_spec_again_answers_the_same_suite(
    hooked: tuple[Client, Deps],
) -> None:
    client, deps = hooked
    first = client.post(WEBHOOK, content=SPEC, headers=signed(SPEC, SECRET, TENANT, _now(deps)))
    assert first.status_code == 201, first.text
    made = first.json()
    assert made["created"] is True
    assert made["title"] == "Petstore"
    assert made["cases"] > 0
    assert first.headers["location"] == f"{SUITES}/{made['suite_id']}"
    # A retried delivery, signed anew a minute later; and the same spec sent as YAML.
    assert isinstance(deps.clock, FixedClock)
    deps.clock.advance(timedelta(minutes=1))
    again = client.post(WEBHOOK, content=SPEC, headers=signed(SPEC, SECRET, TENANT, _now(deps)))
    as_yaml = yaml.safe_dump(petstore_30()).encode()
    yaml_call = signed(as_yaml, SECRET, TENANT, _now(deps)) | {"Content-Type": "application/yaml"}
    in_yaml = client.post(WEBHOOK, content=as_yaml, headers=yaml_call)
    for repeat in (again, in_yaml):
        assert repeat.status_code == 200, repeat.text
        assert repeat.json()["suite_id"] == made["suite_id"]
        assert repeat.json()["created"] is False
    listed = _suites(client)
    assert [(s["id"], s["origin"], s["created_by"]) for s in listed] == [
        (made["suite_id"], "webhook", WEBHOOK_USER)
    ]
    assert _suites(client, OTHER_TENANT) == []


def test_each_tenant_signs_with_its_own_secret_into_its_own_queue(
    hooked: tuple[Client, Deps],
) -> None:
    client, deps = hooked
    call = signed(SPEC, OTHER_SECRET, OTHER_TENANT, _now(deps))
    assert client.post(WEBHOOK, content=SPEC, headers=call).status_code == 201
    assert len(_suites(client, OTHER_TENANT)) == 1
    assert _suites(client) == []


def test_a_call_at_the_edge_of_the_five_minute_window_is_accepted(
    hooked: tuple[Client, Deps],
) -> None:
    client, deps = hooked
    for at in (_now(deps) - 300, _now(deps) + 300):
        answer = client.post(WEBHOOK, content=SPEC, headers=signed(SPEC, SECRET, TENANT, at))
        assert answer.status_code in {200, 201}, answer.text


def _refusals(deps: Deps) -> dict[str, tuple[bytes, dict[str, str]]]:
    now = _now(deps)
    good = signed(SPEC, SECRET, TENANT, now)
    tampered = SPEC.replace(b"Petstore", b"Petshop")
    return {
        "stale": (SPEC, signed(SPEC, SECRET, TENANT, now - 301)),
        "from the future": (SPEC, signed(SPEC, SECRET, TENANT, now + 301)),
        "wrong secret": (SPEC, signed(SPEC, OTHER_SECRET, TENANT, now)),
        "another tenant's secret for its own name": (SPEC, signed(SPEC, SECRET, OTHER_TENANT, now)),
        "tampered body": (tampered, good),
        "no signature": (SPEC, {k: v for k, v in good.items() if k != SIGNATURE_HEADER}),
        "no timestamp": (SPEC, good | {SIGNATURE_HEADER: good[SIGNATURE_HEADER].split(",")[1]}),
        "malformed": (SPEC, good | {SIGNATURE_HEADER: "v1=zz,t=yesterday"}),
        "absurd timestamp": (SPEC, good | {SIGNATURE_HEADER: f"t={'9' * 400},v1=00"}),
        "no tenant": (SPEC, {k: v for k, v in good.items() if k != TENANT_HEADER}),
        "unknown tenant": (SPEC, good | {TENANT_HEADER: "initech"}),
        "tenant without a record": (SPEC, signed(SPEC, GHOST_SECRET, GHOST, now)),
        "bearer token instead": (SPEC, {"Content-Type": "application/json"} | auth(Role.ADMIN)),
    }


CASES = [
    "stale", "from the future", "wrong secret", "another tenant's secret for its own name",
    "tampered body", "no signature", "no timestamp", "malformed", "absurd timestamp",
    "no tenant", "unknown tenant", "tenant without a record", "bearer token instead",
]  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_a_call_not_signed_as_its_tenants_is_refused_saying_nothing_of_why(
    hooked: tuple[Client, Deps], case: str
) -> None:
    client, deps = hooked
    body, headers = _refusals(deps)[case]
    answer = client.post(WEBHOOK, content=body, headers=headers)
    assert answer.status_code == 401, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["type"] == "urn:creditdesk:problem:invalid-signature"
    assert "errors" not in problem
    # The same words whatever was wrong: nothing tells a forger which part to fix.
    reference = client.post(WEBHOOK, content=b"{}", headers={TENANT_HEADER: "initech"}).json()
    same = {k: v for k, v in problem.items() if k != "request_id"}
    assert same == {k: v for k, v in reference.items() if k != "request_id"}
    for secret in (SECRET, OTHER_SECRET, GHOST_SECRET):
        assert secret not in answer.text
    assert _suites(client) == []
    assert _suites(client, OTHER_TENANT) == []


def test_a_closed_tenants_pipeline_is_refused_like_an_unsigned_call(
    hooked: tuple[Client, Deps],
) -> None:
    client, deps = hooked
    with deps.uow() as uow:
        tenant = uow.tenants.get(OTHER_TENANT)
        assert tenant is not None
        uow.tenants.update(evolve(tenant, active=False))
        uow.commit()
    call = signed(SPEC, OTHER_SECRET, OTHER_TENANT, _now(deps))
    answer = client.post(WEBHOOK, content=SPEC, headers=call)
    assert answer.status_code == 401, answer.text
    assert answer.json()["type"] == "urn:creditdesk:problem:invalid-signature"


def test_a_spec_over_the_limit_is_refused_before_anything_is_read_further(
    hooked: tuple[Client, Deps],
) -> None:
    client, deps = hooked
    document = petstore_30()
    document["info"]["description"] = "x" * LIMIT
    body = json.dumps(document).encode()
    answer = client.post(WEBHOOK, content=body, headers=signed(body, SECRET, TENANT, _now(deps)))
    assert answer.status_code == 413, answer.text
    assert answer.json()["errors"] == [
        {"field": "(body)", "message": f"a spec may be at most {LIMIT:,} bytes"}
    ]


def test_a_signed_spec_with_faults_is_422_naming_each_by_its_json_pointer(
    hooked: tuple[Client, Deps],
) -> None:
    client, deps = hooked
    document = petstore_30()
    document["paths"]["/pets"]["get"]["responses"] = "none"
    document["info"]["version"] = 3
    document["paths"]["/pets"]["post"]["parameters"] = [{"in": "body"}]
    body = json.dumps(document).encode()
    answer = client.post(WEBHOOK, content=body, headers=signed(body, SECRET, TENANT, _now(deps)))
    assert answer.status_code == 422, answer.text
    fields = {error["field"] for error in answer.json()["errors"]}
    assert {
        "#/paths/~1pets/get/responses",
        "#/paths/~1pets/post/parameters/0/in",
        "#/info/version",
    } <= fields, fields
    assert _suites(client) == []


def test_the_header_format_is_the_one_creditdesk_signs_its_own_webhooks_with() -> None:
    header = signature_header(SECRET, 1_700_000_000, SPEC)
    assert header.startswith("t=1700000000,v1=")
    assert len(header.split("v1=")[1]) == 64

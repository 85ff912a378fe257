"""The test-generation routes, with what each needs: a spec to submit, a suite per tenant for
the id-taking routes (`seed`), the bodies that get past validation to the lookup, and webhook
calls signed as a tenant's pipeline signs them."""

from __future__ import annotations

import json
from typing import Any

from attrs import evolve

from application.testgen.views import SpecUpload
from domain.identity import Permission, Role
from domain.webhooks import SIGNATURE_HEADER, signature_header
from entrypoints.composition import Deps
from entrypoints.http.testgen_webhook import TENANT_HEADER
from tests.builders import a_principal
from tests.unit.domain.testgen.specs import petstore_30

_P = Permission
SUITES = "/api/v1/testgen/suites"
SUITE = f"{SUITES}/{{suite_id:str}}"
WEBHOOK = "/api/v1/webhooks/openapi"
#: The petstore as JSON bytes; `spec_bytes(version)` gives a distinct spec per version.
SPEC = json.dumps(petstore_30()).encode()


def spec_bytes(version: str = "1.0.0", title: str = "Petstore") -> bytes:
    document = petstore_30()
    document["info"] = {"title": title, "version": version}
    return json.dumps(document).encode()


def spec_call(content: bytes = SPEC) -> dict[str, Any]:
    """How the client sends a spec as the body itself."""
    return {"content": content, "headers": {"Content-Type": "application/json"}}


#: (method, path as the app lists it, body: JSON, spec bytes or None, the permission it needs).
ROUTES: list[tuple[str, str, Any, Permission]] = [
    ("POST", SUITES, SPEC, _P.TESTGEN_SUBMIT),
    ("GET", SUITES, None, _P.TESTGEN_VIEW),
    ("GET", SUITE, None, _P.TESTGEN_VIEW),
    ("GET", f"{SUITE}/files", None, _P.TESTGEN_VIEW),
    ("POST", f"{SUITE}/review", {"action": "approve"}, _P.TESTGEN_REVIEW),
    ("POST", f"{SUITE}/tests/{{case_id:str}}/review", {"action": "approve"}, _P.TESTGEN_REVIEW),
    ("POST", f"{SUITE}/bulk-approve", {"case_ids": ["not-a-case"]}, _P.TESTGEN_REVIEW),
    ("POST", f"{SUITE}/gate", {}, _P.TESTGEN_SUBMIT),
    ("POST", f"{SUITE}/proposals", {"operation": "createPet"}, _P.TESTGEN_SUBMIT),
    ("POST", f"{SUITE}/deliveries", {"repository": "/nowhere/repo.git", "branch": "tests"},
     _P.TESTGEN_REVIEW),
]  # fmt: skip
#: The (method, path) pairs of `ROUTES`, as the route-enumeration test lists guarded routes.
ROUTE_KEYS = frozenset((method, path) for method, path, _body, _permission in ROUTES)


def with_targets(
    deps: Deps, gate_urls: tuple[str, ...] = (), repositories: tuple[str, ...] = ()
) -> Deps:
    """`deps` whose gates may run against `gate_urls` and deliveries push to `repositories`
    (CREDITDESK_TESTGEN_GATE_URLS and _REPOSITORIES; both empty by default)."""
    testgen = evolve(deps.settings.testgen, gate_urls=gate_urls, repositories=repositories)
    return evolve(deps, settings=evolve(deps.settings, testgen=testgen))


def seed(deps: Deps, tenant_id: str) -> dict[str, str]:
    """A suite of `tenant_id` (the petstore's, submitted by its admin); its id and the id of
    its first test, by the path parameter that takes them."""
    admin = a_principal(Role.ADMIN, tenant_id=tenant_id)
    result = deps.testgen.submit(admin, SpecUpload(SPEC, "upload", "petstore.json"))
    first = deps.testgen.suite(admin, result.suite_id).cases[0]
    return {"suite_id": result.suite_id, "case_id": first.case.id}


def concrete(path: str, ids: dict[str, str]) -> str:
    for name, value in ids.items():
        path = path.replace(f"{{{name}:str}}", value)
    return path


def call_kwargs(body: Any) -> dict[str, Any]:
    """Spec bytes as the body itself, anything else as JSON."""
    if isinstance(body, bytes):
        return spec_call(body)
    return {} if body is None else {"json": body}


def signed(body: bytes, secret: str, tenant_id: str, at: int) -> dict[str, str]:
    """The headers of a webhook call `tenant_id` signs with `secret` at `at` (unix seconds)."""
    return {
        "Content-Type": "application/json",
        TENANT_HEADER: tenant_id,
        SIGNATURE_HEADER: signature_header(secret, at, body),
    }

"""The case action routes over HTTP: each role allowed or refused as its permissions say,
another tenant's case not found, every problem of a body listed, and a flag shown in the queue."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from domain.identity import Permission, Role, can
from entrypoints.composition import Deps
from tests.builders import OTHER_TENANT, a_principal
from tests.integration.http.case_actions import (
    CLEARING,
    FLAGGING,
    QUESTION,
    ROUTES,
    store_held_case,
)
from tests.integration.http.casework import QUEUE
from tests.integration.http.support import assert_allowed_or_refused, assert_not_found, auth

Client = TestClient[Any]
PROBLEM = "application/problem+json"


def _entry_for(method: str, path: str) -> str:
    """A clear acts on a flagged case; every other route on an unflagged one."""
    return "c-clear" if method == "DELETE" else "c-" + path.rsplit("/", 1)[1]


def _seed(deps: Deps, holder: str, tenant_id: str) -> None:
    for entry_id in ("c-attention", "c-help", "c-flag"):
        store_held_case(deps, entry_id, holder, tenant_id=tenant_id)
    store_held_case(deps, "c-clear", holder, tenant_id=tenant_id, flagged=True)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("method", "path", "body", "permission"), ROUTES)
def test_each_role_is_allowed_or_refused_as_its_permissions_say(
    deps: Deps,
    client: Client,
    role: Role,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    permission: Permission,
) -> None:
    _seed(deps, a_principal(role).user_id, a_principal(role).tenant_id)
    concrete = path.replace("{entry_id:str}", _entry_for(method, path))
    response = client.request(method, concrete, json=body, headers=auth(role))
    assert_allowed_or_refused(response, can(a_principal(role), permission))


@pytest.mark.parametrize(("method", "path", "body", "permission"), ROUTES)
def test_another_tenants_case_is_not_found(
    deps: Deps,
    client: Client,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    permission: Permission,
) -> None:
    _seed(deps, "user-admin", OTHER_TENANT)
    concrete = path.replace("{entry_id:str}", _entry_for(method, path))
    assert_not_found(client.request(method, concrete, json=body, headers=auth(Role.ADMIN)))


def test_a_flag_shows_in_the_queue_and_on_the_case_until_a_senior_clears_it(
    deps: Deps, client: Client
) -> None:
    analyst = a_principal(Role.ANALYST)
    store_held_case(deps, "c-1", analyst.user_id)
    store_held_case(deps, "c-2", analyst.user_id)
    flagged = client.post(f"{QUEUE}/c-1/flag", json=FLAGGING, headers=auth(Role.ANALYST))
    assert flagged.status_code == 201, flagged.text
    assert flagged.json()["reason"] == "document_concern"
    again = client.post(f"{QUEUE}/c-1/flag", json=FLAGGING, headers=auth(Role.ANALYST))
    assert again.status_code == 409
    assert again.headers["content-type"] == PROBLEM

    listed = client.get(QUEUE, headers=auth(Role.ANALYST)).json()["items"]
    flags = {item["id"]: item["flag"] for item in listed}
    assert flags["c-2"] is None
    assert flags["c-1"]["reason"] == "document_concern"
    assert flags["c-1"]["flagged_by"] == analyst.user_id
    case = client.get(f"{QUEUE}/c-1/attention", headers=auth(Role.ANALYST)).json()
    assert case["flag"]["note"] == "The payslip looks edited."

    cleared = client.request(
        "DELETE", f"{QUEUE}/c-1/flag", json=CLEARING, headers=auth(Role.SENIOR_ANALYST)
    )
    assert cleared.status_code == 200, cleared.text
    case = client.get(f"{QUEUE}/c-1/attention", headers=auth(Role.ANALYST)).json()
    assert case["flag"] is None


def test_help_requests_are_listed_on_the_case_oldest_first(deps: Deps, client: Client) -> None:
    store_held_case(deps, "c-1", a_principal(Role.ANALYST).user_id)
    for message in (QUESTION["message"], "And is the employer a going concern?"):
        asked = client.post(
            f"{QUEUE}/c-1/help", json={"message": message}, headers=auth(Role.ANALYST)
        )
        assert asked.status_code == 201, asked.text
    case = client.get(f"{QUEUE}/c-1/attention", headers=auth(Role.SENIOR_ANALYST)).json()
    assert [r["message"] for r in case["help_requests"]] == [
        QUESTION["message"],
        "And is the employer a going concern?",
    ]


@pytest.mark.parametrize(
    ("route", "body", "fields"),
    [
        ("help", {"message": "help?"}, ["message"]),
        ("help", {}, ["message"]),
        ("flag", {"reason": "gut_feeling", "note": "x" * 1001}, ["reason", "note"]),
        ("flag", {"note": 3, "colour": "red"}, None),
    ],
)  # fmt: skip
def test_every_problem_of_a_body_is_listed(
    deps: Deps, client: Client, route: str, body: dict[str, Any], fields: list[str] | None
) -> None:
    store_held_case(deps, "c-1", a_principal(Role.ANALYST).user_id)
    response = client.post(f"{QUEUE}/c-1/{route}", json=body, headers=auth(Role.ANALYST))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    found = [problem["field"] for problem in response.json()["errors"]]
    if fields is not None:
        assert found == fields
    else:
        assert len(found) >= 2


def test_a_colleague_who_does_not_hold_the_case_is_refused(deps: Deps, client: Client) -> None:
    store_held_case(deps, "c-1", "user-somebody-else")
    response = client.post(f"{QUEUE}/c-1/flag", json=FLAGGING, headers=auth(Role.ANALYST))
    assert response.status_code == 403
    assert response.headers["content-type"] == PROBLEM

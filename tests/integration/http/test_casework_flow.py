"""One application from a queued case to its final decision over HTTP on SQLite, with the
turns it can take: an override approved or rejected by a second person, a case handed back,
the workload cap, a condition met, and thresholds changed under four eyes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from litestar.testing import TestClient

from domain.credit.queue import QueueStatus
from domain.identity import Principal, Role
from entrypoints.composition import Deps
from entrypoints.http.app import create_app
from tests.builders import a_principal
from tests.integration.http.casework import (
    DECISIONS,
    IN_THE_REVIEW_BAND,
    QUEUE,
    TERMS,
    THRESHOLDS,
    override_draft,
    policy_json,
    store_case,
)
from tests.integration.http.support import TokenTableAuthenticator, auth

Client = TestClient[Any]
ANALYST, SENIOR, ADMIN = auth(Role.ANALYST), auth(Role.SENIOR_ANALYST), auth(Role.ADMIN)
SECOND_ADMIN = {"Authorization": "Bearer second-admin"}


class WithASecondAdmin(TokenTableAuthenticator):
    """The test tokens, and one more for a second administrator (the four eyes on thresholds)."""

    def authenticate(self, credential: str, now: datetime) -> Principal:
        if credential == "second-admin":
            return a_principal(Role.ADMIN, user_id="user-admin-2")
        return super().authenticate(credential, now)


@pytest.fixture
def client(deps: Deps) -> Iterator[Client]:
    with TestClient(create_app(deps, authenticator=WithASecondAdmin())) as test_client:
        yield test_client


def take(client: Client, entry_id: str, headers: dict[str, str] = ANALYST) -> None:
    """Assign the case to the caller and open it."""
    assigned = client.post(f"{QUEUE}/{entry_id}/assign", headers=headers)
    assert assigned.status_code == 200, assigned.text
    assert client.post(f"{QUEUE}/{entry_id}/start", headers=headers).status_code == 200


def override(client: Client, application_id: str) -> dict[str, Any]:
    response = client.post(
        f"/api/v1/applications/{application_id}/decisions", json=override_draft(), headers=ANALYST
    )
    assert response.status_code == 201, response.text
    decision: dict[str, Any] = response.json()
    assert response.headers["location"] == f"{DECISIONS}/{decision['id']}"
    return decision


def status_of(client: Client, application_id: str) -> str:
    detail = client.get(f"/api/v1/applications/{application_id}", headers=ANALYST).json()
    status: str = detail["application"]["status"]
    return status


def test_a_case_is_taken_decided_against_the_model_and_approved_by_a_second_person(
    deps: Deps, client: Client
) -> None:
    application_id = store_case(deps, "entry-w")
    listed = client.get(QUEUE, params={"status": "pending"}, headers=ANALYST).json()
    assert [entry["id"] for entry in listed["items"]] == ["entry-w"]
    assigned = client.post(f"{QUEUE}/entry-w/assign", json={}, headers=ANALYST).json()
    assert (assigned["status"], assigned["analyst_id"]) == ("assigned", "user-analyst")
    started = client.post(f"{QUEUE}/entry-w/start", headers=ANALYST).json()
    assert started["status"] == "in_progress"

    decision = override(client, application_id)
    assert decision["status"] == "awaiting_override_approval"
    assert decision["override"]["requested_by"] == "user-analyst"
    assert status_of(client, application_id) == "review"
    pending = client.get(f"{DECISIONS}/pending-overrides", headers=SENIOR).json()
    assert [item["id"] for item in pending["items"]] == [decision["id"]]

    approve = f"{DECISIONS}/{decision['id']}/approve-override"
    assert client.post(approve, headers=ANALYST).status_code == 403
    approved = client.post(approve, json={"comment": "Statements checked."}, headers=SENIOR)
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "final"
    assert approved.json()["override"]["reviewed_by"] == "user-senior_analyst"
    assert status_of(client, application_id) == "approved"
    assert client.get(f"{DECISIONS}/pending-overrides", headers=SENIOR).json()["items"] == []
    assert client.get(QUEUE, headers=ANALYST).json()["items"] == []
    again = client.post(approve, headers=ADMIN)
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"


def test_nobody_approves_their_own_override(deps: Deps, client: Client) -> None:
    application_id = store_case(deps, "entry-s")
    take(client, "entry-s", SENIOR)
    decided = client.post(
        f"/api/v1/applications/{application_id}/decisions", json=override_draft(), headers=SENIOR
    ).json()
    refused = client.post(f"{DECISIONS}/{decided['id']}/approve-override", headers=SENIOR)
    assert refused.status_code == 403
    assert "someone other" in refused.json()["detail"]


def test_a_rejected_override_sends_the_case_back_to_the_queue(deps: Deps, client: Client) -> None:
    application_id = store_case(deps, "entry-r")
    take(client, "entry-r")
    decision = override(client, application_id)
    reject = f"{DECISIONS}/{decision['id']}/reject-override"
    assert client.post(reject, json={"reason": " "}, headers=SENIOR).status_code == 422
    assert client.post(reject, json={}, headers=SENIOR).status_code == 422
    rejected = client.post(reject, json={"reason": "Income is not documented."}, headers=SENIOR)
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["status"] == "reverted"
    assert rejected.json()["override"]["review_comment"] == "Income is not documented."
    (entry,) = client.get(QUEUE, headers=ANALYST).json()["items"]
    assert (entry["id"], entry["status"], entry["release_count"]) == ("entry-r", "pending", 1)
    assert status_of(client, application_id) == "review"


def test_a_released_case_is_pending_again_for_anyone(deps: Deps, client: Client) -> None:
    store_case(deps, "entry-h")
    take(client, "entry-h")
    released = client.post(f"{QUEUE}/entry-h/release", headers=ANALYST)
    assert released.status_code == 200, released.text
    assert (released.json()["status"], released.json()["analyst_id"]) == ("pending", None)
    again = client.post(f"{QUEUE}/entry-h/release", headers=ANALYST)
    assert again.status_code == 409


def test_the_workload_cap_and_a_taken_case_are_conflicts(deps: Deps, client: Client) -> None:
    for number in range(5):
        store_case(deps, f"held-{number}", status=QueueStatus.ASSIGNED, analyst_id="user-analyst")
    store_case(deps, "one-too-many")
    capped = client.post(f"{QUEUE}/one-too-many/assign", headers=ANALYST)
    assert capped.status_code == 409
    assert capped.headers["content-type"] == "application/problem+json"
    assert "limit is 5" in capped.json()["detail"]
    taken = client.post(f"{QUEUE}/held-0/assign", headers=SENIOR)
    assert taken.status_code == 409
    summary = client.get(f"{QUEUE}/summary", headers=ANALYST).json()
    assert (summary["assigned"], summary["pending"]) == (5, 1)
    mine = client.get(QUEUE, params={"analyst_id": "user-analyst", "page_size": 2}, headers=ANALYST)
    assert (len(mine.json()["items"]), mine.json()["total"]) == (2, 5)
    wrong = client.get(QUEUE, params={"max_priority": 0, "status": "lost"}, headers=ANALYST)
    assert wrong.status_code == 422


def test_a_condition_of_an_approval_is_met_once(deps: Deps, client: Client) -> None:
    application_id = store_case(deps, "entry-c", score=IN_THE_REVIEW_BAND)
    take(client, "entry-c")
    draft = {
        "decision_type": "analyst_approve_with_conditions",
        "terms": TERMS,
        "conditions": [{"condition_type": "documentation", "description": "Last payslips"}],
    }
    decided = client.post(
        f"/api/v1/applications/{application_id}/decisions", json=draft, headers=ANALYST
    )
    assert decided.status_code == 201, decided.text
    assert decided.json()["status"] == "final"
    fulfil = f"{DECISIONS}/{decided.json()['id']}/conditions/0/fulfil"
    met = client.post(fulfil, headers=ANALYST)
    assert met.status_code == 200, met.text
    assert met.json()["conditions"][0]["fulfilled_by"] == "user-analyst"
    assert client.post(fulfil, headers=ANALYST).status_code == 409
    assert client.post(fulfil.replace("/0/", "/3/"), headers=ANALYST).status_code == 409
    assert status_of(client, application_id) == "approved"


def test_a_decision_that_breaks_the_rules_lists_every_problem(deps: Deps, client: Client) -> None:
    application_id = store_case(deps, "entry-v")
    take(client, "entry-v")
    draft = {"decision_type": "analyst_approve", "override_justification": "short"}
    response = client.post(
        f"/api/v1/applications/{application_id}/decisions", json=draft, headers=ANALYST
    )
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"terms", "override_justification"} <= fields


def test_thresholds_are_proposed_by_one_admin_and_approved_by_another(client: Client) -> None:
    active = client.get(f"{THRESHOLDS}/active", headers=ANALYST).json()
    assert (active["is_default"], active["policy"]["version"]) == (True, 1)
    proposed = client.post(
        THRESHOLDS, json={"policy": policy_json(540.0), "note": "Fewer declines"}, headers=ADMIN
    )
    assert proposed.status_code == 201, proposed.text
    assert (proposed.json()["status"], proposed.json()["policy"]["version"]) == ("proposed", 2)
    assert client.post(f"{THRESHOLDS}/2/approve", headers=ADMIN).status_code == 403
    approved = client.post(f"{THRESHOLDS}/2/approve", headers=SECOND_ADMIN)
    assert approved.status_code == 200, approved.text
    assert approved.json()["reviewed_by"] == "user-admin-2"
    active = client.get(f"{THRESHOLDS}/active", headers=ANALYST).json()
    assert (active["is_default"], active["policy"]["auto_decline_max"]) == (False, 540.0)
    versions = client.get(f"{THRESHOLDS}/versions", headers=ADMIN).json()["items"]
    assert [(v["policy"]["version"], v["status"]) for v in versions] == [(2, "approved")]
    assert client.post(f"{THRESHOLDS}/2/approve", headers=SECOND_ADMIN).status_code == 409
    assert client.post(f"{THRESHOLDS}/9/approve", headers=ADMIN).status_code == 404


def test_thresholds_that_contradict_each_other_are_refused(client: Client) -> None:
    for body in ({"policy": policy_json(700.0)}, {"note": "x"}, {"policy": {}, "note": 3}):
        response = client.post(THRESHOLDS, json=body, headers=ADMIN)
        assert response.status_code == 422, response.text
        assert response.json()["errors"]

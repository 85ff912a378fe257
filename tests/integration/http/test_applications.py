"""`/api/v1/applications` end to end over SQLite: submit, replay, list, read, correct, cancel."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from domain.identity import Role
from tests.integration.http.support import auth, form_json

Client = TestClient[Any]
APPS = "/api/v1/applications"


def test_a_submission_is_created_once_and_replayed_under_its_key(client: Client) -> None:
    headers = {**auth(Role.API_CONSUMER), "Idempotency-Key": "retry-1"}
    first = client.post(APPS, json=form_json(), headers=headers)
    again = client.post(APPS, json=form_json(), headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.headers["location"] == f"{APPS}/{first.json()['id']}"
    assert first.json()["status"] == "pending"


def test_the_list_filters_sorts_and_pages_with_a_cursor(client: Client) -> None:
    for number in range(3):
        client.post(APPS, json=form_json(f"L-{number}"), headers=auth(Role.API_CONSUMER))
    page = client.get(
        APPS, params={"page_size": 2, "status": "pending", "sort": "amount"},
        headers=auth(Role.READONLY),
    ).json()  # fmt: skip
    assert (len(page["items"]), page["total"], page["total_exact"]) == (2, 3, True)
    rest = client.get(
        APPS, params={"page_size": 2, "sort": "amount", "cursor": page["next_cursor"]},
        headers=auth(Role.READONLY),
    ).json()  # fmt: skip
    ids = [item["application"]["id"] for item in page["items"] + rest["items"]]
    assert len(set(ids)) == 3
    none = client.get(APPS, params={"status": "cancelled"}, headers=auth(Role.READONLY)).json()
    assert none["items"] == []


def test_detail_patch_and_cancel(client: Client) -> None:
    created = client.post(APPS, json=form_json(), headers=auth(Role.API_CONSUMER)).json()
    path = f"{APPS}/{created['id']}"
    detail = client.get(path, headers=auth(Role.ANALYST)).json()
    assert detail["application"]["id"] == created["id"]
    assert detail["scoring"] is None

    patched = client.patch(
        path, json={"loan": {"term_months": 36}}, headers=auth(Role.API_CONSUMER)
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["form"]["loan"]["term_months"] == 36
    assert patched.json()["form"]["external_id"] == created["form"]["external_id"]

    invalid = client.patch(path, json={"loan": {"term_months": "x"}}, headers=auth(Role.ADMIN))
    assert invalid.status_code == 422

    cancelled = client.delete(path, headers=auth(Role.API_CONSUMER))
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    again = client.delete(path, headers=auth(Role.API_CONSUMER))
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"

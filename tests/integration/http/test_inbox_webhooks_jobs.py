"""Notifications, webhooks and dead jobs over SQLite: each caller sees only their own."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from application.credit.dead_jobs import FailedJob, RecordDeadJob
from domain.identity import Role
from entrypoints.composition import Deps
from tests.builders import OTHER_TENANT, TENANT, a_user
from tests.integration.http.support import auth
from tests.notification_builders import an_inbox_message

Client = TestClient[Any]
INBOX = "/api/v1/notifications"
HOOKS = "/api/v1/webhooks"
DEAD = "/api/v1/jobs/dead"
SECRET = "s3cret-signing-key-of-32-chars!!"


def _message(deps: Deps, message_id: str, user_id: str, tenant_id: str = TENANT) -> None:
    """A message in the inbox of `user_id` (stored as a user of the tenant if not yet)."""
    with deps.uow() as uow:
        if uow.users.get(tenant_id, user_id) is None:
            uow.users.add(a_user(id=user_id, tenant_id=tenant_id, email=f"{user_id}@example.com"))
        uow.inbox.add(
            an_inbox_message(
                message_id, tenant_id=tenant_id, user_id=user_id, source_id=f"src-{message_id}"
            )
        )
        uow.commit()


def test_the_inbox_lists_and_marks_only_the_callers_messages(client: Client, deps: Deps) -> None:
    for number in range(3):
        _message(deps, f"mine-{number}", "user-analyst")
    _message(deps, "colleague", "user-senior_analyst")
    _message(deps, "elsewhere", "user-analyst", OTHER_TENANT)
    me = auth(Role.ANALYST)
    listed = client.get(INBOX, headers=me).json()
    assert sorted(item["id"] for item in listed["items"]) == ["mine-0", "mine-1", "mine-2"]
    assert (listed["total"], listed["unread"]) == (3, 3)

    read = client.post(f"{INBOX}/mine-1/read", headers=me)
    assert (read.status_code, read.json()) == (200, {"marked": 1})
    unread = client.get(INBOX, params={"unread": "true"}, headers=me).json()
    assert sorted(item["id"] for item in unread["items"]) == ["mine-0", "mine-2"]
    paged = client.get(INBOX, params={"page_size": 1, "page": 2}, headers=me).json()
    assert (len(paged["items"]), paged["total"]) == (1, 3)

    for someone_elses in ("colleague", "elsewhere", "missing"):
        refused = client.post(f"{INBOX}/{someone_elses}/read", headers=me)
        assert refused.status_code == 404, someone_elses
    assert client.post(f"{INBOX}/read-all", headers=me).json() == {"marked": 2}
    assert client.get(INBOX, headers=me).json()["unread"] == 0
    assert client.get(INBOX, headers=auth(Role.SENIOR_ANALYST)).json()["unread"] == 1


def test_webhooks_are_admin_only_and_the_secret_is_shown_once(client: Client) -> None:
    body = {"url": "https://hooks.example.com/creditdesk", "secret": SECRET}
    assert client.post(HOOKS, json=body, headers=auth(Role.SENIOR_ANALYST)).status_code == 403
    created = client.post(HOOKS, json=body, headers=auth(Role.ADMIN))
    assert created.status_code == 201, created.text
    assert created.json()["secret"] == SECRET
    assert created.json()["events"] == ["application.decided"]
    endpoint_id = created.json()["id"]

    listed = client.get(HOOKS, headers=auth(Role.ADMIN))
    assert [item["id"] for item in listed.json()["items"]] == [endpoint_id]
    assert SECRET not in listed.text
    assert "secret" not in listed.json()["items"][0]
    assert client.get(HOOKS, headers=auth(Role.ADMIN, OTHER_TENANT)).json()["items"] == []
    theirs = client.delete(f"{HOOKS}/{endpoint_id}", headers=auth(Role.ADMIN, OTHER_TENANT))
    assert theirs.status_code == 404

    disabled = client.delete(f"{HOOKS}/{endpoint_id}", headers=auth(Role.ADMIN))
    assert (disabled.status_code, disabled.json()["active"]) == (200, False)
    assert SECRET not in disabled.text


def test_a_webhook_with_a_bad_url_lists_the_problems(client: Client) -> None:
    bad = client.post(HOOKS, json={"url": "ftp://x", "secret": "short"}, headers=auth(Role.ADMIN))
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    assert {problem["field"] for problem in bad.json()["errors"]} >= {"url"}
    unknown = {"url": "https://hooks.example.com/x", "secret": SECRET, "events": ["lunch"]}
    refused = client.post(HOOKS, json=unknown, headers=auth(Role.ADMIN))
    assert refused.status_code == 422, refused.text
    chosen = {**unknown, "events": ["override.awaiting_approval", "application.decided"]}
    created = client.post(HOOKS, json=chosen, headers=auth(Role.ADMIN))
    assert created.status_code == 201, created.text
    assert created.json()["events"] == ["application.decided", "override.awaiting_approval"]


def _dead(deps: Deps, job_id: str, tenant_id: str) -> None:
    RecordDeadJob(deps.uow(), deps.clock)(
        FailedJob(job_id, "application.score", {"tenant_id": tenant_id, "application_id": "a-1"},
                  "NoChampion: no champion model", 5)
    )  # fmt: skip


def test_dead_jobs_are_listed_and_retried_within_the_tenant(client: Client, deps: Deps) -> None:
    _dead(deps, "job-mine", TENANT)
    _dead(deps, "job-theirs", OTHER_TENANT)
    admin = auth(Role.ADMIN)
    listed = client.get(DEAD, headers=admin).json()
    assert [job["id"] for job in listed["items"]] == ["job-mine"]
    assert client.get(DEAD, headers=auth(Role.SENIOR_ANALYST)).status_code == 403
    assert client.post(f"{DEAD}/job-theirs/retry", headers=admin).status_code == 404

    retried = client.post(f"{DEAD}/job-mine/retry", headers=admin)
    assert retried.status_code == 202, retried.text
    assert retried.json()["topic"] == "application.score"
    with deps.uow() as uow:
        sent = [m for m in uow.outbox.pending(100) if m.id == retried.json()["message_id"]]
    assert [(m.tenant_id, m.payload) for m in sent] == [(TENANT, {"application_id": "a-1"})]
    again = client.post(f"{DEAD}/job-mine/retry", headers=admin)
    assert again.status_code == 409
    assert client.get(DEAD, headers=admin).json()["items"] == []
    everything = client.get(DEAD, params={"include_retried": "true"}, headers=admin).json()
    assert [job["id"] for job in everything["items"]] == ["job-mine"]

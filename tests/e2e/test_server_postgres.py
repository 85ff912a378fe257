"""A shared installation as an operator runs it: PostgreSQL, Redis, an API replica and a worker.

A throwaway PostgreSQL database (empty, so `creditdesk db upgrade` builds the schema) and the
session's Redis; `creditdesk seed-demo` fills the demo tenant; `creditdesk serve` runs the API
only (a broker is set) and one `creditdesk worker` process scores. Over real HTTP an application
of the lender is scored by the worker and routed; a business loan goes to a person whatever the
score, so the case reaches the queue while the model recommends otherwise. The analyst takes
the case and decides against the model, may not approve their own override, and the senior
does, which makes the decision final. Both processes stop on SIGTERM with status 0.
"""

from __future__ import annotations

import secrets
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import URL

from tests.e2e.console import CREDITDESK, ROOT, creditdesk, environment
from tests.e2e.test_server import a_new_form, bearer, free_port, login
from tests.integration.queue.conftest import redis_server, redis_url

__all__ = ["redis_server", "redis_url"]

pytestmark = pytest.mark.integration

APPS, QUEUE, DECISIONS = "/api/v1/applications", "/api/v1/queue", "/api/v1/decisions"
ROUTED = {"review", "approved", "declined"}
JUSTIFICATION = "Twelve months of statements show stable seasonal income well above the need."


class Process:
    """A running `creditdesk` command, its output in a file (a pipe could fill up)."""

    def __init__(self, data_dir: Path, name: str, args: list[str], env: dict[str, str]) -> None:
        self.output = data_dir / f"{name}.log"
        self.process = subprocess.Popen(  # noqa: S603 - our own console script
            [str(CREDITDESK), *args],
            cwd=ROOT,
            env=env,
            stdout=self.output.open("w"),
            stderr=subprocess.STDOUT,
        )

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def settings(tmp_path: Path, empty_postgres_database: URL, redis_url: str) -> dict[str, str]:
    return {
        "CREDITDESK_DATABASE_URL": empty_postgres_database.render_as_string(hide_password=False),
        "CREDITDESK_BROKER_URL": redis_url,
        "CREDITDESK_JWT_SECRET": secrets.token_hex(32),
    }


@pytest.fixture
def installation(tmp_path: Path, settings: dict[str, str]) -> Iterator[dict[str, Any]]:
    """The schema and the demo tenant in PostgreSQL, then the API and a worker running."""
    for args in (("db", "upgrade"), ("seed-demo", "--applications", "20")):
        done = creditdesk(tmp_path, *args, settings=settings, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
    env = environment(tmp_path, settings)
    port = free_port()
    api = Process(tmp_path, "serve", ["serve", "--host", "127.0.0.1", "--port", str(port)], env)
    work = Process(tmp_path, "worker", ["worker", "--threads", "2"], env)
    http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10)
    try:
        _wait_until_healthy(http, api, within=60)
        yield {"http": http, "api": api, "worker": work}
    finally:
        http.close()
        api.kill()
        work.kill()


def _wait_until_healthy(http: httpx.Client, api: Process, within: float) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if api.process.poll() is not None:
            pytest.fail(f"the server exited early:\n{api.output.read_text()}")
        try:
            if http.get("/health").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    pytest.fail(f"no /health within {within} s:\n{api.output.read_text()}")


def a_business_loan() -> dict[str, Any]:
    form = a_new_form()
    return {**form, "external_id": "E2E-PG-1", "loan": {**form["loan"], "purpose": "business"}}


def routed(http: httpx.Client, headers: dict[str, str], application_id: str) -> str:
    """The application's status once the worker has routed it (30 s at most)."""
    deadline = time.monotonic() + 30
    status = "pending"
    while status not in ROUTED and time.monotonic() < deadline:
        time.sleep(0.5)
        detail = http.get(f"{APPS}/{application_id}", headers=headers)
        assert detail.status_code == 200, detail.text
        status = detail.json()["application"]["status"]
    return status


def overriding(entry: dict[str, Any], policy: dict[str, Any]) -> dict[str, Any] | None:
    """A decision against the model's recommendation on `entry`, or None if it recommended
    a person (a score in the review band)."""
    score = float(entry["score_at_routing"])
    if score >= float(policy["auto_approve_min"]):
        return {"decision_type": "analyst_decline", "reason_category": "other",
                "reasoning": "Declined against the model after reading the statements.",
                "override_justification": JUSTIFICATION}  # fmt: skip
    if score <= float(policy["auto_decline_max"]):
        terms = {"amount": {"amount": "12000", "currency": "EUR"}, "term_months": 36,
                 "annual_rate_percent": "7.5"}  # fmt: skip
        return {"decision_type": "analyst_approve", "terms": terms,
                "override_justification": JUSTIFICATION}  # fmt: skip
    return None


def test_an_override_is_decided_and_approved_on_postgres_and_redis(
    installation: dict[str, Any],
) -> None:
    http: httpx.Client = installation["http"]
    lender = bearer(login(http, "api"))
    analyst = bearer(login(http, "analyst1"))
    senior = bearer(login(http, "senior"))

    created = http.post(APPS, json=a_business_loan(), headers=lender)
    assert created.status_code == 201, created.text
    mine = created.json()["id"]
    assert routed(http, analyst, mine) == "review"

    active = http.get("/api/v1/thresholds/active", headers=analyst).json()
    policy = active.get("policy", active)
    pending = http.get(QUEUE, params={"status": "pending", "page_size": 100}, headers=analyst)
    assert pending.status_code == 200, pending.text
    entries = sorted(pending.json()["items"], key=lambda e: e["application_id"] != mine)
    assert entries[0]["application_id"] == mine, "the routed application is not in the queue"
    entry, draft = next(
        ((e, d) for e in entries if (d := overriding(e, policy)) is not None), (None, None)
    )
    assert entry is not None, "no queued case where the model recommended otherwise"
    assert draft is not None
    application_id = entry["application_id"]

    assigned = http.post(f"{QUEUE}/{entry['id']}/assign", json={}, headers=analyst)
    assert assigned.status_code == 200, assigned.text
    started = http.post(f"{QUEUE}/{entry['id']}/start", headers=analyst)
    assert started.status_code == 200, started.text
    decided = http.post(f"{APPS}/{application_id}/decisions", json=draft, headers=analyst)
    assert decided.status_code == 201, decided.text
    decision = decided.json()
    assert decision["status"] == "awaiting_override_approval"

    approve = f"{DECISIONS}/{decision['id']}/approve-override"
    refused = http.post(approve, headers=analyst)
    assert refused.status_code == 403, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    approved = http.post(approve, json={"comment": "Agreed."}, headers=senior)
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "final"
    final = http.get(f"{APPS}/{application_id}", headers=analyst).json()["application"]
    assert final["status"] in {"approved", "declined"}

    assert installation["api"].stop() == 0, installation["api"].output.read_text()
    assert installation["worker"].stop() == 0, installation["worker"].output.read_text()
    for process in (installation["api"], installation["worker"]):
        assert "Traceback" not in process.output.read_text()

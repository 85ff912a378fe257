"""The gate and delivery routes reach only the targets the settings allow: a base URL or a
repository outside CREDITDESK_TESTGEN_GATE_URLS / _REPOSITORIES is a 422 problem naming the
setting, the gate does not run, git is not called, and nothing is stored."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from domain.identity import Role
from entrypoints.composition import Deps
from tests.builders import TENANT
from tests.integration.http.support import app_for, auth, sqlite_deps
from tests.integration.http.testgen import SPEC, SUITES, seed, spec_call, with_targets

Client = TestClient[Any]
QA = auth(Role.QA_ENGINEER)
GATE_URL = "http://127.0.0.1:9/api"  # the discard port: nothing should ever be listening


@pytest.fixture
def listed(sqlite_database: Path) -> Iterator[Deps]:
    """Deps whose gates may reach GATE_URL and deliveries push under the test's `allowed`."""
    folder = sqlite_database.parent / "allowed"
    built = with_targets(sqlite_deps(sqlite_database), (GATE_URL,), (str(folder),))
    try:
        yield built
    finally:
        built.close()


def _bare(path: Path) -> Path:
    subprocess.run(["git", "init", "-q", "--bare", str(path)], check=True)  # noqa: S603, S607
    return path


def _approved_suite(deps: Deps) -> str:
    ids = seed(deps, TENANT)
    review = {"action": "approve", "comment": "Looked at every test"}
    with TestClient(app_for(deps)) as client:
        answer = client.post(f"{SUITES}/{ids['suite_id']}/review", headers=QA, json=review)
    assert answer.status_code == 200, answer.text
    return ids["suite_id"]


def _refusal(answer: Any, field: str, setting: str) -> str:
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    [error] = answer.json()["errors"]
    assert error["field"] == field
    assert setting in error["message"]
    message: str = error["message"]
    return message


@pytest.mark.parametrize(
    "base_url",
    ["http://127.0.0.1:9/apix", "http://127.0.0.1:10/api", "http://169.254.169.254/latest"],
)
def test_a_gate_outside_the_list_is_422_and_leaves_no_run(listed: Deps, base_url: str) -> None:
    with TestClient(app_for(listed)) as client:
        made = client.post(SUITES, content=SPEC, headers={**QA, **spec_call()["headers"]})
        suite = f"{SUITES}/{made.json()['suite_id']}"
        answer = client.post(f"{suite}/gate", headers=QA, json={"base_url": base_url})
        _refusal(answer, "base_url", "CREDITDESK_TESTGEN_GATE_URLS")
        detail = client.get(suite, headers=QA).json()
    assert detail["latest_gate"] is None


def test_with_no_gate_urls_a_target_is_refused_but_compile_and_collect_still_run(
    client: Client,
) -> None:
    made = client.post(SUITES, content=SPEC, headers={**QA, **spec_call()["headers"]})
    gate = f"{SUITES}/{made.json()['suite_id']}/gate"
    refused = client.post(gate, headers=QA, json={"base_url": "http://127.0.0.1:8000"})
    assert "allows none" in _refusal(refused, "base_url", "CREDITDESK_TESTGEN_GATE_URLS")
    report = client.post(gate, headers=QA, json={})
    assert report.status_code == 200, report.text
    assert report.json()["ran"] is False


def test_a_delivery_outside_the_list_is_422_and_git_never_touches_it(
    listed: Deps, tmp_path: Path
) -> None:
    suite_id = _approved_suite(listed)
    outside = _bare(tmp_path / "outside.git")
    inside = _bare(tmp_path / "allowed" / "inside.git")
    deliveries = f"{SUITES}/{suite_id}/deliveries"
    with TestClient(app_for(listed)) as client:
        refused = client.post(
            deliveries, headers=QA, json={"repository": str(outside), "branch": "generated"}
        )
        sneaking = client.post(
            deliveries,
            headers=QA,
            json={"repository": f"{tmp_path}/allowed/../outside.git", "branch": "generated"},
        )
        before = client.get(f"{SUITES}/{suite_id}", headers=QA).json()["deliveries"]
        made = client.post(
            deliveries, headers=QA, json={"repository": str(inside), "branch": "generated"}
        )
    for answer in (refused, sneaking):
        _refusal(answer, "repository", "CREDITDESK_TESTGEN_REPOSITORIES")
    assert before == []
    assert not (outside / "refs" / "heads" / "generated").exists()
    assert made.status_code == 201, made.text
    assert (inside / "refs" / "heads" / "generated").exists()


def test_with_no_repositories_every_delivery_is_refused(deps: Deps, tmp_path: Path) -> None:
    suite_id = _approved_suite(deps)
    target = _bare(tmp_path / "repo.git")
    with TestClient(app_for(deps)) as client:
        answer = client.post(
            f"{SUITES}/{suite_id}/deliveries",
            headers=QA,
            json={"repository": str(target), "branch": "generated"},
        )
    assert "allows none" in _refusal(answer, "repository", "CREDITDESK_TESTGEN_REPOSITORIES")
    assert not (target / "refs" / "heads" / "generated").exists()

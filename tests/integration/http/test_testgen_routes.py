"""The test-generation API over SQLite with the real use cases: upload a spec (raw JSON, YAML
or a form's file), read the suite, review its tests one by one and in bulk, fetch its files."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml
from attrs import evolve
from litestar.testing import TestClient

from domain.identity import Role
from entrypoints.composition import Deps
from tests.fakes import FixedClock
from tests.integration.http.support import app_for, auth, sqlite_deps
from tests.integration.http.testgen import SPEC, SUITES, spec_bytes, spec_call, with_targets
from tests.unit.domain.testgen.specs import petstore_30

Client = TestClient[Any]
QA = auth(Role.QA_ENGINEER)


def _submit(client: Client, content: bytes = SPEC, status: int = 201) -> dict[str, Any]:
    answer = client.post(SUITES, **_with(spec_call(content)))
    assert answer.status_code == status, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _with(call: dict[str, Any]) -> dict[str, Any]:
    return {**call, "headers": {**QA, **call["headers"]}}


def _suite(client: Client, suite_id: str) -> dict[str, Any]:
    answer = client.get(f"{SUITES}/{suite_id}", headers=QA)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_a_spec_as_json_yaml_or_a_forms_file_makes_one_suite_per_spec(
    client: Client, deps: Deps
) -> None:
    made = _submit(client)
    assert made["created"] is True
    assert made["title"] == "Petstore"
    assert made["cases"] > 0
    assert made["links"]["page"] == f"/app/testgen/{made['suite_id']}"
    again = _submit(client, status=200)
    as_yaml = yaml.safe_dump(petstore_30()).encode()
    in_yaml = client.post(
        SUITES, content=as_yaml, headers={**QA, "Content-Type": "application/yaml"}
    )
    assert in_yaml.status_code == 200, in_yaml.text
    assert made["suite_id"] == again["suite_id"] == in_yaml.json()["suite_id"]
    assert isinstance(deps.clock, FixedClock)
    deps.clock.advance(timedelta(minutes=5))
    form = client.post(
        SUITES, headers=QA, files={"file": ("petstore-2.json", spec_bytes("2.0.0"), "text/plain")}
    )
    assert form.status_code == 201, form.text
    newer = form.json()
    assert newer["version"] == "2.0.0"
    assert set(newer["changes"]) == {"new", "changed", "removed"}
    listed = client.get(SUITES, headers=QA).json()["items"]
    assert [s["id"] for s in listed] == [newer["suite_id"], made["suite_id"]]  # newest first
    assert listed[0]["source"] == "petstore-2.json"
    assert listed[0]["origin"] == "upload"
    assert listed[0]["previous_id"] == made["suite_id"]
    assert listed[1]["counts"] == {"pending": made["cases"], "approved": 0, "rejected": 0}
    assert listed[1]["gate"] == "not run"
    assert listed[1]["suspects"] == 0


def test_a_spec_with_faults_is_422_naming_each_fault_by_its_json_pointer(client: Client) -> None:
    document = petstore_30()
    document["paths"]["/pets"]["get"]["responses"] = "none"
    document["info"]["version"] = 3
    document["paths"]["/pets"]["post"]["parameters"] = [{"in": "body"}]
    answer = client.post(SUITES, **_with(spec_call(json.dumps(document).encode())))
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    fields = {error["field"] for error in answer.json()["errors"]}
    assert {
        "#/paths/~1pets/get/responses",
        "#/paths/~1pets/post/parameters/0/in",
        "#/info/version",
    } <= fields, fields


def test_an_empty_or_unreadable_body_is_422_and_nothing_is_stored(client: Client) -> None:
    for content in (b"", b"   \n", b"{not json", b"- just\n- a list\n", b"\xff\xfe\x00"):
        answer = client.post(SUITES, **_with(spec_call(content)))
        assert answer.status_code == 422, (content, answer.text)
        assert answer.json()["errors"], answer.text
    form = client.post(SUITES, headers=QA, files={"other": ("x.json", SPEC, "text/plain")})
    assert form.status_code == 422, form.text
    assert form.json()["errors"][0]["field"] == "file"
    assert client.get(SUITES, headers=QA).json()["items"] == []


def test_each_test_shows_its_code_rule_location_operation_and_review(client: Client) -> None:
    made = _submit(client)
    detail = _suite(client, made["suite_id"])
    assert len(detail["tests"]) == made["cases"] == detail["cases"]
    assert detail["removed"] == []
    assert detail["latest_gate"] is None
    for test in detail["tests"]:
        assert test["source"].lstrip().startswith(("def test_", "@")), test["source"][:80]
        assert test["function"] in test["source"]
        assert test["location"].startswith("#/")
        assert isinstance(test["operation"], dict)
        assert test["review"]["state"] == "pending"
        assert test["review"]["suspect"] is False
        assert test["module"].endswith(".py")
        assert test["change"] is None


def test_tests_are_approved_rejected_and_reopened_one_by_one(client: Client) -> None:
    made = _submit(client)
    first, second = (t["case_id"] for t in _suite(client, made["suite_id"])["tests"][:2])
    base = f"{SUITES}/{made['suite_id']}/tests"
    approved = client.post(f"{base}/{first}/review", headers=QA, json={"action": "approve"})
    assert approved.status_code == 200, approved.text
    assert approved.json()["state"] == "approved"
    assert approved.json()["history"][0]["reviewer"] == "user-qa_engineer"
    twice = client.post(f"{base}/{first}/review", headers=QA, json={"action": "approve"})
    assert twice.status_code == 409, twice.text
    silent = client.post(f"{base}/{second}/review", headers=QA, json={"action": "reject"})
    assert silent.status_code == 422
    assert silent.json()["errors"][0]["field"] == "comment"
    rejected = client.post(
        f"{base}/{second}/review", headers=QA, json={"action": "reject", "comment": "Wrong id"}
    )
    assert rejected.json()["state"] == "rejected"
    reopened = client.post(f"{base}/{second}/review", headers=QA, json={"action": "reopen"})
    assert reopened.json()["state"] == "pending"
    wrong = client.post(f"{base}/{first}/review", headers=QA, json={"action": "bless", "x": 1})
    assert wrong.status_code == 422, wrong.text
    assert len(wrong.json()["errors"]) == 2, wrong.text
    unknown = client.post(f"{base}/no-such-case/review", headers=QA, json={"action": "approve"})
    assert unknown.status_code in {404, 422}, unknown.text


def test_a_bulk_approval_approves_the_pending_and_lists_what_it_left(client: Client) -> None:
    made = _submit(client)
    ids = [t["case_id"] for t in _suite(client, made["suite_id"])["tests"]]
    base = f"{SUITES}/{made['suite_id']}"
    client.post(f"{base}/tests/{ids[0]}/review", headers=QA, json={"action": "approve"})
    answer = client.post(
        f"{base}/bulk-approve", headers=QA,
        json={"case_ids": [*ids[:3], "not-in-the-suite"], "comment": "Read them all"},
    )  # fmt: skip
    assert answer.status_code == 200, answer.text
    assert sorted(answer.json()["approved"]) == sorted(ids[1:3])
    assert sorted(answer.json()["skipped"]) == sorted([ids[0], "not-in-the-suite"])
    empty = client.post(f"{base}/bulk-approve", headers=QA, json={"case_ids": []})
    assert empty.status_code == 422
    assert empty.json()["errors"][0]["field"] == "case_ids"
    counts = _suite(client, made["suite_id"])["counts"]
    assert counts["approved"] == 3
    assert counts["pending"] == len(ids) - 3


def test_a_whole_suite_is_approved_or_rejected_with_its_reasons(client: Client) -> None:
    made = _submit(client)
    review = f"{SUITES}/{made['suite_id']}/review"
    silent = client.post(review, headers=QA, json={"action": "reject"})
    assert silent.status_code == 422
    assert silent.json()["errors"][0]["field"] == "comment"
    approved = client.post(review, headers=QA, json={"action": "approve", "comment": "Fine"})
    assert approved.status_code == 200, approved.text
    assert approved.json()["state"] == "approved"
    assert {t["state"] for t in approved.json()["tests"]} == {"approved"}
    assert _suite(client, made["suite_id"])["state"] == "approved"


def test_the_files_come_as_json_or_as_the_same_zip_every_time(client: Client) -> None:
    made = _submit(client)
    files = f"{SUITES}/{made['suite_id']}/files"
    as_json = client.get(files, headers=QA)
    assert as_json.status_code == 200, as_json.text
    paths = {f["path"]: f["text"] for f in as_json.json()["files"]}
    assert {"conftest.py", "openapi.json"} <= set(paths)
    assert any(p.startswith("test_") for p in paths)
    assert len(as_json.json()["functions"]) == made["cases"]
    zipped = client.get(files, headers=QA, params={"format": "zip"})
    assert zipped.status_code == 200
    assert zipped.headers["content-type"] == "application/zip"
    folder = f"suite-{made['suite_id']}"
    assert f'filename="{folder}.zip"' in zipped.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as archive:
        assert {n: archive.read(n).decode() for n in archive.namelist()} == {
            f"{folder}/{p}": text for p, text in paths.items()
        }
    assert client.get(files, headers=QA, params={"format": "zip"}).content == zipped.content
    wrong = client.get(files, headers=QA, params={"format": "tar"})
    assert wrong.status_code == 422, wrong.text


def test_the_gate_compiles_and_collects_and_checks_its_target_first(client: Client) -> None:
    made = _submit(client)
    gate = f"{SUITES}/{made['suite_id']}/gate"
    wrong = client.post(gate, headers=QA, json={"base_url": "ftp://x", "token": 5})
    assert wrong.status_code == 422, wrong.text
    tokens_only = client.post(gate, headers=QA, json={"token": "t", "limited_token": "l"})
    assert [e["field"] for e in tokens_only.json()["errors"]] == ["token", "limited_token"]
    report = client.post(gate, headers=QA, json={})
    assert report.status_code == 200, report.text
    assert report.json()["ran"] is False
    assert report.json()["compile_errors"] == []
    assert len(report.json()["collected"]) >= made["cases"] // 2
    assert _suite(client, made["suite_id"])["latest_gate"]["collected"]


def test_a_delivery_target_is_checked_whole_before_anything_runs(sqlite_database: Path) -> None:
    deps = with_targets(sqlite_deps(sqlite_database), repositories=("/nowhere",))
    try:
        with TestClient(app_for(deps)) as client:
            _refused_deliveries(client)
    finally:
        deps.close()


def _refused_deliveries(client: Client) -> None:
    made = _submit(client)
    answer = client.post(
        f"{SUITES}/{made['suite_id']}/deliveries", headers=QA,
        json={"repository": "-x", "branch": "a..b", "directory": "../out"},
    )  # fmt: skip
    assert answer.status_code == 422, answer.text
    assert {e["field"] for e in answer.json()["errors"]} == {"repository", "branch", "directory"}
    nothing = client.post(
        f"{SUITES}/{made['suite_id']}/deliveries", headers=QA,
        json={"repository": "/nowhere/repo.git", "branch": "generated-tests"},
    )  # fmt: skip
    assert nothing.status_code == 422, nothing.text
    assert nothing.json()["errors"] == [
        {"field": "suite", "message": "has no approved tests to deliver"}
    ]


def test_a_spec_over_the_limit_is_413_as_a_body_or_a_form(sqlite_database: Path) -> None:
    base = sqlite_deps(sqlite_database)
    limit = len(spec_bytes()) + 100
    limited = evolve(base.settings.testgen, max_spec_bytes=limit)
    deps = evolve(base, settings=evolve(base.settings, testgen=limited))
    big = spec_bytes(title="x" * 200)
    try:
        with TestClient(app_for(deps)) as client:
            raw = client.post(SUITES, **_with(spec_call(big)))
            form = client.post(SUITES, headers=QA, files={"file": ("big.json", big, "text/plain")})
            small = client.post(SUITES, **_with(spec_call(spec_bytes())))
    finally:
        deps.close()
    for answer in (raw, form):
        assert answer.status_code == 413, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["errors"] == [
            {"field": "(body)", "message": f"a spec may be at most {limit:,} bytes"}
        ]
    assert small.status_code == 201, small.text

"""`creditdesk testgen ...` on a fresh SQLite database in tmp_path, as a QA engineer would use
it: submit a spec from a file and a URL, review the tests, run the gate, write the files, and
deliver the approved tests to a real git repository (a bare one stands in for the remote)."""

from __future__ import annotations

import json
import re
import subprocess
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.e2e.console import CREDITDESK, creditdesk, environment
from tests.e2e.tenancy_support import PASSWORD, create_acme, creditdesk_with_input
from tests.unit.domain.testgen.specs import petstore_30

#: The tenant's administrator (`create_acme`), acting with their own role through `--as`.
REVIEWER = "boss@acme.example"
#: git lives in the system's folders, which the script's bare environment leaves out.
WITH_GIT = {"PATH": f"{CREDITDESK.parent}:/usr/bin:/bin"}


#: Deliveries may push only under this folder of the data directory.
REMOTES = "remotes"


def run_testgen(
    data_dir: Path, *args: str, who: str = REVIEWER
) -> subprocess.CompletedProcess[str]:
    allowed = {"CREDITDESK_TESTGEN_REPOSITORIES": str(data_dir / REMOTES)}
    return creditdesk(
        data_dir, "testgen", *args, "--tenant", "acme", "--as", who, settings=WITH_GIT | allowed
    )


def refused_for(done: subprocess.CompletedProcess[str], setting: str) -> str:
    """The message of a command refused for a target its allowlist `setting` does not hold."""
    said = " ".join(done.stdout.split())
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Not acceptable:" in said
    assert setting in said
    return said


def ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def add_user(data_dir: Path, email: str, role: str) -> None:
    args = ("users", "create", email, "--name", email, "--role", role, "--tenant", "acme")
    done = creditdesk_with_input(data_dir, *args, "--password-stdin", stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stdout + done.stderr


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(  # noqa: S603 - git with arguments the test wrote
        ["git", *args],  # noqa: S607
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(cwd)},
    ).stdout


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A loopback HTTP server over a folder: (base URL, folder)."""
    folder = tmp_path / "served"
    folder.mkdir()
    handler = partial(SimpleHTTPRequestHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", folder
    finally:
        server.shutdown()
        server.server_close()


def submitted(tmp_path: Path) -> tuple[str, int, Path]:
    """The tenant acme with an analyst (who may not submit), and the petstore submitted from a
    file: (suite id, number of tests, spec file)."""
    create_acme(tmp_path)
    add_user(tmp_path, "ana@acme.example", "analyst")
    spec = tmp_path / "petstore.json"
    spec.write_text(json.dumps(petstore_30()), encoding="utf-8")
    done = ok(run_testgen(tmp_path, "submit", str(spec)))
    found = re.search(r"Generated suite (\S+) for Petstore 1\.0\.0: (\d+) tests", done)
    assert found, done
    return found.group(1), int(found.group(2)), spec


def functions_of(tmp_path: Path, suite_id: str) -> list[str]:
    """The test functions of the suite's first module, as `files` writes them."""
    out = tmp_path / "suite"
    assert f"into {out}" in ok(run_testgen(tmp_path, "files", suite_id, "--out", str(out)))
    modules = sorted(p.name for p in out.glob("test_*.py"))
    assert modules
    assert (out / "conftest.py").is_file()
    return re.findall(r"^def (test_\w+)\(", (out / modules[0]).read_text(), re.MULTILINE)


def test_a_spec_goes_from_a_file_to_reviewed_tests_on_a_branch(tmp_path: Path) -> None:
    suite_id, count, spec = submitted(tmp_path)
    again = ok(run_testgen(tmp_path, "submit", str(spec)))
    assert f"Already submitted: suite {suite_id}" in again
    refused = run_testgen(tmp_path, "submit", str(spec), who="ana@acme.example")
    assert (refused.returncode, "Not allowed" in refused.stdout) == (1, True), refused.stdout
    listed = ok(run_testgen(tmp_path, "list"))
    assert suite_id in listed
    assert f"{count} pending" in listed

    first, second = functions_of(tmp_path, suite_id)[:2]
    assert first in ok(run_testgen(tmp_path, "show", suite_id))
    one = ok(run_testgen(tmp_path, "show", suite_id, "--test", first))
    assert f"def {first}(" in one
    assert '"responses"' in one  # the spec operation beside the code
    assert f"Test {first} is approved" in ok(run_testgen(tmp_path, "approve", suite_id, first))
    rejected = run_testgen(tmp_path, "reject", suite_id, second, "--comment", "asserts too little")
    assert f"Test {second} is rejected" in ok(rejected)
    bulk = ok(run_testgen(tmp_path, "bulk-approve", suite_id, "--rule", "happy_path"))
    assert re.search(r"Approved \d+ tests; skipped \d+", bulk), bulk
    unknown_rule = run_testgen(tmp_path, "bulk-approve", suite_id, "--rule", "no_such_rule")
    assert (unknown_rule.returncode, "no_such_rule" in unknown_rule.stdout) == (1, True)

    gated = ok(run_testgen(tmp_path, "gate", suite_id))
    assert re.search(r"Collected [1-9]\d* tests\.", gated), gated
    assert "Gate passed." in gated
    unlisted = run_testgen(tmp_path, "gate", suite_id, "--base-url", "http://127.0.0.1:9")
    said = refused_for(unlisted, "CREDITDESK_TESTGEN_GATE_URLS")
    assert "base_url" in said
    assert "Collected" not in said  # no report: nothing ran

    outside = tmp_path / "outside.git"
    outside.mkdir()
    git(outside, "init", "--quiet", "--bare", "--initial-branch=main")
    elsewhere = ("--repo", str(outside), "--branch", "testgen/petstore")
    refused_delivery = run_testgen(tmp_path, "deliver", suite_id, *elsewhere)
    assert "repository" in refused_for(refused_delivery, "CREDITDESK_TESTGEN_REPOSITORIES")
    assert git(outside, "branch", "--list") == ""  # git never pushed there

    remote = tmp_path / REMOTES / "remote.git"
    remote.mkdir(parents=True)
    git(remote, "init", "--quiet", "--bare", "--initial-branch=main")
    target = ("--repo", str(remote), "--branch", "testgen/petstore", "--directory", "tests/api")
    delivered = ok(run_testgen(tmp_path, "deliver", suite_id, *target))
    commit = re.search(r"Committed ([0-9a-f]{40}) on testgen/petstore", delivered)
    assert commit, delivered
    assert git(remote, "rev-parse", "testgen/petstore").strip() == commit.group(1)
    message = git(remote, "log", "-1", "--format=%B", "testgen/petstore")
    assert first in message
    assert second not in message  # rejected: not delivered
    tree = git(remote, "ls-tree", "-r", "--name-only", "testgen/petstore")
    assert "tests/api/conftest.py" in tree.split()


def test_a_spec_from_a_url_then_its_next_version_and_a_broken_one(
    tmp_path: Path, served: tuple[str, Path]
) -> None:
    create_acme(tmp_path)
    base, folder = served
    first = petstore_30()
    (folder / "v1.json").write_text(json.dumps(first), encoding="utf-8")
    second = petstore_30()
    second["info"]["version"] = "1.1.0"
    del second["paths"]["/pets/{petId}"]["delete"]
    second["components"]["schemas"]["NewPet"]["properties"]["name"]["maxLength"] = 50
    (folder / "v2.json").write_text(json.dumps(second), encoding="utf-8")

    ok(run_testgen(tmp_path, "submit", f"{base}/v1.json"))
    next_version = ok(run_testgen(tmp_path, "submit", f"{base}/v2.json"))
    assert "for Petstore 1.1.0" in next_version
    suite_id = next_version.split("suite ", 1)[1].split()[0]
    approved = run_testgen(tmp_path, "approve", suite_id, "--comment", "read every test")
    assert f"Suite {suite_id} is approved." in ok(approved)
    assert f"Suite {suite_id} is pending." in ok(run_testgen(tmp_path, "reopen", suite_id))
    # A server that answers 404 to everything is not the petstore: the run fails, and says so.
    tokens = "the-secret-token\nthe-limited-token\n"
    gate = ("testgen", "gate", suite_id, "--base-url", base, "--tokens-stdin")
    who = ("--tenant", "acme", "--as", REVIEWER)
    gated = subprocess.run(  # noqa: S603 - our own console script with fixed arguments
        [str(CREDITDESK), *gate, *who],
        input=tokens,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=environment(  # a short run is enough
            tmp_path, {"TESTGEN_MAX_EXAMPLES": "3", "CREDITDESK_TESTGEN_GATE_URLS": base}
        ),
    )
    assert gated.returncode == 1, gated.stdout + gated.stderr
    assert "Gate failed." in gated.stdout
    assert re.search(r"Ran [1-9]\d*: \d+ passed\.", gated.stdout), gated.stdout
    assert "the-secret-token" not in gated.stdout + gated.stderr
    changed = re.search(r"(\d+) new, (\d+) changed, (\d+) removed", next_version)
    assert changed, next_version
    assert int(changed.group(3)) > 0  # deletePet's tests are gone
    assert int(changed.group(2)) > 0  # the name's upper boundary moved

    gone = run_testgen(tmp_path, "submit", f"{base}/missing.json")
    assert gone.returncode == 1
    assert "answered 404" in gone.stdout

    broken = tmp_path / "swagger.json"
    broken.write_text(json.dumps({"swagger": "2.0", "info": {"title": 1}}), encoding="utf-8")
    refused = run_testgen(tmp_path, "submit", str(broken))
    assert refused.returncode == 1
    assert f"The spec {broken} is not acceptable" in refused.stdout
    assert "#/openapi" in refused.stdout  # every problem named by its JSON pointer
    assert "#/paths" in refused.stdout

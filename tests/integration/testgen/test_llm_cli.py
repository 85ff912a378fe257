"""`creditdesk testgen unit` and `propose` in process, on a SQLite database in tmp_path: the
refusal without a model, and proposals from the scripted server on loopback."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from entrypoints.cli.main import app
from tests.services.openai_server import MODEL, OpenAiServer, json_answer
from tests.unit.domain.testgen.specs import petstore_30

PROPOSAL = {
    "title": "A pet with an empty tag list is created",
    "expected_status": "201",
    "parameters": [],
    "body_json": '{"name": "Rex", "children": []}',
    "credentials": "valid",
}
WRONG = dict(PROPOSAL, title="A pet with an owner", body_json='{"name": "Rex", "owner": "me"}')


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Only this test's settings: a data folder in tmp_path, a wide terminal."""
    for name in [n for n in os.environ if n.startswith("CREDITDESK_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("CREDITDESK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path


def said(output: str) -> str:
    return " ".join(re.sub(r"[\u2500-\u257f]", " ", output).split())


def test_without_a_model_unit_says_which_settings_to_set(isolated: Path) -> None:
    out = isolated / "test_out.py"

    done = CliRunner().invoke(app, ["testgen", "unit", "src/domain/pii.py", "--out", str(out)])

    assert done.exit_code == 1, done.output
    assert "No language model is configured" in said(done.output)
    assert "CREDITDESK_LLM_BASE_URL" in said(done.output)
    assert "CREDITDESK_LLM_MODEL" in said(done.output)
    assert not out.exists()


def test_propose_keeps_what_the_spec_allows_in_a_new_suite(
    isolated: Path, openai_server: OpenAiServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = isolated / "petstore.json"
    spec.write_text(json.dumps(petstore_30()), encoding="utf-8")
    runner = CliRunner()
    submitted = runner.invoke(app, ["testgen", "submit", str(spec)])
    assert submitted.exit_code == 0, submitted.output
    suite_id = re.search(r"suite (\S+) for", submitted.output)
    assert suite_id is not None
    offline = runner.invoke(app, ["testgen", "propose", suite_id.group(1), "createPet"])
    monkeypatch.setenv("CREDITDESK_LLM_BASE_URL", openai_server.base_url)
    monkeypatch.setenv("CREDITDESK_LLM_MODEL", MODEL)
    openai_server.script(json_answer({"cases": [PROPOSAL, WRONG]}))

    done = runner.invoke(app, ["testgen", "propose", suite_id.group(1), "POST /pets"])

    assert offline.exit_code == 1
    assert "CREDITDESK_LLM_BASE_URL" in said(offline.output)
    assert done.exit_code == 0, done.output
    text = said(done.output)
    assert "Proposals for POST /pets (answered): 1 kept, 1 dropped." in text
    assert f"kept {PROPOSAL['title']}" in text
    assert "owner" in text
    assert "pending review" in text
    assert len(openai_server.received()) == 1

"""`creditdesk testgen unit PATH` as a process, against the scripted OpenAI-compatible server:
the kept tests are written and pass, the report says what happened, and a second run on the
same database asks the model nothing (its answers are in the SQL cache)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.e2e.console import creditdesk
from tests.services.openai_server import MODEL, OpenAiServer, Reply, json_answer

MODULE = '''\
"""Loyalty tiers."""


def tier(points: int) -> str:
    """"gold" from 1000 points, "silver" from 100, else "basic"."""
    if points >= 1000:
        return "gold"
    return "silver" if points >= 100 else "basic"
'''
ANSWER = {
    "imports": ["from loyalty.tiers import tier"],
    "tests": [
        {"name": "test_gold", "source": "def test_gold():\n    assert tier(1500) == 'gold'\n"},
        {"name": "test_basic", "source": "def test_basic():\n    assert tier(5) == 'basic'\n"},
        {"name": "test_gold_2", "source": "def test_gold_2():\n    assert tier(1000) == 'gold'\n"},
        {"name": "test_wrong", "source": "def test_wrong():\n    assert tier(150) == 'gold'\n"},
        {"name": "test_broken", "source": "def test_broken(:\n    pass\n"},
    ],
}


def respond(body: Any) -> Reply:
    return json_answer(ANSWER)


def plain(output: str) -> str:
    """The report's words with the tables' borders and line breaks gone."""
    return " ".join(re.sub(r"[\u2500-\u257f]", " ", output).split())


def test_unit_writes_the_kept_tests_and_a_second_run_is_all_cache_hits(
    openai_server: OpenAiServer, tmp_path: Path
) -> None:
    package = tmp_path / "src" / "loyalty"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "tiers.py").write_text(MODULE, encoding="utf-8")
    out = tmp_path / "test_tiers.py"
    openai_server.responder = respond
    llm = {"CREDITDESK_LLM_BASE_URL": openai_server.base_url, "CREDITDESK_LLM_MODEL": MODEL}
    args = ("testgen", "unit", str(package / "tiers.py"), "--out", str(out), "--timeout", "5")

    first = creditdesk(tmp_path / "data", *args, settings=llm)

    assert first.returncode == 0, first.stdout + first.stderr
    said = plain(first.stdout)
    assert "proposed 5" in said
    assert "kept 2" in said
    assert "discarded: fails 1" in said
    assert "discarded: does not compile 1" in said
    assert "discarded: adds no coverage 1" in said
    assert "1 answered, 0 cached, 0 fallback" in said
    assert "Wrote 2 tests to" in said
    written = out.read_text(encoding="utf-8")
    assert "def test_gold():" in written
    assert "def test_basic():" in written
    assert "test_wrong" not in written
    assert len(openai_server.received()) == 1
    ran = subprocess.run(  # noqa: S603 - pytest on the file just written
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
         str(out)],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=60,
        env={"PYTHONPATH": str(tmp_path / "src"), "PATH": str(Path(sys.executable).parent)},
    )  # fmt: skip
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "2 passed" in ran.stdout

    second = creditdesk(tmp_path / "data", *args, settings=llm)

    assert second.returncode == 0, second.stdout + second.stderr
    assert "0 answered, 1 cached, 0 fallback" in plain(second.stdout)
    assert len(openai_server.received()) == 1  # the model was not asked again
    assert out.read_text(encoding="utf-8") == written

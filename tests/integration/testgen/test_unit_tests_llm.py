"""`WriteUnitTests` through the real `openai` client and the scripted server on loopback, with
the real coverage gate: good answers, malformed and schema-breaking ones, and a cached rerun."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.llm.answers import CattrsAnswerReader
from adapters.llm.openai_model import OpenAiModel
from adapters.testgen.coverage_gate import CoverageGate
from adapters.testgen.module_outline import AstModuleReader
from application.llm.gateway import LlmGateway
from application.testgen.unit_tests import WriteUnitTests
from domain.testgen.unit_tests import Verdict
from entrypoints.composition import SystemClock
from tests.llm_fakes import InMemoryLlmCache, InMemoryUsageLedger
from tests.services.openai_server import MODEL, OpenAiServer, answer, json_answer, status

MODULE = '''\
"""Shipping fees."""


def fee(weight_kg: int) -> int:
    """5 up to 2 kg, 9 up to 10 kg, else 20; a weight below 1 is refused."""
    if weight_kg < 1:
        raise ValueError("weight")
    if weight_kg <= 2:
        return 5
    return 9 if weight_kg <= 10 else 20


def label(country: str) -> str:
    """The country code in capitals."""
    return country.upper()
'''

FEE_ANSWER = {
    "imports": ["import pytest", "from parcels.fees import fee"],
    "tests": [
        {"name": "test_light", "source": "def test_light():\n    assert fee(1) == 5\n"},
        {"name": "test_heavy", "source": "def test_heavy():\n    assert fee(50) == 20\n"},
        {"name": "test_light_again", "source": "def test_light_again():\n    assert fee(2) == 5\n"},
        {"name": "test_wrong", "source": "def test_wrong():\n    assert fee(5) == 5\n"},
        {
            "name": "test_refused",
            "source": "def test_refused():\n    with pytest.raises(ValueError):\n        fee(0)\n",
        },
    ],
}
LABEL_ANSWER = {
    "imports": ["from parcels.fees import label"],
    "tests": [
        {"name": "test_label", "source": "def test_label():\n    assert label('de') == 'DE'\n"}
    ],
}


@pytest.fixture
def module(tmp_path: Path) -> Path:
    package = tmp_path / "parcels"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    path = package / "fees.py"
    path.write_text(MODULE, encoding="utf-8")
    return path


@pytest.fixture
def write(openai_server: OpenAiServer) -> WriteUnitTests:
    model = OpenAiModel(base_url=openai_server.base_url, model=MODEL, timeout=5.0, max_retries=1)
    gateway = LlmGateway(
        model=model,
        reader=CattrsAnswerReader(),
        cache=InMemoryLlmCache(),
        ledger=InMemoryUsageLedger(),
        clock=SystemClock(),
    )
    return WriteUnitTests(gateway, AstModuleReader(), CoverageGate(timeout_s=5.0))


def test_answers_over_http_are_gated_and_a_second_run_is_served_from_the_cache(
    openai_server: OpenAiServer, write: WriteUnitTests, module: Path
) -> None:
    openai_server.script(json_answer(FEE_ANSWER), json_answer(LABEL_ANSWER))

    first = write("tenant-a", str(module))

    verdicts = {j.candidate.name: j.verdict for j in first.selection.judged}
    assert verdicts == {
        "test_light": Verdict.KEPT,
        "test_heavy": Verdict.KEPT,
        "test_light_again": Verdict.ADDS_NO_COVERAGE,
        "test_wrong": Verdict.FAILS,
        "test_refused": Verdict.KEPT,
        "test_label": Verdict.KEPT,
    }
    assert (first.answered, first.cached, first.fallbacks) == (2, 0, {})
    sent = openai_server.received()
    assert len(sent) == 2
    assert sent[0].body["response_format"]["json_schema"]["name"] == "unit_tests"
    assert "def fee(weight_kg: int) -> int" in sent[0].prompt
    assert "raise ValueError" not in sent[0].prompt  # the body is never sent

    second = write("tenant-a", str(module))

    assert (second.answered, second.cached) == (0, 2)
    assert len(openai_server.received()) == 2  # no new request
    assert second.text == first.text


def test_malformed_and_schema_breaking_answers_fall_back_and_are_asked_again(
    openai_server: OpenAiServer, write: WriteUnitTests, module: Path
) -> None:
    wrong_shape = {"imports": [], "tests": [{"name": "test_x", "body": "pass"}]}
    openai_server.script(answer('{"imports": ["from parcels'), json_answer(wrong_shape))

    first = write("tenant-a", str(module))

    assert first.fallbacks == {"malformed_json": 1, "schema_mismatch": 1}
    assert (first.proposed, first.kept) == (0, 0)
    openai_server.script(json_answer(FEE_ANSWER), status(500), status(500))

    second = write("tenant-a", str(module))  # nothing was cached: both asked again

    assert second.answered == 1
    assert second.fallbacks == {"server_error": 1}
    assert second.kept == 3
    assert len(openai_server.received()) == 5

"""`WriteUnitTests`: one question per unit, through the gateway, and only useful tests kept."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import pytest

from adapters.llm.answers import CattrsAnswerReader
from application.llm.gateway import LlmGateway
from application.llm.ports import FailureCause
from application.testgen.unit_prompt import UNIT_PROMPT_VERSION, UNIT_PURPOSE
from application.testgen.unit_tests import GateResult, LlmNotConfigured, WriteUnitTests
from domain.testgen.unit_tests import (
    Candidate,
    CandidateRun,
    Covered,
    Measurable,
    ModuleOutline,
    RunOutcome,
    UnitOutline,
    Verdict,
)
from tests.fakes import FixedClock
from tests.llm_fakes import InMemoryLlmCache, InMemoryUsageLedger, ScriptedModel

TENANT = "tenant-a"
OUTLINE = ModuleOutline(
    module="pkg.money",
    path="/src/pkg/money.py",
    docstring="Money arithmetic.\n\nMore detail that stays out of the prompt.",
    units=(
        UnitOutline("add", "function", "def add(a: int, b: int) -> int", "The sum of a and b."),
        UnitOutline("Wallet", "class", "class Wallet", "A purse.", ("balance: int",)),
    ),
)


class OutlineReader:
    def outline(self, path: str) -> ModuleOutline:
        assert path == "pkg/money.py"
        return OUTLINE


class MarkedGate:
    """Judges a candidate by marks in its source: `# fails`, `# hangs`, and `# covers 3 4`."""

    def __init__(self) -> None:
        self.seen: list[Candidate] = []

    def run(
        self,
        outline: ModuleOutline,
        candidates: Sequence[Candidate],
        progress: Callable[[int], None],
    ) -> GateResult:
        self.seen.extend(candidates)
        runs = []
        for done, candidate in enumerate(candidates, start=1):
            try:
                compile(candidate.text, candidate.id, "exec")
            except SyntaxError:
                runs.append(CandidateRun(candidate.id, RunOutcome.NOT_COMPILED, message="syntax"))
                continue
            covers = re.search(r"# covers ([\d ]+)", candidate.source)
            lines = frozenset(int(n) for n in covers.group(1).split()) if covers else frozenset()
            outcome = RunOutcome.PASSED
            if "# fails" in candidate.source:
                outcome = RunOutcome.FAILED
            elif "# hangs" in candidate.source:
                outcome = RunOutcome.TIMED_OUT
            runs.append(CandidateRun(candidate.id, outcome, Covered(lines)))
            progress(done)
        return GateResult(tuple(runs), Covered(frozenset({1})), Measurable(frozenset(range(1, 11))))


def _test(name: str, mark: str) -> dict[str, str]:
    return {"name": name, "source": f"def {name}():\n    assert True  {mark}\n"}


ADD_ANSWER = json.dumps(
    {
        "imports": ["from pkg.money import add"],
        "tests": [
            _test("test_add", "# covers 2 3"),
            _test("test_add_again", "# covers 2"),
            _test("test_add_wrong", "# fails # covers 4"),
            _test("test_add_forever", "# hangs"),
            {"name": "test_broken", "source": "def test_broken(:\n"},
        ],
    }
)
WALLET_ANSWER = json.dumps(
    {"imports": ["from pkg.money import Wallet"], "tests": [_test("test_add", "# covers 5")]}
)


def _write(model: ScriptedModel | None, cache: InMemoryLlmCache | None = None) -> WriteUnitTests:
    gateway = LlmGateway(
        model=model,
        reader=CattrsAnswerReader(),
        cache=cache or InMemoryLlmCache(),
        ledger=InMemoryUsageLedger(),
        clock=FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC)),
    )
    return WriteUnitTests(gateway, OutlineReader(), MarkedGate(), tests_per_unit=5)


def test_only_passing_tests_that_raise_coverage_are_kept_and_written() -> None:
    model = ScriptedModel().answer(ADD_ANSWER).answer(WALLET_ANSWER)
    stages: list[tuple[str, int, int]] = []

    written = _write(model)(TENANT, "pkg/money.py", lambda *step: stages.append(step))

    verdicts = {j.candidate.name: j.verdict for j in written.selection.judged}
    assert verdicts == {
        "test_add": Verdict.KEPT,
        "test_add_again": Verdict.ADDS_NO_COVERAGE,
        "test_add_wrong": Verdict.FAILS,
        "test_add_forever": Verdict.TIMED_OUT,
        "test_broken": Verdict.DOES_NOT_COMPILE,
        "test_add_2": Verdict.KEPT,  # the second unit's test_add, renamed
    }
    assert (written.proposed, written.kept, written.answered, written.cached) == (6, 2, 2, 0)
    assert "def test_add_2():" in written.text
    assert "from pkg.money import Wallet" in written.text
    assert "test_add_wrong" not in written.text
    assert (written.selection.before.lines, written.selection.after.lines) == (1, 4)
    assert stages[0] == ("asking", 0, 2)
    assert ("asking", 2, 2) in stages
    assert stages[-1][0] == "running"


def test_the_prompt_carries_the_contract_and_the_request_names_its_purpose() -> None:
    model = ScriptedModel().answer(ADD_ANSWER).answer(WALLET_ANSWER)

    _write(model)(TENANT, "pkg/money.py")

    first, second = model.requests
    assert first.purpose == UNIT_PURPOSE == "testgen.unit"
    assert first.prompt_version == UNIT_PROMPT_VERSION
    assert "def add(a: int, b: int) -> int" in first.user
    assert "The sum of a and b." in first.user
    assert "from pkg.money import add" in first.user
    assert "More detail" not in first.user  # the module docstring's first paragraph only
    assert "balance: int" in second.user
    assert first.json_schema["required"] == ["imports", "tests"]


def test_a_second_run_is_answered_from_the_cache() -> None:
    cache = InMemoryLlmCache()
    _write(ScriptedModel().answer(ADD_ANSWER).answer(WALLET_ANSWER), cache)(TENANT, "pkg/money.py")
    silent = ScriptedModel()  # any call would fail the test: its script is empty

    again = _write(silent, cache)(TENANT, "pkg/money.py")

    assert (again.answered, again.cached, again.kept) == (0, 2, 2)
    assert silent.requests == []


def test_an_unusable_answer_is_a_fallback_and_the_other_units_still_count() -> None:
    model = ScriptedModel().answer('{"tests": [{"name": "test_x"}]').answer(WALLET_ANSWER)

    written = _write(model)(TENANT, "pkg/money.py")

    assert written.fallbacks == {FailureCause.MALFORMED_JSON.value: 1}
    assert (written.answered, written.proposed, written.kept, written.calls) == (1, 1, 1, 2)


def test_a_timeout_and_a_schema_breaking_answer_are_counted_by_cause() -> None:
    wrong_shape = json.dumps({"imports": [], "tests": [{"name": "test_x", "code": "pass"}]})
    model = ScriptedModel().fail(FailureCause.TIMEOUT).answer(wrong_shape)

    written = _write(model)(TENANT, "pkg/money.py")

    assert written.fallbacks == {"schema_mismatch": 1, "timeout": 1}
    assert written.proposed == 0
    compile(written.text, "written.py", "exec")


def test_without_a_model_it_refuses_before_reading_anything() -> None:
    with pytest.raises(LlmNotConfigured):
        _write(None)(TENANT, "pkg/money.py")

"""The coverage gate and the module reader on a real module: pytest and coverage.py in a
subprocess, the outline read with `ast`."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from adapters.testgen.coverage_gate import CoverageGate
from adapters.testgen.module_outline import AstModuleReader, import_name
from domain.errors import ValidationFailed
from domain.testgen.unit_tests import (
    ProposedTest,
    RunOutcome,
    UnitTestAnswer,
    Verdict,
    candidates_of,
    select,
)

MODULE = '''\
"""Grades for scores.

Kept small for the tests.
"""

__all__ = ["Grader", "grade"]


def grade(score: int) -> str:
    """"A" from 90, "B" from 70, else "C"; a negative score is refused."""
    if score < 0:
        raise ValueError("negative")
    if score >= 90:
        return "A"
    if score >= 70:
        return "B"
    return "C"


def _hidden() -> None:
    """Private: never in the outline."""


def helper() -> None:
    """Public by name, but not in __all__."""


class Grader:
    """Grades with a pass mark."""

    pass_mark: int = 50

    def passes(self, score: int) -> bool:
        """True from the pass mark."""
        return score >= self.pass_mark

    def _internal(self) -> None:
        pass
'''


@pytest.fixture
def module(tmp_path: Path) -> Path:
    package = tmp_path / "gradebook"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    path = package / "grades.py"
    path.write_text(MODULE, encoding="utf-8")
    return path


def _test(name: str, body: str) -> ProposedTest:
    return ProposedTest(name, f"def {name}():\n" + textwrap.indent(body, "    ") + "\n")


def test_the_outline_holds_the_public_surface_and_no_bodies(module: Path) -> None:
    outline = AstModuleReader().outline(str(module))

    assert outline.module == "gradebook.grades" == import_name(module)
    assert outline.docstring.startswith("Grades for scores.")
    assert [u.name for u in outline.units] == ["grade", "Grader"]
    grade, grader = outline.units
    assert grade.signature == "def grade(score: int) -> str"
    assert grade.docstring.startswith('"A" from 90')
    assert grader.kind == "class"
    assert grader.members == (
        "pass_mark: int = 50",
        'def passes(self, score: int) -> bool\n    """True from the pass mark."""',
    )
    assert "raise ValueError" not in repr(outline)


def test_an_unreadable_module_is_refused_with_the_reason(tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("def f(:\n", encoding="utf-8")

    with pytest.raises(ValidationFailed, match="not valid Python"):
        AstModuleReader().outline(str(broken))
    with pytest.raises(ValidationFailed, match="cannot read"):
        AstModuleReader().outline(str(tmp_path / "missing.py"))


def test_the_gate_keeps_only_passing_tests_that_raise_coverage(module: Path) -> None:
    outline = AstModuleReader().outline(str(module))
    answer = UnitTestAnswer(
        imports=("import pytest", "from gradebook.grades import Grader, grade"),
        tests=(
            _test("test_a", 'assert grade(95) == "A"'),
            _test("test_a_again", 'assert grade(99) == "A"'),
            _test("test_c", 'assert grade(10) == "C"'),
            _test("test_wrong", 'assert grade(75) == "A"'),
            _test("test_negative", "with pytest.raises(ValueError):\n    grade(-1)"),
            _test("test_hangs", "while True:\n    pass"),
            ProposedTest("test_broken", "def test_broken(:\n    pass\n"),
            ProposedTest("test_bad_import", "from gradebook.grades import nothing\n"),
            _test("test_passes", "assert Grader().passes(50)"),
        ),
    )
    candidates = candidates_of("grade", answer, set())
    seen: list[int] = []

    result = CoverageGate(timeout_s=1.0).run(outline, candidates, seen.append)
    selection = select(candidates, result.runs, result.baseline, result.measurable)

    verdicts = {j.candidate.name: j.verdict for j in selection.judged}
    assert verdicts == {
        "test_a": Verdict.KEPT,
        "test_a_again": Verdict.ADDS_NO_COVERAGE,
        "test_c": Verdict.KEPT,
        "test_wrong": Verdict.FAILS,
        "test_negative": Verdict.KEPT,
        "test_hangs": Verdict.TIMED_OUT,
        "test_broken": Verdict.DOES_NOT_COMPILE,
        "test_bad_import": Verdict.FAILS,
        "test_passes": Verdict.KEPT,
    }
    reasons = {j.candidate.name: j.reason for j in selection.judged}
    assert "assert 'B' == 'A'" in reasons["test_wrong"]
    assert "ImportError" in reasons["test_bad_import"]
    assert "1 s" in reasons["test_hangs"]
    assert selection.before.lines < selection.after.lines
    assert selection.before.branches < selection.after.branches
    assert result.measurable.branches  # branch coverage is measured
    assert seen[-1] == len(candidates)


def test_a_run_that_passes_its_time_limit_times_out_whatever_did_not_report(
    module: Path,
) -> None:
    outline = AstModuleReader().outline(str(module))
    hanging_import = ProposedTest(
        "test_stuck", "import time\ntime.sleep(30)\n\n\ndef test_stuck():\n    pass\n"
    )
    candidates = candidates_of("grade", UnitTestAnswer((), (hanging_import,)), set())

    result = CoverageGate(timeout_s=0.5, startup_s=3.0).run(outline, candidates, lambda _: None)

    assert result.runs[0].outcome is RunOutcome.TIMED_OUT
    assert "time limit" in result.runs[0].message

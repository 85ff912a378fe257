"""Unit tests proposed for a Python module, and the rule that decides which of them to keep.

A proposal is kept only when it earns its place: it compiles, it passes, and it covers a line or
a branch of the target module that the tests kept before it did not. Anything else is discarded
with the reason, so the person who asked sees why a proposal is missing rather than a shorter
file. The decision is made here, over facts a gate measured (`CandidateRun`), so it is the same
whatever ran the tests; the order of proposals is the order of judgement, which makes a run
reproducible.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable, Sequence
from enum import StrEnum

from attrs import field, frozen

Arc = tuple[int, int]


@frozen
class UnitOutline:
    """One public function or class: what a test writer is shown (never the body)."""

    name: str
    kind: str  # "function" or "class"
    signature: str
    docstring: str = ""
    members: tuple[str, ...] = ()  # a class's public methods and fields, one text each


@frozen
class ModuleOutline:
    """A module as the prompt describes it: its import name, docstring and public units."""

    module: str
    path: str
    docstring: str
    units: tuple[UnitOutline, ...]


@frozen
class ProposedTest:
    """One test function as the model writes it: its name and its whole source."""

    name: str
    source: str


@frozen
class UnitTestAnswer:
    """The structure a model fills: the import lines the tests need, and the tests."""

    imports: tuple[str, ...] = ()
    tests: tuple[ProposedTest, ...] = ()


@frozen
class Candidate:
    """A proposal ready to judge: a unique function name, and the imports it came with."""

    id: str
    unit: str
    name: str
    imports: tuple[str, ...]
    source: str

    @property
    def text(self) -> str:
        """The candidate as a test module of its own."""
        return "\n".join(self.imports) + "\n\n\n" + self.source.strip() + "\n"


_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _safe_name(name: str, index: int) -> str:
    name = name.strip()
    if not _IDENTIFIER.match(name) or keyword.iskeyword(name):
        return f"test_proposal_{index}"
    return name if name.startswith("test") else f"test_{name}"


def candidates_of(unit: str, answer: UnitTestAnswer, taken: set[str]) -> tuple[Candidate, ...]:
    """The answer's tests as candidates, each under a name no earlier candidate has (`taken`
    is updated): a second `test_add` becomes `test_add_2`, its `def` renamed to match."""
    found = []
    imports = tuple(line.strip() for line in answer.imports if line.strip())
    for proposed in answer.tests:
        index = len(taken) + 1
        wanted = _safe_name(proposed.name, index)
        name, suffix = wanted, 2
        while name in taken:
            name, suffix = f"{wanted}_{suffix}", suffix + 1
        taken.add(name)
        source = proposed.source
        if name != proposed.name:
            pattern = rf"\bdef\s+{re.escape(proposed.name)}\s*\("
            source = re.sub(pattern, f"def {name}(", source, count=1)
        found.append(Candidate(f"c{index:03d}", unit, name, imports, source))
    return tuple(found)


class RunOutcome(StrEnum):
    """What happened to a candidate in the gate."""

    PASSED = "passed"
    FAILED = "failed"
    TIMED_OUT = "timed_out"
    NOT_COMPILED = "not_compiled"


class Verdict(StrEnum):
    """Why a candidate is in the written file, or why it is not."""

    KEPT = "kept"
    DOES_NOT_COMPILE = "does not compile"
    FAILS = "fails"
    TIMED_OUT = "timed out"
    ADDS_NO_COVERAGE = "adds no coverage"


@frozen
class Covered:
    """Lines and branches (arcs between lines) of the target module that were executed."""

    lines: frozenset[int] = frozenset()
    branches: frozenset[Arc] = frozenset()

    def __or__(self, other: Covered) -> Covered:
        return Covered(self.lines | other.lines, self.branches | other.branches)

    def adds_to(self, other: Covered) -> bool:
        return bool(self.lines - other.lines or self.branches - other.branches)


def _non_negative(_: object, __: object, value: int) -> None:
    if value < 0:
        raise ValueError("must not be negative")


@frozen
class Measurable:
    """What the target module has to cover: its statements and its possible branches."""

    statements: frozenset[int]
    branches: frozenset[Arc] = frozenset()

    def within(self, covered: Covered) -> Covered:
        """Only what counts: statements (not docstrings or blank lines) and real branches."""
        return Covered(covered.lines & self.statements, covered.branches & self.branches)

    def percent(self, covered: Covered) -> CoveragePercent:
        lines = len(covered.lines & self.statements)
        branches = len(covered.branches & self.branches)
        return CoveragePercent(lines, len(self.statements), branches, len(self.branches))


@frozen
class CoveragePercent:
    lines: int = field(validator=_non_negative)
    statements: int = field(validator=_non_negative)
    branches: int = field(validator=_non_negative)
    possible_branches: int = field(validator=_non_negative)

    @property
    def line_rate(self) -> float:
        return self.lines / self.statements if self.statements else 1.0

    @property
    def branch_rate(self) -> float:
        return self.branches / self.possible_branches if self.possible_branches else 1.0

    @property
    def combined_rate(self) -> float:
        """As coverage.py totals it: lines and branches counted together."""
        total = self.statements + self.possible_branches
        return (self.lines + self.branches) / total if total else 1.0


@frozen
class CandidateRun:
    """The gate's facts about one candidate: how it ended, why, and what it covered."""

    candidate_id: str
    outcome: RunOutcome
    covered: Covered = Covered()
    message: str = ""


@frozen
class Judged:
    candidate: Candidate
    verdict: Verdict
    reason: str = ""


@frozen
class Selection:
    """Every candidate with its verdict (in order), and the coverage before and after."""

    judged: tuple[Judged, ...]
    before: CoveragePercent
    after: CoveragePercent

    @property
    def kept(self) -> tuple[Candidate, ...]:
        return tuple(j.candidate for j in self.judged if j.verdict is Verdict.KEPT)

    def count(self, verdict: Verdict) -> int:
        return sum(1 for j in self.judged if j.verdict is verdict)


_VERDICT_OF = {
    RunOutcome.FAILED: Verdict.FAILS,
    RunOutcome.TIMED_OUT: Verdict.TIMED_OUT,
    RunOutcome.NOT_COMPILED: Verdict.DOES_NOT_COMPILE,
}


def select(
    candidates: Sequence[Candidate],
    runs: Iterable[CandidateRun],
    baseline: Covered,
    measurable: Measurable,
) -> Selection:
    """Keep, in order, each candidate that passed and covers something the module's import
    (`baseline`) and the candidates kept before it did not; a candidate the gate reported
    nothing about is discarded as failed."""
    by_id = {run.candidate_id: run for run in runs}
    so_far = measurable.within(baseline)
    judged = []
    for candidate in candidates:
        run = by_id.get(candidate.id, CandidateRun(candidate.id, RunOutcome.FAILED))
        if run.outcome is not RunOutcome.PASSED:
            reason = run.message or "the gate reported no result"
            judged.append(Judged(candidate, _VERDICT_OF[run.outcome], reason))
        elif measurable.within(run.covered).adds_to(so_far):
            so_far = so_far | measurable.within(run.covered)
            judged.append(Judged(candidate, Verdict.KEPT))
        else:
            judged.append(Judged(candidate, Verdict.ADDS_NO_COVERAGE, "covers nothing new"))
    return Selection(tuple(judged), measurable.percent(baseline), measurable.percent(so_far))


def written_tests(outline: ModuleOutline, kept: Sequence[Candidate]) -> str:
    """The file of kept tests: one docstring, the imports they need (each once, sorted), then
    the tests in the order they were kept."""
    imports = sorted({line for candidate in kept for line in candidate.imports})
    head = f'"""Unit tests of `{outline.module}`, written from its docstrings and signatures.\n\n'
    head += "Each test passed and raised the module's line or branch coverage when written.\n"
    head += '"""\n'
    body = "\n\n\n".join(candidate.source.strip() for candidate in kept)
    parts = [head, "\n".join(imports)] if imports else [head]
    return "\n".join(parts) + ("\n\n\n" + body + "\n" if body else "")

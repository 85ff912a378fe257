"""`WriteUnitTests`: unit tests for a Python module, proposed by a language model, kept only
when a gate proves them useful.

One question per public function or class (small prompts, and a cache entry per unit: editing
one function asks again about that function only). Every proposal becomes a candidate; the gate
runs them all against the module under coverage.py, and the domain's `select` keeps those that
pass and raise coverage over the ones kept before. Unanswered questions (the model down, over
budget, a malformed answer) are counted as fallbacks and simply propose nothing: the report
says so, and the tests that were proposed are still judged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from attrs import frozen

from application.llm.gateway import Answered, LlmGateway
from application.llm.ports import CallOutcome
from application.testgen.llm_use import LlmNotConfigured
from application.testgen.unit_prompt import unit_request
from domain.testgen.unit_tests import (
    Candidate,
    CandidateRun,
    Covered,
    Measurable,
    ModuleOutline,
    Selection,
    UnitTestAnswer,
    candidates_of,
    select,
    written_tests,
)

__all__ = [
    "GateResult",
    "LlmNotConfigured",
    "ModuleReader",
    "Progress",
    "UnitTestGate",
    "UnitTestsWritten",
    "WriteUnitTests",
]

#: Progress of the long work: (stage, done, total); stages are "asking" and "running".
Progress = Callable[[str, int, int], None]


def _silent(_stage: str, _done: int, _total: int) -> None:
    return None


class ModuleReader(Protocol):
    def outline(self, path: str) -> ModuleOutline:
        """The module's public surface; `ValidationFailed` when it cannot be read."""
        ...


@frozen
class GateResult:
    """What the gate measured: each candidate's run, what importing the module alone covers,
    and what there is to cover."""

    runs: tuple[CandidateRun, ...]
    baseline: Covered
    measurable: Measurable


class UnitTestGate(Protocol):
    def run(
        self,
        outline: ModuleOutline,
        candidates: Sequence[Candidate],
        progress: Callable[[int], None],
    ) -> GateResult:
        """Compile and run every candidate against the module; `progress(done)` as they end."""
        ...


@frozen
class UnitTestsWritten:
    """The outcome: the judged candidates, the file of kept ones, and what the model did."""

    outline: ModuleOutline
    selection: Selection
    text: str
    answered: int
    cached: int
    fallbacks: Mapping[str, int]  # cause -> count

    @property
    def proposed(self) -> int:
        return len(self.selection.judged)

    @property
    def kept(self) -> int:
        return len(self.selection.kept)

    @property
    def calls(self) -> int:
        return self.answered + self.cached + sum(self.fallbacks.values())


@frozen
class WriteUnitTests:
    gateway: LlmGateway
    reader: ModuleReader
    gate: UnitTestGate
    tests_per_unit: int = 6

    def __call__(self, tenant_id: str, path: str, progress: Progress = _silent) -> UnitTestsWritten:
        if not self.gateway.configured:
            raise LlmNotConfigured
        outline = self.reader.outline(path)
        outcomes: Counter[CallOutcome] = Counter()
        causes: Counter[str] = Counter()
        candidates: list[Candidate] = []
        taken: set[str] = set()
        total = len(outline.units)
        progress("asking", 0, total)
        for done, unit in enumerate(outline.units, start=1):
            request = unit_request(outline, unit, self.tests_per_unit)
            result = self.gateway.ask(tenant_id, request, UnitTestAnswer)
            outcomes[result.call.outcome] += 1
            if isinstance(result, Answered):
                candidates.extend(candidates_of(unit.name, result.value, taken))
            else:
                causes[result.cause.value] += 1
            progress("asking", done, total)
        progress("running", 0, len(candidates))
        gated = self.gate.run(
            outline, candidates, lambda done: progress("running", done, len(candidates))
        )
        selection = select(candidates, gated.runs, gated.baseline, gated.measurable)
        return UnitTestsWritten(
            outline=outline,
            selection=selection,
            text=written_tests(outline, selection.kept),
            answered=outcomes[CallOutcome.ANSWERED],
            cached=outcomes[CallOutcome.CACHED],
            fallbacks=dict(sorted(causes.items())),
        )

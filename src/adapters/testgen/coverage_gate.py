"""`CoverageGate`: compiles candidate unit tests, runs them against their module under
coverage.py, and reports what each one did and covered.

Candidates are generated code, so they run in a subprocess of `python` (an interpreter with
pytest and coverage), without a shell, in a fresh temporary directory with its own `pytest.ini`
and conftest, a minimal environment (nothing of the caller's secrets or settings), plugin
autoloading off, an alarm per test and a time limit on the whole run. All candidates run in one
pytest process (one start-up instead of one per candidate), each in a file of its own, with
coverage.py's context switched per file: the lines and branches each covered are then read
apart, and a candidate that does not import or collect fails alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import coverage

from adapters.testgen.coverage_plugin import CONFTEST
from adapters.testgen.module_outline import import_root
from application.testgen.unit_tests import GateResult
from domain.testgen.unit_tests import (
    Candidate,
    CandidateRun,
    Covered,
    Measurable,
    ModuleOutline,
    RunOutcome,
)

_ENVIRONMENT_KEPT = ("PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR", "TEMP", "TMP")
_MESSAGE = 300
_POLL_S = 0.1


class CoverageGate:
    """`timeout_s` bounds each test; the whole run gets that per candidate plus `startup_s`."""

    def __init__(
        self, python: str = sys.executable, timeout_s: float = 10.0, startup_s: float = 60.0
    ) -> None:
        self.python = python
        self.timeout_s = timeout_s
        self.startup_s = startup_s

    def run(
        self,
        outline: ModuleOutline,
        candidates: Sequence[Candidate],
        progress: Callable[[int], None],
    ) -> GateResult:
        runs: dict[str, CandidateRun] = {}
        compiled = []
        for candidate in candidates:
            problem = _compile_problem(candidate)
            if problem:
                runs[candidate.id] = CandidateRun(
                    candidate.id, RunOutcome.NOT_COMPILED, message=problem
                )
            else:
                compiled.append(candidate)
        progress(len(runs))
        with tempfile.TemporaryDirectory(prefix="creditdesk-unit-gate-") as tmp:
            root = Path(tmp)
            target = Path(outline.path).resolve()
            for candidate in compiled:
                (root / f"test_{candidate.id}.py").write_text(candidate.text, encoding="utf-8")
            (root / "conftest.py").write_text(CONFTEST, encoding="utf-8")
            (root / "pytest.ini").write_text("[pytest]\naddopts =\n", encoding="utf-8")
            rc = root / ".coveragerc"
            rc.write_text(
                f"[run]\nbranch = True\ndata_file = {root / '.coverage'}\ninclude = {target}\n",
                encoding="utf-8",
            )
            limit = self.startup_s + self.timeout_s * len(compiled)
            finished = self._pytest(root, outline, rc, limit, lambda n: progress(len(runs) + n))
            reported = _results(root / "results.jsonl")
            data = _measured(root, rc, target)
            for candidate in compiled:
                file = f"test_{candidate.id}.py"
                outcome, message = reported.get(file, (_unreported(finished), ""))
                if file not in reported:
                    message = (
                        "no test in it ran (a test function's name starts with test)"
                        if finished
                        else "the run hit its time limit"
                    )
                covered = data.covered(file) if outcome is RunOutcome.PASSED else Covered()
                runs[candidate.id] = CandidateRun(candidate.id, outcome, covered, message)
            baseline = data.covered("")
        progress(len(candidates))
        return GateResult(
            runs=tuple(runs[c.id] for c in candidates),
            baseline=baseline,
            measurable=data.measurable,
        )

    def _pytest(
        self,
        root: Path,
        outline: ModuleOutline,
        rc: Path,
        limit: float,
        progress: Callable[[int], None],
    ) -> bool:
        """Run the candidates; False when the run hit `limit` and was stopped."""
        command = [
            self.python, "-m", "coverage", "run", f"--rcfile={rc}",
            "-m", "pytest", "-p", "no:cacheprovider", "-q",
            "--continue-on-collection-errors", ".",
        ]  # fmt: skip
        env = {key: os.environ[key] for key in _ENVIRONMENT_KEPT if key in os.environ}
        env |= {
            "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONPATH": str(import_root(Path(outline.path))),
            "CANDIDATE_TARGET": outline.module,
            "CANDIDATE_TIMEOUT_S": f"{self.timeout_s:g}",
        }
        results = root / "results.jsonl"
        started = time.monotonic()
        with subprocess.Popen(  # noqa: S603 (a fixed command, no shell)
            command,
            cwd=root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        ) as process:
            while process.poll() is None:
                if time.monotonic() - started > limit:
                    process.kill()
                    process.wait()
                    return False
                time.sleep(_POLL_S)
                if results.is_file():
                    progress(len(_results(results)))
        return True


def _unreported(finished: bool) -> RunOutcome:
    return RunOutcome.FAILED if finished else RunOutcome.TIMED_OUT


def _compile_problem(candidate: Candidate) -> str:
    try:
        compile(candidate.text, f"test_{candidate.id}.py", "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        line = getattr(error, "lineno", None)
        where = f"line {line}: " if line else ""
        return f"{where}{error.__class__.__name__}: {error}"[:_MESSAGE]
    return ""


def _results(path: Path) -> dict[str, tuple[RunOutcome, str]]:
    """By candidate file: the first failure, else passed (a file passes when all its tests do)."""
    found: dict[str, tuple[RunOutcome, str]] = {}
    if not path.is_file():
        return found
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line still being written
        file = str(record.get("file", ""))
        if record.get("outcome") == "passed":
            found.setdefault(file, (RunOutcome.PASSED, ""))
            continue
        outcome = RunOutcome.TIMED_OUT if record.get("timed_out") else RunOutcome.FAILED
        message = str(record.get("message", ""))
        if record.get("outcome") == "skipped":
            message = f"skipped: {message}"
        if found.get(file, (RunOutcome.PASSED, ""))[0] is RunOutcome.PASSED:
            found[file] = (outcome, message[:_MESSAGE])
    return found


class _Measured:
    """The coverage data of one run, read by context (a candidate's file, or "" for import)."""

    def __init__(
        self, data: coverage.CoverageData | None, target: Path, measurable: Measurable
    ) -> None:
        self._data = data
        self._target = str(target)
        self.measurable = measurable

    def covered(self, context: str) -> Covered:
        if self._data is None:
            return Covered()
        self._data.set_query_context(context)
        lines = self._data.lines(self._target) or []
        arcs = self._data.arcs(self._target) or []
        return self.measurable.within(Covered(frozenset(lines), frozenset(arcs)))


def _measured(root: Path, rc: Path, target: Path) -> _Measured:
    """The run's data with what the module has to cover (statements and branches, from
    coverage.py's own analysis in its JSON report)."""
    data_file = root / ".coverage"
    if not data_file.is_file():
        return _Measured(None, target, _static_measurable(target))
    measuring = coverage.Coverage(data_file=str(data_file), config_file=str(rc))
    measuring.load()
    report = root / "coverage.json"
    try:
        measuring.json_report(outfile=str(report))
    except coverage.exceptions.NoDataError:
        return _Measured(None, target, _static_measurable(target))
    files = json.loads(report.read_text(encoding="utf-8"))["files"]
    summary = next(iter(files.values())) if files else {}
    statements = frozenset(summary.get("executed_lines", []) + summary.get("missing_lines", []))
    branches = frozenset(
        (int(a), int(b))
        for a, b in summary.get("executed_branches", []) + summary.get("missing_branches", [])
    )
    data = coverage.CoverageData(basename=str(data_file))
    data.read()
    return _Measured(data, target, Measurable(statements, branches))


def _static_measurable(target: Path) -> Measurable:
    """When nothing ran at all: an unknown denominator, reported as empty."""
    return Measurable(frozenset())

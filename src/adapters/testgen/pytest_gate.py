"""`PytestQualityGate`: does a rendered suite compile, does pytest collect it, and does it pass
against a live server?

The suite is written to a fresh temporary directory with a `pytest.ini` of its own (so no outer
configuration leaks in), and pytest runs in a subprocess of the given interpreter, without a
shell, with plugin autoloading off (the environment's plugins, random ordering for one, are not
the suite's) and the cache off. A run's JUnit XML maps back to case ids through the rendered
suite's node ids. Messages are cut short and scrubbed of the tokens passed in, so a report can
be stored and shown.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.etree import ElementTree

from domain.testgen.rendered import GateReport, GateTarget, RenderedSuite, TestOutcome

_MESSAGE = 300
_ENVIRONMENT_KEPT = ("PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR", "TEMP", "TMP")


class PytestQualityGate:
    """Runs the gate with `python` (an interpreter with pytest, hypothesis, httpx and jsonschema
    installed); `timeout_s` bounds each pytest run."""

    def __init__(self, python: str = sys.executable, timeout_s: float = 600.0) -> None:
        self.python = python
        self.timeout_s = timeout_s

    def check(self, rendered: RenderedSuite, target: GateTarget | None) -> GateReport:
        errors = _compile_errors(rendered)
        if errors:
            return GateReport(compile_errors=errors, collected=(), outcomes=(), ran=False)
        secrets = tuple(t for t in (target.token, target.limited_token) if t) if target else ()
        with tempfile.TemporaryDirectory(prefix="creditdesk-gate-") as tmp:
            root = Path(tmp)
            for file in rendered.files:
                (root / file.path).parent.mkdir(parents=True, exist_ok=True)
                (root / file.path).write_text(file.text, encoding="utf-8")
            (root / "pytest.ini").write_text("[pytest]\naddopts =\n", encoding="utf-8")
            collect = self._pytest(root, ["--collect-only", "-q"], None)
            if isinstance(collect, str):
                return GateReport((), (), (), ran=False, error=_scrub(collect, secrets))
            collected = tuple(line.strip() for line in collect.stdout.splitlines() if "::" in line)
            if collect.returncode not in (0, 5):  # 5: nothing to collect
                failure = _tail(collect.stdout + collect.stderr)
                return GateReport(
                    (), collected, (), ran=False, error=_scrub(f"collection: {failure}", secrets)
                )
            if target is None:
                return GateReport((), collected, (), ran=False)
            report = root / "junit.xml"
            run = self._pytest(root, [f"--junitxml={report}", "-q"], target)
            if isinstance(run, str):
                return GateReport((), collected, (), ran=False, error=_scrub(run, secrets))
            if not report.is_file():
                failure = _tail(run.stdout + run.stderr)
                return GateReport(
                    (), collected, (), ran=False, error=_scrub(f"no results: {failure}", secrets)
                )
            outcomes = _outcomes(rendered, report, secrets)
        return GateReport((), collected, outcomes, ran=True)

    def _pytest(
        self, root: Path, arguments: list[str], target: GateTarget | None
    ) -> subprocess.CompletedProcess[str] | str:
        """The finished pytest run, or why it could not finish (as text)."""
        command = [self.python, "-m", "pytest", "-p", "no:cacheprovider", *arguments, "."]
        try:
            return subprocess.run(  # noqa: S603 (a fixed command, no shell)
                command,
                cwd=root,
                env=_environment(target),
                capture_output=True,
                text=True,
                timeout=self.timeout_s,
                check=False,
            )
        except FileNotFoundError:
            return f"cannot start {self.python}: no such interpreter"
        except subprocess.TimeoutExpired:
            return f"pytest did not finish within {self.timeout_s:g} s"


def _compile_errors(rendered: RenderedSuite) -> tuple[tuple[str, str], ...]:
    errors = []
    for file in rendered.files:
        if not file.path.endswith(".py"):
            continue
        try:
            compile(file.text, file.path, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as error:
            line = getattr(error, "lineno", None)
            where = f"line {line}: " if line else ""
            errors.append((file.path, f"{where}{error.__class__.__name__}: {error}"[:_MESSAGE]))
    return tuple(errors)


def _environment(target: GateTarget | None) -> dict[str, str]:
    """Only what an interpreter needs, plus the suite's own settings: nothing of the caller's
    pytest configuration, no stray TESTGEN_* value."""
    env = {key: os.environ[key] for key in _ENVIRONMENT_KEPT if key in os.environ}
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if target is not None:
        env["TESTGEN_BASE_URL"] = target.base_url
        if target.token:
            env["TESTGEN_TOKEN"] = target.token
        if target.limited_token:
            env["TESTGEN_LIMITED_TOKEN"] = target.limited_token
    if "TESTGEN_MAX_EXAMPLES" in os.environ:
        env["TESTGEN_MAX_EXAMPLES"] = os.environ["TESTGEN_MAX_EXAMPLES"]
    return env


def _outcomes(
    rendered: RenderedSuite, report: Path, secrets: tuple[str, ...]
) -> tuple[TestOutcome, ...]:
    """One outcome per case: passed, failed (the failure's message), or failed as never run."""
    results: dict[str, tuple[bool, str]] = {}
    for testcase in ElementTree.parse(report).getroot().iter("testcase"):  # noqa: S314 (our own file)
        module = testcase.get("classname", "").replace(".", "/")
        nodeid = f"{module}.py::{testcase.get('name', '')}".split("[", 1)[0]
        problem = next(
            (testcase.find(tag) for tag in ("failure", "error") if testcase.find(tag) is not None),
            None,
        )
        skipped = testcase.find("skipped")
        if problem is not None:
            text = problem.get("message") or (problem.text or "").strip()
            results[nodeid] = (False, _short(_scrub(text, secrets)))
        elif nodeid not in results:
            note = f"skipped: {skipped.get('message', '')}" if skipped is not None else ""
            results[nodeid] = (True, _short(_scrub(note, secrets)))
    return tuple(
        TestOutcome(case_id, nodeid, *results.get(nodeid, (False, "did not run")))
        for case_id, nodeid in rendered.functions
    )


def _short(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    first = lines[0] if lines else ""
    return first if len(first) <= _MESSAGE else first[: _MESSAGE - 3] + "..."


def _tail(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return " | ".join(lines[-5:])[-_MESSAGE * 2 :]


def _scrub(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return text

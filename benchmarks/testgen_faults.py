"""Seeded faults found by the generated suite against Schemathesis, and generation speed.

    uv run python -m benchmarks.testgen_faults [--only NAME,...] [--operations 100]
                                               [--no-schemathesis]

Reads the inventory demo API's hand-written spec (benchmarks.testgen.spec), generates its test
suite with the generation rules and renders it as pytest modules, then for the correct variant
and each variant with one seeded fault (benchmarks.testgen.faults), each on a fresh uvicorn
server on loopback, runs the suite through the quality gate with the admin token and the
read-only one. A variant's fault is detected when any generated test fails on it; a test that
fails on the correct variant is a false positive (the goal: none).

Schemathesis (`schemathesis run`, every check, the admin token on every request, deterministic
generation) then gets each variant, on a fresh server again, for as many seconds as our suite
took on it, gate overhead included; its fuzzing repeats until the time is spent.

Last, the time to generate and render the suite of a 100-operation spec built here (median of
five runs each) beside the goal of one second (the product document asked for 30).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from attrs import frozen
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from adapters.testgen.pytest_gate import PytestQualityGate
from adapters.testgen.renderer import PytestRenderer
from application.testgen.common import spec_hash_of
from benchmarks.testgen.faults import CORRECT, FAULTS, VARIANTS, fault_named
from benchmarks.testgen.large_spec import spec_with_operations
from benchmarks.testgen.schemathesis_run import SchemathesisRun, run_schemathesis
from benchmarks.testgen.serving import serving
from benchmarks.testgen.spec import ADMIN_TOKEN, READER_TOKEN, SPEC
from domain.testgen.generate import generate
from domain.testgen.openapi import read_spec
from domain.testgen.rendered import GateReport, GateTarget, RenderedSuite

GOAL_S, ASKED_S = 1.0, 30.0


@frozen
class Ours:
    failed: tuple[str, ...]  # "test_items.py::test_... : message" of every failing test
    ran: int
    seconds: float
    error: str | None


def _rendered() -> tuple[RenderedSuite, int]:
    spec = read_spec(SPEC)
    suite = generate(spec, spec_hash_of(SPEC))
    return PytestRenderer().render(suite, spec, SPEC), len(suite.cases)


def _ours(rendered: RenderedSuite, variant: str) -> Ours:
    with serving(variant) as url:
        started = time.monotonic()
        report: GateReport = PytestQualityGate().check(
            rendered, GateTarget(url, ADMIN_TOKEN, READER_TOKEN)
        )
        seconds = time.monotonic() - started
    failed = tuple(f"{o.nodeid}: {o.message}" for o in report.outcomes if not o.passed)
    problem = report.error or "; ".join(f"{p}: {m}" for p, m in report.compile_errors) or None
    return Ours(failed, len(report.outcomes), seconds, problem)


def _schemathesis(variant: str, budget_s: float) -> SchemathesisRun:
    with serving(variant) as url, tempfile.TemporaryDirectory() as folder:
        return run_schemathesis(url, budget_s, Path(folder))


def _generation_seconds(operations: int) -> tuple[float, float, int]:
    """Median seconds of `generate` and of rendering over five runs, and the cases."""
    document = spec_with_operations(operations)
    spec = read_spec(document)
    generating, rendering, cases = [], [], 0
    for _ in range(5):
        started = time.perf_counter()
        suite = generate(spec, spec_hash_of(document))
        generated = time.perf_counter()
        PytestRenderer().render(suite, spec, document)
        generating.append(generated - started)
        rendering.append(time.perf_counter() - generated)
        cases = len(suite.cases)
    return statistics.median(generating), statistics.median(rendering), cases


def _mark(found: bool) -> str:
    return "[green]detected[/]" if found else "[red]missed[/]"


def _table(results: dict[str, tuple[Ours, SchemathesisRun | None]]) -> Table:
    table = Table(title="Seeded faults in the inventory API: generated suite vs Schemathesis")
    for column in ("variant", "fault", "ours", "failing tests", "s", "schemathesis", "s"):
        table.add_column(column, justify="right" if column in ("failing tests", "s") else "left")
    for variant, (ours, theirs) in results.items():
        what = "none (false positives)" if variant == CORRECT else fault_named(variant).description
        if variant == CORRECT:
            mine = f"{len(ours.failed)} false positives"
            other = "-" if theirs is None else f"{len(theirs.failures)} false positives"
        else:
            mine = _mark(bool(ours.failed))
            other = "-" if theirs is None else _mark(theirs.found)
            if theirs is not None and theirs.failures:
                other += f" ({', '.join(f.split(' ')[0] for f in theirs.failures)})"
        table.add_row(
            variant,
            what,
            mine,
            f"{len(ours.failed)}/{ours.ran}",
            f"{ours.seconds:.1f}",
            other,
            "-" if theirs is None else f"{theirs.seconds:.1f}",
        )
    faults = [v for v in results if v != CORRECT]
    ours_found = sum(bool(results[v][0].failed) for v in faults)
    theirs_found = sum(bool((run := results[v][1]) and run.found) for v in faults)
    theirs_total = "-" if results[CORRECT][1] is None else f"{theirs_found}/{len(faults)}"
    table.add_section()
    table.add_row(
        "total",
        f"{len(faults)} seeded faults",
        f"{ours_found}/{len(faults)}",
        "",
        "",
        theirs_total,
        "",
    )
    return table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="", help="variants to run, comma-separated")
    parser.add_argument("--operations", type=int, default=100)
    parser.add_argument("--no-schemathesis", action="store_true")
    args = parser.parse_args()
    chosen = [v.strip() for v in args.only.split(",") if v.strip()] or list(VARIANTS)
    unknown = sorted(set(chosen) - set(VARIANTS))
    if unknown:
        parser.error(f"unknown variant(s) {unknown}; known: {', '.join(VARIANTS)}")
    if CORRECT not in chosen:
        chosen.insert(0, CORRECT)  # false positives are always measured
    rendered, cases = _rendered()
    console = Console(stderr=True)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} variants"),
        TimeElapsedColumn(),
    )
    results: dict[str, tuple[Ours, SchemathesisRun | None]] = {}
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("starting", total=len(chosen))
        for variant in chosen:
            progress.update(task, description=f"{variant}: generated suite")
            ours = _ours(rendered, variant)
            theirs = None
            if not args.no_schemathesis:
                progress.update(task, description=f"{variant}: schemathesis, {ours.seconds:.0f} s")
                theirs = _schemathesis(variant, ours.seconds)
            results[variant] = (ours, theirs)
            progress.advance(task)
    out = Console(width=max(Console().width, 140))
    out.print(f"{SPEC['info']['title']}: {cases} generated tests, {len(FAULTS)} seeded faults")
    out.print(_table(results))
    _false_positives(out, results[CORRECT])
    for variant, (ours, _theirs) in results.items():
        if ours.error:
            out.print(f"[red]{variant}: the gate stopped early: {ours.error}[/]")
    generating, rendering, big_cases = _generation_seconds(args.operations)
    seconds = generating + rendering
    out.print(
        f"generation of a {args.operations}-operation spec ({big_cases} tests): {seconds:.3f} s "
        f"(generate {generating:.3f} s + render {rendering:.3f} s); "
        f"{seconds / GOAL_S:.2f} x the {GOAL_S:g} s goal "
        f"({seconds / ASKED_S:.4f} x the {ASKED_S:g} s the product document asked for)"
    )
    return 0


def _false_positives(out: Console, correct: tuple[Ours, SchemathesisRun | None]) -> None:
    ours, theirs = correct
    out.print(
        f"false positives on the correct variant: ours {len(ours.failed)}, schemathesis "
        f"{'-' if theirs is None else len(theirs.failures)} (goal: 0)"
    )
    for line in ours.failed:
        out.print(f"  ours: {line}", soft_wrap=True)
    for failure in theirs.failures if theirs else ():
        out.print(f"  schemathesis: {failure}")


if __name__ == "__main__":
    raise SystemExit(main())

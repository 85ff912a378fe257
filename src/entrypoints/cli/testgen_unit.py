"""`creditdesk testgen unit PATH`: unit tests for a Python module, written by the configured
language model from the module's docstrings and signatures, kept only when they pass and raise
coverage.

The proposals are generated code, and the gate runs them on this host (in a subprocess with a
minimal environment, a temporary directory and time limits): run it on modules you are willing
to exercise. Answers are cached, so running it again on an unchanged module costs no model
call. The report shows what was proposed, kept and discarded (and why), the coverage of the
module before and after, and how the model's calls went.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from adapters.testgen.coverage_gate import CoverageGate
from adapters.testgen.module_outline import AstModuleReader
from application.testgen.unit_tests import LlmNotConfigured, UnitTestsWritten, WriteUnitTests
from domain.testgen.unit_tests import CoveragePercent, Verdict
from entrypoints.cli.context import (
    CLI_OPERATOR,
    DEFAULT_TENANT,
    OperatorOption,
    TenantOption,
    opened,
    operator,
    reported_errors,
)
from entrypoints.testgen_proposals import LLM_SETTINGS_HINT

NOT_CONFIGURED = LLM_SETTINGS_HINT
_STAGES = {"asking": "Asking the model", "running": "Running the tests"}


def default_out(path: Path) -> Path:
    """`pkg/money.py` -> `test_money_generated.py` in the current directory."""
    return Path(f"test_{path.stem}_generated.py")


def unit(
    path: Annotated[Path, typer.Argument(help="The Python module to write tests for.")],
    *,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Where to write the kept tests (test_<module>_generated.py)."),
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.1, help="Seconds each proposed test may run.")
    ] = 10.0,
    tests_per_unit: Annotated[
        int, typer.Option("--tests-per-unit", min=1, max=20, help="Tests asked per function.")
    ] = 6,
    tenant: TenantOption = DEFAULT_TENANT,
    name: OperatorOption = CLI_OPERATOR,
) -> None:
    """Write unit tests for a Python module; keep those that pass and raise coverage."""
    console = Console()
    target = out or default_out(path)
    with opened(console) as deps, reported_errors(console):
        gateway = deps.llm
        if not gateway.configured:
            console.print(f"[bold red]{NOT_CONFIGURED}[/bold red]")
            raise typer.Exit(1)
        tenant_id = operator(deps, tenant, name).tenant_id
        write = WriteUnitTests(
            gateway, AstModuleReader(), CoverageGate(timeout_s=timeout), tests_per_unit
        )
        columns = (
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(),
        )  # fmt: skip
        with Progress(*columns, console=console, transient=True) as bar:
            tasks = {stage: bar.add_task(label, total=None) for stage, label in _STAGES.items()}

            def progress(stage: str, done: int, total: int) -> None:
                bar.update(tasks[stage], completed=done, total=total)

            try:
                written = write(tenant_id, str(path), progress)
            except LlmNotConfigured:
                console.print(f"[bold red]{NOT_CONFIGURED}[/bold red]")
                raise typer.Exit(1) from None
    target.write_text(written.text, encoding="utf-8")
    show_report(console, written, target)


def _percent(coverage: CoveragePercent) -> str:
    return (
        f"lines {coverage.lines}/{coverage.statements} ({coverage.line_rate:.0%}), "
        f"branches {coverage.branches}/{coverage.possible_branches} "
        f"({coverage.branch_rate:.0%})"
    )


def show_report(console: Console, written: UnitTestsWritten, target: Path) -> None:
    selection = written.selection
    summary = Table(title=f"Unit tests for {written.outline.module}", show_header=False)
    summary.add_row("proposed", str(written.proposed))
    summary.add_row("kept", str(written.kept))
    for verdict in Verdict:
        if verdict is not Verdict.KEPT:
            summary.add_row(f"discarded: {verdict.value}", str(selection.count(verdict)))
    summary.add_row("coverage before", _percent(selection.before))
    summary.add_row("coverage after", _percent(selection.after))
    fallbacks = sum(written.fallbacks.values())
    causes = ", ".join(f"{cause} {count}" for cause, count in written.fallbacks.items())
    summary.add_row(
        "LLM calls",
        f"{written.answered} answered, {written.cached} cached, {fallbacks} fallback"
        + (f" ({causes})" if causes else ""),
    )
    console.print(summary)
    discarded = [j for j in selection.judged if j.verdict is not Verdict.KEPT]
    if discarded:
        table = Table(title="Discarded")
        for column in ("test", "for", "reason", "detail"):
            table.add_column(column, overflow="fold")
        for judged in discarded:
            candidate = judged.candidate
            table.add_row(candidate.name, candidate.unit, judged.verdict.value, judged.reason)
        console.print(table)
    console.print(f"Wrote {written.kept} tests to {target}")

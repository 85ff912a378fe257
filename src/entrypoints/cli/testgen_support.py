"""What the `creditdesk testgen` commands share: who acts, reading a spec from a file or a URL,
and showing suites in the terminal (presentation only, no decisions).

A spec from a URL is fetched with a time limit and a size limit, and read in chunks, so a slow
or endless answer cannot hold the command or fill the memory.
"""

from __future__ import annotations

from pathlib import Path

import httpx
from rich.console import Console, Group
from rich.panel import Panel
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from application.errors import NotFound
from application.testgen.views import CaseDetail, SpecUpload, SuiteDetail, SuiteSummary
from domain.errors import Problem, ValidationFailed
from domain.identity import Principal
from domain.testgen.delivery import masked
from domain.testgen.rendered import GateReport
from entrypoints.cli.context import ensure_tenant, operator
from entrypoints.composition import Deps

#: The largest spec accepted (the Star Trek API, a big one, is about 500 KB).
MAX_SPEC_BYTES = 10 * 1024 * 1024
URL_TIMEOUT_S = 30.0


def acting(deps: Deps, tenant_slug: str, person: str | None, operator_name: str) -> Principal:
    """The user `person` (an id or email of the tenant, acting with their own role), or else
    the CLI operator `operator_name` as an administrator of the tenant."""
    if person is None:
        return operator(deps, tenant_slug, operator_name)
    tenant = ensure_tenant(deps, tenant_slug)
    with deps.uow() as uow:
        found = uow.users.get(tenant.id, person) or uow.users.get_by_email(tenant.id, person)
    if found is None or not found.active:
        raise NotFound("user", person)
    return found.principal()


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def spec_upload(source: str) -> SpecUpload:
    """The spec at `source`, a file path or an http(s) URL, as it arrived."""
    if is_url(source):
        return SpecUpload(fetch(source), "url", masked(source))
    path = Path(source)
    try:
        size = path.stat().st_size
        if size > MAX_SPEC_BYTES:
            raise _too_large(source, MAX_SPEC_BYTES)
        content = path.read_bytes()
    except OSError as error:
        raise ValidationFailed(
            (Problem("spec", f"cannot read {source}: {error.strerror}"),)
        ) from None
    return SpecUpload(content, "cli", path.name)


def fetch(url: str, limit: int = MAX_SPEC_BYTES) -> bytes:
    """GET `url` (redirects followed), refusing an answer over `limit` bytes or an error."""
    shown = masked(url)
    try:
        with (
            httpx.Client(timeout=URL_TIMEOUT_S, follow_redirects=True, max_redirects=5) as client,
            client.stream(
                "GET", url, headers={"Accept": "application/json, application/yaml, */*"}
            ) as answer,
        ):
            if answer.status_code != 200:
                raise ValidationFailed((Problem("spec", f"{shown} answered {answer.status_code}"),))
            chunks: list[bytes] = []
            size = 0
            for chunk in answer.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise _too_large(shown, limit)
                chunks.append(chunk)
    except httpx.HTTPError as error:
        raise ValidationFailed(
            (Problem("spec", f"cannot fetch {shown}: {masked(str(error))}"),)
        ) from None
    return b"".join(chunks)


def _too_large(source: str, limit: int) -> ValidationFailed:
    return ValidationFailed((Problem("spec", f"{source} is larger than {limit} bytes"),))


def case_id_of(detail: SuiteDetail, reference: str) -> str:
    """A case named by its id or by its test function's name (as `show` lists them)."""
    for case in detail.cases:
        if reference in (case.case.id, case.function):
            return case.case.id
    raise NotFound("test", reference)


def counts_text(summary: SuiteSummary) -> str:
    return ", ".join(f"{n} {state.value}" for state, n in summary.counts)


def suites_table(summaries: tuple[SuiteSummary, ...]) -> Table:
    table = Table("suite", "API", "version", "state", "tests", "suspects", "gate", "created")
    for s in summaries:
        table.add_row(
            s.id, s.title, s.api_version, s.state.value, counts_text(s), str(s.suspects),
            s.gate, f"{s.created_at:%Y-%m-%d %H:%M}",
        )  # fmt: skip
    return table


def show_suite(console: Console, detail: SuiteDetail) -> None:
    s = detail.summary
    console.print(
        f"[bold]{s.title} {s.api_version}[/bold]  suite {s.id}  ({s.state.value}; "
        f"{counts_text(s)}; {s.suspects} suspect; gate {s.gate})"
    )
    if s.previous_id:
        console.print(f"Previous version: suite {s.previous_id}")
    table = Table("test", "rule", "operation", "review", "change")
    for c in detail.cases:
        review = c.review.state.value + (" [red]suspect[/red]" if c.review.suspect else "")
        table.add_row(
            c.function, c.case.rule.value, f"{c.case.method.upper()} {c.case.path}", review,
            c.change or "",
        )  # fmt: skip
    console.print(table)
    if detail.removed:
        console.print("Removed since the previous version: " + ", ".join(detail.removed))


def show_case(console: Console, case: CaseDetail) -> None:
    c = case.case
    state = case.review.state.value + (" (suspect)" if case.review.suspect else "")
    head = Text.assemble(
        (f"{case.module}::{case.function}", "bold"),
        f"\n{c.title}\nrule {c.rule.value}, {c.method.upper()} {c.path}, justified by {c.location}",
        f"\nreview: {state}" + (f", {case.change}" if case.change else ""),
    )
    comments = [Text(f"  {t.reviewer}: {t.comment}") for t in case.review.history if t.comment]
    console.print(Panel(Group(head, *comments), title=c.id, title_align="left"))
    console.print(Syntax(case.source, "python", line_numbers=True, word_wrap=True))
    console.print(Text("The spec operation:", style="bold"))
    console.print(Syntax(case.operation_json, "json", word_wrap=True))


def show_gate(console: Console, report: GateReport) -> None:
    for path, message in report.compile_errors:
        console.print(f"[red]does not compile[/red] {path}: {message}")
    if report.error:
        console.print(f"[red]stopped:[/red] {report.error}")
    console.print(f"Collected {len(report.collected)} tests.")
    if report.ran:
        passed = sum(1 for o in report.outcomes if o.passed)
        console.print(f"Ran {len(report.outcomes)}: {passed} passed.")
        for outcome in report.outcomes:
            if not outcome.passed:
                console.print(f"  [red]failed[/red] {outcome.nodeid}: {outcome.message}")
    verdict = "[green]passed[/green]" if report.passed else "[red]failed[/red]"
    console.print(f"Gate {verdict}.")

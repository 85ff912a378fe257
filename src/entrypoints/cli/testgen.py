"""`creditdesk testgen ...`: OpenAPI specs in, reviewed pytest suites out, from the terminal.

`submit` a spec (a file or an http(s) URL) and a suite of generated tests waits for review;
`list` and `show` the suites and their tests (code highlighted, the spec operation beside it);
`approve`, `reject`, `reopen` and `bulk-approve` them; run the quality `gate` (compile,
collect, and run against a live server when `--base-url` is given); write the `files` out; and
`deliver` the approved tests to a branch of a git repository.

Who acts: `--as` a user of the tenant (by id or email, with that person's role and
permissions, so a QA engineer's review is recorded as theirs), or else the CLI operator named
by `--operator`, an administrator of the tenant (see `entrypoints.cli.context`). Credentials
for the gate's run are read from standard input (`--tokens-stdin`), never from arguments that
other users of the host can see.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from domain.errors import Problem, ValidationFailed
from domain.testgen.delivery import DeliveryTarget, directory_problems
from domain.testgen.rendered import GateTarget
from entrypoints.cli.context import (
    CLI_OPERATOR,
    DEFAULT_TENANT,
    OperatorOption,
    TenantOption,
    opened,
    reported_errors,
)
from entrypoints.cli.render import render_problems
from entrypoints.cli.testgen_propose import propose as propose_command
from entrypoints.cli.testgen_support import (
    acting,
    case_id_of,
    show_case,
    show_gate,
    show_suite,
    spec_upload,
    suites_table,
)
from entrypoints.cli.testgen_unit import unit as unit_tests_command

app = typer.Typer(help="Test generation: OpenAPI specs in, reviewed pytest suites out.")
app.command("unit")(unit_tests_command)
app.command("propose")(propose_command)

AsOption = Annotated[
    str | None,
    typer.Option("--as", help="Act as this user of the tenant (id or email), with their role."),
]
SuiteArgument = Annotated[str, typer.Argument(help="The suite id, as `list` shows it.")]
CommentOption = Annotated[str | None, typer.Option("--comment", help="Why; kept in the history.")]


@app.command("submit")
def submit(
    source: Annotated[str, typer.Argument(help="A spec file (JSON or YAML) or an http(s) URL.")],
    tenant: TenantOption = DEFAULT_TENANT,
    person: AsOption = None,
    name: OperatorOption = CLI_OPERATOR,
) -> None:
    """Generate a suite from an OpenAPI 3.0/3.1 spec; the same spec again gives the same suite."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        principal = acting(deps, tenant, person, name)
        try:
            result = deps.testgen.submit(principal, spec_upload(source))
        except ValidationFailed as invalid:
            render_problems(console, 1, invalid.problems, f"The spec {source} is not acceptable:")
            raise typer.Exit(1) from None
    verb = "Generated" if result.created else "Already submitted:"
    console.print(
        f"{verb} suite {result.suite_id} for {result.title} {result.version}: "
        f"{result.cases} tests, pending review."
    )
    changes = result.changes
    if changes is not None:
        console.print(
            f"Since the previous version: {len(changes.new)} new, {len(changes.changed)} "
            f"changed, {len(changes.removed)} removed."
        )


@app.command("list")
def list_suites(
    tenant: TenantOption = DEFAULT_TENANT,
    person: AsOption = None,
    name: OperatorOption = CLI_OPERATOR,
) -> None:
    """The suites of the tenant, newest first."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        found = deps.testgen.suites(acting(deps, tenant, person, name))
    console.print(suites_table(found) if found else "No suites yet: `creditdesk testgen submit`.")


@app.command("show")
def show(
    suite_id: SuiteArgument,
    test: Annotated[
        str | None, typer.Option("--test", help="One test, by case id or function name.")
    ] = None,
    tenant: TenantOption = DEFAULT_TENANT,
    person: AsOption = None,
    name: OperatorOption = CLI_OPERATOR,
) -> None:
    """A suite's tests and their reviews; with --test, one test's code and its spec operation."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        detail = deps.testgen.suite(acting(deps, tenant, person, name), suite_id)
        if test is None:
            show_suite(console, detail)
            return
        wanted = case_id_of(detail, test)
    show_case(console, next(c for c in detail.cases if c.case.id == wanted))


def _review(
    action: str,
    suite_id: str,
    case: str | None,
    comment: str | None,
    who: tuple[str, str | None, str],
) -> None:
    console = Console()
    tenant, person, name = who
    with opened(console) as deps, reported_errors(console):
        principal = acting(deps, tenant, person, name)
        if case is None:
            suite_review = deps.testgen.review_suite(principal, suite_id, action, comment)
            console.print(f"Suite {suite_id} is {suite_review.state.value}.")
            return
        case_id = case_id_of(deps.testgen.suite(principal, suite_id), case)
        review = deps.testgen.review_test(principal, suite_id, case_id, action, comment)
    console.print(f"Test {case} is {review.state.value}.")


@app.command("approve")
def approve(
    suite_id: SuiteArgument,
    case: Annotated[str | None, typer.Argument(help="One test (case id or function).")] = None,
    *,
    comment: CommentOption = None,
    tenant: TenantOption = DEFAULT_TENANT,
    person: AsOption = None,
    name: OperatorOption = CLI_OPERATOR,
) -> None:
    """Approve one test, or the suite; a suspect test needs a --comment saying why it is right."""
    _review("approve", suite_id, case, comment, (tenant, person, name))


@app.command("reject")
def reject(
    suite_id: SuiteArgument,
    case: Annotated[str | None, typer.Argument(help="One test (case id or function).")] = None,
    *,
    comment: Annotated[str, typer.Option("--comment", help="Why: a rejection needs a reason.")],
    tenant: TenantOption = DEFAULT_TENANT,
    person: AsOption = None,
    name: OperatorOption = CLI_OPERATOR,
) -> None:
    """Reject one test, or the suite, saying why."""
    _review("reject", suite_id, case, comment, (tenant, person, name))


@app.command("reopen")
def reopen(
    suite_id: SuiteArgument,
    case: Annotated[str | None, typer.Argument(help="One test (case id or function).")] = None,
    *,
    comment: CommentOption = None,
    tenant: TenantOption = DEFAULT_TENANT,
    person: AsOption = None,
    name: OperatorOption = CLI_OPERATOR,
) -> None:
    """Put an approved or rejected test, or the suite, back to pending for another look."""
    _review("reopen", suite_id, case, comment, (tenant, person, name))


@app.command("bulk-approve")
def bulk_approve(
    suite_id: SuiteArgument,
    *,
    rule: Annotated[
        list[str] | None, typer.Option("--rule", help="Only tests of this rule (repeatable).")
    ] = None,
    comment: CommentOption = None,
    tenant: TenantOption = DEFAULT_TENANT,
    person: AsOption = None,
    name: OperatorOption = CLI_OPERATOR,
) -> None:
    """Approve every pending test of the suite (or of the rules given); suspects are skipped
    unless a --comment says why they are right."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        principal = acting(deps, tenant, person, name)
        detail = deps.testgen.suite(principal, suite_id)
        known = {c.case.rule.value for c in detail.cases}
        unknown = sorted(set(rule or ()) - known)
        if unknown:
            raise ValidationFailed(
                tuple(Problem("rule", f"no test of rule {r!r} in this suite") for r in unknown)
            )
        chosen = [
            c.case.id
            for c in detail.cases
            if (not rule or c.case.rule.value in rule) and c.review.state.value == "pending"
        ]
        result = deps.testgen.bulk_approve(principal, suite_id, chosen, comment)
    console.print(f"Approved {len(result.approved)} tests; skipped {len(result.skipped)}.")


@app.command("gate")
def gate(
    suite_id: SuiteArgument,
    *,
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="Run the suite against this server too.")
    ] = None,
    tokens_stdin: Annotated[
        bool,
        typer.Option(
            "--tokens-stdin",
            help="Read the credential (line 1) and a limited one (line 2) from standard input.",
        ),
    ] = False,
    tenant: TenantOption = DEFAULT_TENANT,
    person: AsOption = None,
    name: OperatorOption = CLI_OPERATOR,
) -> None:
    """The quality gate: compile, collect, and with --base-url run; a test failing against a
    server believed correct becomes suspect. Exit status 1 when the gate fails."""
    console = Console()
    tokens = (
        [line.strip() or None for line in sys.stdin.read().splitlines()[:2]] if tokens_stdin else []
    )
    tokens += [None, None]
    target = GateTarget(base_url, tokens[0], tokens[1]) if base_url else None
    with opened(console) as deps, reported_errors(console):
        report = deps.testgen.run_gate(acting(deps, tenant, person, name), suite_id, target)
    show_gate(console, report)
    if not report.passed:
        raise typer.Exit(1)


@app.command("files")
def files(
    suite_id: SuiteArgument,
    out: Annotated[Path, typer.Option("--out", help="The folder to write the suite into.")],
    tenant: TenantOption = DEFAULT_TENANT,
    person: AsOption = None,
    name: OperatorOption = CLI_OPERATOR,
) -> None:
    """Write every file of the suite (conftest, the spec, the test modules) into a folder."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        rendered = deps.testgen.files(acting(deps, tenant, person, name), suite_id)
        bad = [
            Problem(file.path, message)
            for file in rendered.files
            for message in directory_problems(file.path)
        ]
        if bad:
            raise ValidationFailed(tuple(bad))
        for file in rendered.files:
            path = out / file.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(file.text, encoding="utf-8", newline="")
    console.print(f"Wrote {len(rendered.files)} files into {out}.")


@app.command("deliver")
def deliver(
    suite_id: SuiteArgument,
    *,
    repo: Annotated[str, typer.Option("--repo", help="The git repository: a path or URL.")],
    branch: Annotated[str, typer.Option("--branch", help="The branch to commit on.")],
    directory: Annotated[
        str, typer.Option("--directory", help="The folder in the repository it replaces.")
    ] = "tests/generated",
    tenant: TenantOption = DEFAULT_TENANT,
    person: AsOption = None,
    name: OperatorOption = CLI_OPERATOR,
) -> None:
    """Commit the approved tests to a branch, the commit message listing them."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        target = DeliveryTarget(repo, branch, directory)
        receipt = deps.testgen.deliver(acting(deps, tenant, person, name), suite_id, target)
    made = "Committed" if receipt.committed else "Nothing new; the branch already holds"
    console.print(
        f"{made} {receipt.commit} on {receipt.branch} of {target.shown}: "
        f"{len(receipt.files)} files."
    )

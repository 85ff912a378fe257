"""`creditdesk testgen propose SUITE OPERATION`: the configured language model proposes extra
test cases for one operation of a suite.

Proposals that fit the spec go into a new version of the spec (the operation's
`x-creditdesk-proposals` extension) and so into a new suite, pending review like any other;
proposals that name a parameter, body field or status the spec does not have, or whose body is
not JSON, are listed with the reason they were dropped. The answer is cached: asking again
about the same suite and operation costs no model call.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from application.llm.ports import FailureCause
from application.testgen.propose import ProposalResult
from entrypoints.cli.context import (
    CLI_OPERATOR,
    DEFAULT_TENANT,
    OperatorOption,
    TenantOption,
    opened,
    reported_errors,
)
from entrypoints.cli.testgen_support import acting
from entrypoints.testgen_proposals import LLM_SETTINGS_HINT, propose_tests


def propose(
    suite_id: Annotated[str, typer.Argument(help="The suite id, as `list` shows it.")],
    operation: Annotated[
        str, typer.Argument(help='The operation: its operationId or "METHOD /path".')
    ],
    *,
    tenant: TenantOption = DEFAULT_TENANT,
    person: Annotated[
        str | None,
        typer.Option("--as", help="Act as this user of the tenant (id or email), with their role."),
    ] = None,
    name: OperatorOption = CLI_OPERATOR,
) -> None:
    """Ask the language model for extra test cases of one operation; keep those the spec allows."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        principal = acting(deps, tenant, person, name)
        with console.status("Asking the model..."):
            result = propose_tests(deps)(principal, suite_id, operation, "cli")
    show_proposals(console, result)


def show_proposals(console: Console, result: ProposalResult) -> None:
    if result.fallback == FailureCause.NOT_CONFIGURED.value:
        console.print(f"[bold red]{LLM_SETTINGS_HINT}[/bold red]")
        raise typer.Exit(1)
    if result.fallback is not None:
        console.print(
            f"[bold red]The model gave no usable answer ({result.fallback}).[/bold red] "
            "Nothing was stored; try again later."
        )
        raise typer.Exit(1)
    how = "from the cache" if result.outcome.value == "cached" else "answered"
    console.print(
        f"Proposals for {result.operation} ({how}): {len(result.accepted)} kept, "
        f"{len(result.dropped)} dropped."
    )
    for title in result.accepted:
        console.print(f"  [green]kept[/green] {title}")
    if result.dropped:
        table = Table(title="Dropped")
        table.add_column("proposal", overflow="fold")
        table.add_column("reason", overflow="fold")
        for dropped in result.dropped:
            table.add_row(dropped.title, dropped.reason)
        console.print(table)
    if result.suite is not None:
        verb = "New suite" if result.suite.created else "Already submitted:"
        console.print(
            f"{verb} {result.suite.suite_id} ({result.suite.cases} tests) holds the kept "
            "proposals, pending review."
        )

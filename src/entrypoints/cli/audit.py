"""`creditdesk audit verify`: check that nobody has edited, removed or slipped in an audit event.

Meant for examiners and scheduled checks alike: the exit status is 0 when every checked chain
is intact and 1 when one is broken, and the message names the tenant, the first sequence
number where the chain breaks and how. Without `--tenant` every tenant is checked.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from application.credit.audit import VerifyAuditChain
from application.credit.tenancy_queries import ListTenants
from entrypoints.cli.context import CLI_OPERATOR, OperatorOption, opened, reported_errors
from entrypoints.cli.tenancy import platform_operator, tenant_operator

app = typer.Typer(help="The audit trail.")


@app.command("verify")
def verify(
    tenant: Annotated[
        str | None, typer.Option("--tenant", help="Check this tenant (by slug) only.")
    ] = None,
    acting: OperatorOption = CLI_OPERATOR,
) -> None:
    """Check the audit chain of one tenant, or of every tenant."""
    console = Console()
    broken = 0
    with opened(console) as deps, reported_errors(console):
        if tenant is None:
            slugs = [found.slug for found in ListTenants(deps.uow())(platform_operator(acting))]
        else:
            slugs = [tenant]
        for slug in slugs:
            result = VerifyAuditChain(deps.uow())(tenant_operator(deps, slug, acting))
            if result.ok:
                console.print(f"{slug}: intact, {result.checked} events checked.")
            else:
                broken += 1
                console.print(
                    f"[bold red]{slug}: broken at event {result.broken_at}:[/bold red] "
                    f"{result.problem} ({result.checked} events intact before it)."
                )
    if not slugs:
        console.print("No tenants.")
    if broken:
        raise typer.Exit(1)

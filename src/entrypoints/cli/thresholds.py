"""`creditdesk thresholds show|propose|approve`: the routing thresholds, changed four-eyes.

One operator proposes new thresholds, a different one approves them, and they are in force at
once; both are named with `--operator` and recorded in the audit trail. A proposal starts from
the thresholds in force and moves only the scores given, so the other rules stay as they are.
"""

from __future__ import annotations

from typing import Annotated

import typer
from attrs import evolve
from rich.console import Console
from rich.table import Table

from application.credit.thresholds import (
    ActiveThresholds,
    ApproveThresholds,
    ListThresholdVersions,
    ProposeThresholds,
)
from domain.credit.policy_versions import PolicyVersion
from entrypoints.cli.context import (
    CLI_OPERATOR,
    DEFAULT_TENANT,
    OperatorOption,
    RequiredOperator,
    TenantOption,
    opened,
    reported_errors,
)
from entrypoints.cli.tenancy import tenant_operator

app = typer.Typer(help="Routing thresholds: what is in force, and changing it four-eyes.")


def _describe(version: PolicyVersion) -> str:
    policy = version.policy
    return (
        f"version {policy.version} ({version.status.value}): decline at or below "
        f"{policy.auto_decline_max:g}, approve at or above {policy.auto_approve_min:g}"
    )


@app.command("show")
def show(tenant: TenantOption = DEFAULT_TENANT, acting: OperatorOption = CLI_OPERATOR) -> None:
    """The thresholds in force and every version, newest first."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        principal = tenant_operator(deps, tenant, acting)
        in_force = ActiveThresholds(deps.uow())(principal)
        versions = ListThresholdVersions(deps.uow())(principal)
    policy = in_force.policy
    console.print(
        f"In force: version {policy.version}{' (the default)' if in_force.is_default else ''}, "
        f"decline at or below {policy.auto_decline_max:g}, "
        f"approve at or above {policy.auto_approve_min:g}."
    )
    table = Table("version", "status", "decline max", "approve min", "proposed by", "reviewed by")
    for version in versions:
        table.add_row(
            str(version.version), version.status.value,
            f"{version.policy.auto_decline_max:g}", f"{version.policy.auto_approve_min:g}",
            version.proposed_by, version.reviewed_by or "-",
        )  # fmt: skip
    if versions:
        console.print(table)


@app.command("propose")
def propose(
    *,
    auto_decline_max: Annotated[float, typer.Option("--auto-decline-max")],
    auto_approve_min: Annotated[float, typer.Option("--auto-approve-min")],
    note: Annotated[str, typer.Option("--note", help="Why the change.")] = "",
    tenant: TenantOption = DEFAULT_TENANT,
    acting: RequiredOperator,
) -> None:
    """Propose new score thresholds; someone else must approve them."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        principal = tenant_operator(deps, tenant, acting)
        current = ActiveThresholds(deps.uow())(principal).policy
        policy = evolve(
            current, auto_decline_max=auto_decline_max, auto_approve_min=auto_approve_min
        )
        proposed = ProposeThresholds(deps.uow(), deps.clock)(principal, policy, note)
    console.print(f"Proposed {_describe(proposed)}.")


@app.command("approve")
def approve(
    version: Annotated[int, typer.Argument(help="The proposed version, as `show` lists it.")],
    tenant: TenantOption = DEFAULT_TENANT,
    *,
    acting: RequiredOperator,
) -> None:
    """Approve a proposal (not one's own) and put it in force."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        approved = ApproveThresholds(deps.uow(), deps.clock)(
            tenant_operator(deps, tenant, acting), version
        )
    console.print(f"In force: {_describe(approved)}.")

"""`creditdesk api-keys create|list|revoke`: credentials for services that call the API.

The CLI acts as an operator of the tenant (see `entrypoints.cli.context`). `create` prints the
plain key once, on standard output alone so a script can capture it; only a hash of its
secret is stored, so a lost key is revoked and replaced.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from application.credit.api_keys import CreateApiKey, ListApiKeys, RevokeApiKey
from entrypoints.cli.context import (
    CLI_OPERATOR,
    DEFAULT_TENANT,
    OperatorOption,
    TenantOption,
    opened,
    operator,
    reported_errors,
)

app = typer.Typer(help="API keys: credentials of services that submit applications.")


@app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="What the key is for, such as 'loan-origination'.")],
    tenant: TenantOption = DEFAULT_TENANT,
    acting: OperatorOption = CLI_OPERATOR,
) -> None:
    """Create a key with the api_consumer role and print it once."""
    console, errors = Console(), Console(stderr=True)
    with opened(errors) as deps, reported_errors(errors):
        principal = operator(deps, tenant, acting)
        issued = CreateApiKey(deps.uow(), deps.clock, deps.ids, deps.secrets)(principal, name)
    errors.print(
        f"API key {issued.key.id} ({issued.key.name}) created; it is shown once, keep it now:"
    )
    console.print(issued.plain, highlight=False, soft_wrap=True)


@app.command("list")
def list_keys(tenant: TenantOption = DEFAULT_TENANT, acting: OperatorOption = CLI_OPERATOR) -> None:
    """The tenant's keys, oldest first, revoked ones included."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        keys = ListApiKeys(deps.uow())(operator(deps, tenant, acting))
    table = Table("id", "name", "created", "by", "last used", "revoked")
    for key in keys:
        table.add_row(
            key.id,
            key.name,
            f"{key.created_at:%Y-%m-%d %H:%M}",
            key.created_by,
            "-" if key.last_used_at is None else f"{key.last_used_at:%Y-%m-%d %H:%M}",
            "-" if key.revoked_at is None else f"{key.revoked_at:%Y-%m-%d %H:%M}",
        )
    console.print(table if keys else "No API keys.")


@app.command("revoke")
def revoke(
    key_id: Annotated[str, typer.Argument(help="The key's id, as `list` shows it.")],
    tenant: TenantOption = DEFAULT_TENANT,
    acting: OperatorOption = CLI_OPERATOR,
) -> None:
    """Refuse the key from now on."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        key = RevokeApiKey(deps.uow(), deps.clock)(operator(deps, tenant, acting), key_id)
    console.print(f"API key {key.id} ({key.name}) is revoked.")

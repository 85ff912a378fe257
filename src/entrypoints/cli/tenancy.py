"""`creditdesk tenants create|list` and `creditdesk users create|list|deactivate`.

Creating a tenant is the platform operator's act, so it lives here rather than behind the
HTTP API; the tenant's first administrator then manages everyone else over HTTP or here.
Passwords are read from a hidden, confirmed prompt or, for scripts, from the first line of
standard input (`--password-stdin`); they are never echoed, printed or passed as arguments,
where any user of the host could read them in the process list.

Unlike the other commands, these never create a tenant on first use: a mistyped slug is an
error, not a new lender.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from application.credit.admin import (
    CreateTenant,
    CreateUser,
    ListUsers,
    UpdateUser,
    UserChanges,
    UserDraft,
)
from application.credit.tenancy_queries import ListTenants
from application.errors import NotFound
from domain.identity import Principal, Role
from entrypoints.cli.context import (
    CLI_OPERATOR,
    DEFAULT_TENANT,
    OperatorOption,
    TenantOption,
    opened,
    reported_errors,
)
from entrypoints.composition import Deps

tenants = typer.Typer(help="Tenants (lenders): a platform operator's commands.")
users = typer.Typer(help="The people of a tenant and their roles.")

PasswordStdin = Annotated[
    bool,
    typer.Option("--password-stdin", help="Read the password from the first line of stdin."),
]


def read_password(from_stdin: bool) -> str:
    """The new password, from stdin or a hidden prompt asked twice."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


def platform_operator(name: str) -> Principal:
    """The operator acting above every tenant, as `ensure_tenant` does."""
    return Principal(user_id=name, tenant_id="", role=Role.ADMIN)


def tenant_operator(deps: Deps, slug: str, name: str) -> Principal:
    """The operator `name` as an administrator of the existing tenant `slug`."""
    with deps.uow() as uow:
        tenant = uow.tenants.get_by_slug(slug)
    if tenant is None:
        raise NotFound("tenant", slug)
    return Principal(user_id=name, tenant_id=tenant.id, role=Role.ADMIN)


@tenants.command("create")
def create_tenant(
    slug: Annotated[str, typer.Argument(help="Short lowercase name, such as 'acme-credit'.")],
    *,
    name: Annotated[str, typer.Option("--name", help="The lender's name.")],
    admin_email: Annotated[str, typer.Option("--admin-email", help="The first administrator.")],
    admin_name: Annotated[str, typer.Option("--admin-name")] = "Administrator",
    password_stdin: PasswordStdin = False,
    acting: OperatorOption = CLI_OPERATOR,
) -> None:
    """Create a tenant with its first administrator, who can then add everyone else."""
    console = Console()
    password = read_password(password_stdin)
    with opened(console) as deps, reported_errors(console):
        draft = UserDraft(admin_email, admin_name, Role.ADMIN, password)
        created = CreateTenant(deps.uow(), deps.clock, deps.ids, deps.hasher)(
            platform_operator(acting), slug, name, draft
        )
    console.print(
        f"Tenant {created.tenant.slug} ({created.tenant.id}) created; "
        f"administrator {created.admin.email} ({created.admin.id})."
    )


@tenants.command("list")
def list_tenants(acting: OperatorOption = CLI_OPERATOR) -> None:
    """Every tenant of the platform."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        found = ListTenants(deps.uow())(platform_operator(acting))
    table = Table("slug", "id", "name", "created", "active")
    for tenant in found:
        table.add_row(
            tenant.slug, tenant.id, tenant.name, f"{tenant.created_at:%Y-%m-%d %H:%M}",
            "yes" if tenant.active else "no",
        )  # fmt: skip
    console.print(table if found else "No tenants.")


@users.command("create")
def create_user(
    email: Annotated[str, typer.Argument(help="The person's email, their login.")],
    *,
    name: Annotated[str, typer.Option("--name", help="The person's name.")],
    role: Annotated[Role, typer.Option("--role")] = Role.ANALYST,
    password_stdin: PasswordStdin = False,
    tenant: TenantOption = DEFAULT_TENANT,
    acting: OperatorOption = CLI_OPERATOR,
) -> None:
    """Add a person to the tenant."""
    console = Console()
    password = read_password(password_stdin)
    with opened(console) as deps, reported_errors(console):
        principal = tenant_operator(deps, tenant, acting)
        user = CreateUser(deps.uow(), deps.clock, deps.ids, deps.hasher)(
            principal, UserDraft(email, name, role, password)
        )
    console.print(f"User {user.email} ({user.id}) created as {user.role.value}.")


@users.command("list")
def list_users(
    tenant: TenantOption = DEFAULT_TENANT, acting: OperatorOption = CLI_OPERATOR
) -> None:
    """The tenant's people, by email."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        found = ListUsers(deps.uow())(tenant_operator(deps, tenant, acting))
    table = Table("id", "email", "name", "role", "active")
    for user in found:
        table.add_row(
            user.id, user.email, user.display_name, user.role.value,
            "yes" if user.active else "no",
        )  # fmt: skip
    console.print(table if found else "No users.")


@users.command("deactivate")
def deactivate(
    user: Annotated[str, typer.Argument(help="The user's id or email.")],
    tenant: TenantOption = DEFAULT_TENANT,
    acting: OperatorOption = CLI_OPERATOR,
) -> None:
    """Refuse the person's logins from now on; their history stays."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        principal = tenant_operator(deps, tenant, acting)
        wanted = user.casefold()
        match = next(
            (u for u in ListUsers(deps.uow())(principal)
             if wanted in {u.id.casefold(), u.email.casefold()}),
            None,
        )  # fmt: skip
        if match is None:
            raise NotFound("user", user)
        changed = UpdateUser(deps.uow(), deps.clock, deps.hasher)(
            principal, match.id, UserChanges(active=False)
        )
    console.print(f"User {changed.email} ({changed.id}) is deactivated.")

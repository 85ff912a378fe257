"""What every CLI command that touches stored data shares: the adapters, who acts, and errors.

Who acts. The CLI has no login: whoever can run it on the host can already read the database
file and the object store. It therefore acts as an operator of one tenant (`--tenant`, default
"demo") with the admin role, named by `--operator` (default "cli-operator"). Naming the
operator matters where the rules count people: a promotion requested by one operator must be
approved by another (four eyes), so `model promote` and `model approve-promotion` require it.
The operator name is the user id recorded in the audit trail.

First use of a tenant creates it through the `CreateTenant` use case, with a first
administrator "cli-operator@<slug>.invalid" that has no usable password (`NoLoginHasher`): the
tenant then exists for the HTTP side too, whose administrators set real passwords.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console

from adapters.ml.datasets import DatasetUnavailable
from application.credit.admin import CreateTenant, UserDraft
from application.errors import ModelUnavailable
from application.ports import RecordNotFound
from domain.errors import (
    ConflictError,
    DomainError,
    PermissionDenied,
    ValidationFailed,
)
from domain.identity import Principal, Role
from domain.tenancy import Tenant
from entrypoints import composition, settings
from entrypoints.composition import Deps

DEFAULT_TENANT = "demo"
CLI_OPERATOR = "cli-operator"
NO_LOGIN_HASH = "!no-login"

TenantOption = Annotated[
    str, typer.Option("--tenant", help="The tenant (lender) to act in, by slug.")
]
OperatorOption = Annotated[
    str, typer.Option("--operator", help="Who acts: recorded in the audit trail.")
]
RequiredOperator = Annotated[
    str,
    typer.Option(
        "--operator",
        help="Who acts: recorded in the audit trail; approving needs someone other than the "
        "requester.",
    ),
]


class NoLoginHasher:
    """A password hasher whose hashes match no password: for users that must not log in."""

    def hash(self, password: str) -> str:
        return NO_LOGIN_HASH

    def verify(self, hashed: str, password: str) -> bool:
        return False

    def needs_rehash(self, hashed: str) -> bool:
        return False


#: Errors a person can act on, by how a message about them starts; the first match wins, so a
#: more specific class comes before its base (every domain error not listed is "Refused").
_LABELS: tuple[tuple[type[Exception], str], ...] = (
    (PermissionDenied, "Not allowed"),
    (ConflictError, "Conflict"),
    (RecordNotFound, "Not found"),
    (ModelUnavailable, "Model unavailable"),
    (DomainError, "Refused"),
    (DatasetUnavailable, "Data set unavailable"),
)


@contextmanager
def reported_errors(console: Console) -> Iterator[None]:
    """Turn the errors a person can act on into a red message and exit status 1, no traceback."""
    try:
        yield
    except ValidationFailed as invalid:
        console.print("[bold red]Not acceptable:[/bold red]")
        for problem in invalid.problems:
            console.print(f"  [red]{problem.path}[/red]: {problem.message}")
        raise typer.Exit(1) from None
    except tuple(kind for kind, _label in _LABELS) as error:
        label = next(label for kind, label in _LABELS if isinstance(error, kind))
        console.print(f"[bold red]{label}:[/bold red] {error}")
        raise typer.Exit(1) from None


@contextmanager
def opened(console: Console) -> Iterator[Deps]:
    """The adapters for the settings in the environment, closed when the command ends."""
    with reported_errors(console):
        deps = composition.build(settings.load())
    try:
        yield deps
    finally:
        deps.close()


def ensure_tenant(deps: Deps, slug: str) -> Tenant:
    """The tenant named `slug`, created (with a no-login administrator) if it does not exist."""
    with deps.uow() as uow:
        found = uow.tenants.get_by_slug(slug)
    if found is not None:
        return found
    creator = Principal(user_id=CLI_OPERATOR, tenant_id="", role=Role.ADMIN)
    admin = UserDraft(
        email=f"{CLI_OPERATOR}@{slug}.invalid",
        display_name="CLI operator",
        role=Role.ADMIN,
        password=NO_LOGIN_HASH * 2,  # long enough for the rules; NoLoginHasher discards it
    )
    create = CreateTenant(deps.uow(), deps.clock, deps.ids, NoLoginHasher())
    try:
        return create(creator, slug, slug, admin).tenant
    except ConflictError:  # another process created it first
        with deps.uow() as uow:
            again = uow.tenants.get_by_slug(slug)
        if again is None:
            raise
        return again


def operator(deps: Deps, tenant_slug: str, name: str) -> Principal:
    """The CLI operator `name` acting as an administrator of the tenant `tenant_slug`."""
    tenant = ensure_tenant(deps, tenant_slug)
    return Principal(user_id=name, tenant_id=tenant.id, role=Role.ADMIN)

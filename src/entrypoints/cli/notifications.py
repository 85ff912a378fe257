"""`creditdesk notifications ...` and `creditdesk webhooks ...`: inboxes, deliveries, endpoints.

`notifications list` and `read` act as the person named by `--user` (an id or an email of the
tenant): an inbox is its owner's alone, and whoever runs the CLI on the host can read the
database anyway (see `entrypoints.cli.context`). `deliveries` and `webhooks` act as the CLI
operator, an administrator of the tenant. `webhooks add` makes a random signing secret unless
one is given, and shows it once: give it to the receiver, which checks every call with it
(`domain.webhooks.verify`).
"""

from __future__ import annotations

import secrets
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from application.credit.deliver_notification import ListDeliveries
from application.credit.inbox import ListNotifications, MarkNotificationsRead
from application.credit.notify import NOTIFYING_TOPICS
from application.credit.webhooks import (
    DEFAULT_EVENTS,
    DisableWebhook,
    ListWebhooks,
    RegisterWebhook,
)
from application.errors import NotFound
from domain.identity import Principal
from domain.notifications import DeliveryStatus
from entrypoints.cli.context import (
    CLI_OPERATOR,
    DEFAULT_TENANT,
    OperatorOption,
    TenantOption,
    ensure_tenant,
    opened,
    operator,
    reported_errors,
)
from entrypoints.composition import Deps

inbox = typer.Typer(
    help="In-app notifications: a person's inbox, and what left by email or webhook."
)
hooks = typer.Typer(help="Webhook endpoints: where the tenant's systems hear of decisions.")

UserOption = Annotated[
    str, typer.Option("--user", help="Whose inbox: a user id or email of the tenant.")
]


def register(app: typer.Typer) -> None:
    """Add `notifications` and `webhooks` to the `creditdesk` command."""
    app.add_typer(inbox, name="notifications")
    app.add_typer(hooks, name="webhooks")


def _person(deps: Deps, tenant_slug: str, user: str) -> Principal:
    tenant = ensure_tenant(deps, tenant_slug)
    with deps.uow() as uow:
        found = uow.users.get(tenant.id, user) or uow.users.get_by_email(tenant.id, user)
    if found is None or not found.active:
        raise NotFound("user", user)
    return found.principal()


@inbox.command("list")
def list_notifications(
    user: UserOption,
    unread: Annotated[bool, typer.Option("--unread", help="Only the unread ones.")] = False,
    page: Annotated[int, typer.Option(min=1)] = 1,
    page_size: Annotated[int, typer.Option(min=1, max=200)] = 20,
    tenant: TenantOption = DEFAULT_TENANT,
) -> None:
    """A person's notifications, unread first, newest first."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        person = _person(deps, tenant, user)
        found = ListNotifications(deps.uow())(
            person, unread_only=unread, page=page, page_size=page_size
        )
        table = Table(
            title=f"Notifications of {person.user_id}: {found.unread} unread",
            title_justify="left",
        )
        for column in ("id", "when", "", "subject"):
            table.add_column(column)
        for message in found.messages.items:
            mark = "" if message.is_read else "[bold]new[/bold]"
            table.add_row(message.id, f"{message.created_at:%Y-%m-%d %H:%M}", mark, message.subject)
        console.print(table if found.messages.items else "No notifications.")


@inbox.command("read")
def read_notifications(
    user: UserOption,
    ids: Annotated[list[str] | None, typer.Argument(help="The notifications to mark.")] = None,
    everything: Annotated[bool, typer.Option("--all", help="Mark every unread one.")] = False,
    tenant: TenantOption = DEFAULT_TENANT,
) -> None:
    """Mark a person's notifications read: the ones named, or --all."""
    console = Console()
    if bool(ids) == everything:
        console.print("[red]Name the notifications to mark, or give --all.[/red]")
        raise typer.Exit(2)
    with opened(console) as deps, reported_errors(console):
        person = _person(deps, tenant, user)
        marked = MarkNotificationsRead(deps.uow(), deps.clock)(person, None if everything else ids)
        console.print(f"Marked {marked} notification{'s' * (marked != 1)} read.")


@inbox.command("deliveries")
def deliveries(
    failed: Annotated[bool, typer.Option("--failed", help="Only those that failed.")] = False,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    tenant: TenantOption = DEFAULT_TENANT,
) -> None:
    """The latest emails and webhook calls, newest first, with their attempts."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        principal = operator(deps, tenant, CLI_OPERATOR)
        status = DeliveryStatus.FAILED if failed else None
        found = ListDeliveries(deps.uow())(principal, status=status, limit=limit)
        table = Table(title="Deliveries", title_justify="left")
        for column in ("id", "created", "channel", "to", "event", "status", "tries", "error"):
            table.add_column(column)
        for d in found:
            table.add_row(
                d.id,
                f"{d.created_at:%Y-%m-%d %H:%M}",
                d.channel.value,
                d.recipient,
                d.event,
                d.status.value,
                str(d.attempts),
                d.last_error or "",
            )
        console.print(table if found else "No deliveries.")


@hooks.command("add")
def add_webhook(
    url: Annotated[str, typer.Argument(help="Where to POST: an http:// or https:// URL.")],
    events: Annotated[
        list[str] | None,
        typer.Option(
            "--event",
            help=f"An event to send (repeat for more): {', '.join(sorted(NOTIFYING_TOPICS))}. "
            f"Default: {', '.join(sorted(DEFAULT_EVENTS))}.",
        ),
    ] = None,
    secret: Annotated[
        str | None,
        typer.Option(help="The signing secret (24+ characters); a random one by default."),
    ] = None,
    acting: OperatorOption = CLI_OPERATOR,
    tenant: TenantOption = DEFAULT_TENANT,
) -> None:
    """Register an endpoint; its secret is shown this once."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        principal = operator(deps, tenant, acting)
        chosen = secret or secrets.token_urlsafe(32)
        register_webhook = RegisterWebhook(deps.uow(), deps.clock, deps.ids)
        endpoint = register_webhook(principal, url, chosen, set(events or DEFAULT_EVENTS))
        console.print(f"Registered webhook {endpoint.id} for {', '.join(sorted(endpoint.events))}.")
        console.print(f"Signing secret (shown once, give it to the receiver): {chosen}")


@hooks.command("list")
def list_webhooks(tenant: TenantOption = DEFAULT_TENANT) -> None:
    """The tenant's endpoints, disabled ones included (never their secrets)."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        endpoints = ListWebhooks(deps.uow())(operator(deps, tenant, CLI_OPERATOR))
        table = Table(title="Webhook endpoints", title_justify="left")
        for column in ("id", "url", "events", "active", "created"):
            table.add_column(column)
        for e in endpoints:
            table.add_row(
                e.id,
                e.url,
                ", ".join(sorted(e.events)),
                "yes" if e.active else "no",
                f"{e.created_at:%Y-%m-%d %H:%M} by {e.created_by}",
            )
        console.print(table if endpoints else "No webhook endpoints.")


@hooks.command("disable")
def disable_webhook(
    endpoint_id: Annotated[str, typer.Argument(help="The endpoint's id (from `webhooks list`).")],
    acting: OperatorOption = CLI_OPERATOR,
    tenant: TenantOption = DEFAULT_TENANT,
) -> None:
    """Stop calling an endpoint; calls not yet made to it fail without another try."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        principal = operator(deps, tenant, acting)
        DisableWebhook(deps.uow(), deps.clock)(principal, endpoint_id)
        console.print(f"Webhook {endpoint_id} is disabled.")

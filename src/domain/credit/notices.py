"""What the credit desk tells people, in which words, and whom.

Each `Notice` has one template and one rule for its recipients, both pure: the rule reads the
notice's context (the outbox payload plus facts the use case looked up) and the tenant's users.
Contexts hold ids only, so a notice names an application by its id and a colleague by theirs:
whoever needs more opens creditdesk, which checks what they may see.

Who hears of what:

- a case assigned: the analyst it was given to, unless they took it themselves;
- an SLA warning: the analyst holding the case, or, when nobody does, the senior analysts, who
  hand out cases;
- an SLA breach: the holding analyst and the senior analysts;
- a case escalated: the senior it was escalated to;
- help requested on a case: the senior analysts, except whoever asked;
- an override awaiting approval: everyone who may approve overrides, except whoever made it
  (four eyes: they cannot approve their own);
- a decision made: nobody in the app; the lender's systems hear of it by webhook.

Only active users of the tenant are ever told anything.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from domain.identity import Permission, Role, can
from domain.notifications import Template
from domain.tenancy import User


class Notice(enum.StrEnum):
    """One kind of notification; the value names its template."""

    CASE_ASSIGNED = "case_assigned"
    SLA_WARNING = "sla_warning"
    SLA_BREACHED = "sla_breached"
    CASE_ESCALATED = "case_escalated"
    HELP_REQUESTED = "help_requested"
    OVERRIDE_AWAITING_APPROVAL = "override_awaiting_approval"
    DECISION_MADE = "decision_made"


_OPEN = "Open creditdesk to see the case."

TEMPLATES: Mapping[Notice, Template] = MappingProxyType(
    {
        Notice.CASE_ASSIGNED: Template(
            Notice.CASE_ASSIGNED,
            "Case assigned to you: application $application_id",
            "The case $entry_id for application $application_id was assigned to you by "
            f"$assigned_by.\n\n{_OPEN}",
        ),
        Notice.SLA_WARNING: Template(
            Notice.SLA_WARNING,
            "SLA warning: application $application_id is due $sla_deadline",
            "The case $entry_id for application $application_id must be decided by "
            "$sla_deadline. Decide it, or hand it to a colleague, before then."
            f"\n\n{_OPEN}",
        ),
        Notice.SLA_BREACHED: Template(
            Notice.SLA_BREACHED,
            "SLA breached: application $application_id",
            "The case $entry_id for application $application_id was due by $sla_deadline and "
            f"is still open.\n\n{_OPEN}",
        ),
        Notice.CASE_ESCALATED: Template(
            Notice.CASE_ESCALATED,
            "Case escalated to you: application $application_id",
            "The case $entry_id for application $application_id was escalated to you "
            f"($senior_id).\n\n{_OPEN}",
        ),
        Notice.HELP_REQUESTED: Template(
            Notice.HELP_REQUESTED,
            "Help requested: application $application_id",
            "$requested_by asks for help with the case $entry_id for application "
            f"$application_id. Their message is on the case.\n\n{_OPEN}",
        ),
        Notice.OVERRIDE_AWAITING_APPROVAL: Template(
            Notice.OVERRIDE_AWAITING_APPROVAL,
            "Override awaiting approval: application $application_id",
            "$decided_by overrode the model on application $application_id (decision "
            "$decision_id, $decision_type). It is not final until a second person approves "
            "or rejects it.\n\nOpen creditdesk to review the override.",
        ),
        Notice.DECISION_MADE: Template(
            Notice.DECISION_MADE,
            "Decision made: application $application_id $outcome",
            "Application $application_id was $outcome (decision $decision_id, $decision_type).",
        ),
    }
)


def template_of(notice: Notice) -> Template:
    return TEMPLATES[notice]


def _seniors(active: Mapping[str, User]) -> tuple[str, ...]:
    return tuple(user_id for user_id, user in active.items() if user.role is Role.SENIOR_ANALYST)


def _approvers(active: Mapping[str, User], decided_by: str | None) -> tuple[str, ...]:
    return tuple(
        user_id
        for user_id, user in active.items()
        if user_id != decided_by and can(user.principal(), Permission.DECISION_APPROVE_OVERRIDE)
    )


def recipients(
    notice: Notice, context: Mapping[str, str], users: Iterable[User]
) -> tuple[str, ...]:
    """The ids of the users to tell of `notice` in the app (and by email), each once, by id.

    See the module docstring for the rule of each notice.
    """
    active = {user.id: user for user in sorted(users, key=lambda u: u.id) if user.active}

    def the(key: str) -> tuple[str, ...]:
        user_id = context.get(key)
        return (user_id,) if user_id is not None and user_id in active else ()

    match notice:
        case Notice.CASE_ASSIGNED:
            if context.get("analyst_id") == context.get("assigned_by"):
                return ()
            return the("analyst_id")
        case Notice.SLA_WARNING:
            return the("analyst_id") or _seniors(active)
        case Notice.SLA_BREACHED:
            return tuple(dict.fromkeys(the("analyst_id") + _seniors(active)))
        case Notice.CASE_ESCALATED:
            return the("senior_id")
        case Notice.HELP_REQUESTED:
            asker = context.get("requested_by")
            return tuple(user_id for user_id in _seniors(active) if user_id != asker)
        case Notice.OVERRIDE_AWAITING_APPROVAL:
            return _approvers(active, context.get("decided_by"))
        case Notice.DECISION_MADE:
            return ()

"""The application lifecycle as a small state machine.

pending -> scoring -> review | approved | declined; pending -> cancelled; review -> approved |
declined. Approved, declined and cancelled are final: a decided loan is never silently reopened,
so an examiner can trust that a final status is the one the customer was told.
"""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType

from domain.errors import IllegalTransition


class ApplicationStatus(StrEnum):
    PENDING = "pending"
    SCORING = "scoring"
    REVIEW = "review"
    APPROVED = "approved"
    DECLINED = "declined"
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        return self in FINAL_STATUSES


FINAL_STATUSES = frozenset(
    {ApplicationStatus.APPROVED, ApplicationStatus.DECLINED, ApplicationStatus.CANCELLED}
)

ALLOWED_TRANSITIONS = MappingProxyType(
    {
        ApplicationStatus.PENDING: frozenset(
            {ApplicationStatus.SCORING, ApplicationStatus.CANCELLED}
        ),
        ApplicationStatus.SCORING: frozenset(
            {ApplicationStatus.REVIEW, ApplicationStatus.APPROVED, ApplicationStatus.DECLINED}
        ),
        ApplicationStatus.REVIEW: frozenset(
            {ApplicationStatus.APPROVED, ApplicationStatus.DECLINED}
        ),
        ApplicationStatus.APPROVED: frozenset[ApplicationStatus](),
        ApplicationStatus.DECLINED: frozenset[ApplicationStatus](),
        ApplicationStatus.CANCELLED: frozenset[ApplicationStatus](),
    }
)


class FinalStatusChange(IllegalTransition):
    """An attempt to move an application out of a final status."""


def can_transition(current: ApplicationStatus, target: ApplicationStatus) -> bool:
    return target in ALLOWED_TRANSITIONS[current]


def transition(current: ApplicationStatus, target: ApplicationStatus) -> ApplicationStatus:
    """Return `target` if the lifecycle allows the move, else raise a named error."""
    if current.is_final:
        raise FinalStatusChange(f"a {current} application is final and cannot become {target}")
    if not can_transition(current, target):
        allowed = ", ".join(sorted(ALLOWED_TRANSITIONS[current]))
        message = f"a {current} application cannot become {target} (allowed: {allowed})"
        raise IllegalTransition(message)
    return target


class FormLocked(IllegalTransition):
    """The form of an application that has left `pending` can no longer be changed."""


def ensure_form_editable(status: ApplicationStatus) -> None:
    """Only a pending application's form may change: once scoring starts, the form is evidence."""
    if status is not ApplicationStatus.PENDING:
        raise FormLocked(f"a {status} application can no longer be changed")

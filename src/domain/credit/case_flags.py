"""Two calls for attention on a case in the queue: a flag for review, and a request for help.

A flag marks a case for special attention (suspected fraud, a doubtful document...) until a
senior analyst or an admin clears it, saying why; a case carries at most one flag at a time, and
the audit trail keeps every flag and clearance. A help request is a message from whoever works
the case to the senior analysts, who are told of it (`domain.credit.notices`).

Who may do what: the analyst holding the case asks for help or flags it, and so may anyone who
may hand out cases (queue:assign: seniors and admins), since they may take any case over. A
decided case is past review, so it cannot be flagged or asked about.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from attrs import frozen

from domain.credit.queue import CaseNotAvailable, QueueEntry, WrongTenant
from domain.errors import ConflictError, PermissionDenied, Problem, ValidationFailed
from domain.identity import Permission, Principal, can

MIN_HELP_MESSAGE = 10
MAX_HELP_MESSAGE = 1000
MAX_FLAG_NOTE = 1000


class FlagReason(StrEnum):
    SUSPECTED_FRAUD = "suspected_fraud"
    DOCUMENT_CONCERN = "document_concern"
    POLICY_EXCEPTION = "policy_exception"
    OTHER = "other"


class CaseAlreadyFlagged(ConflictError):
    """A case carries one flag at a time: clear it before flagging again."""


class CaseNotFlagged(ConflictError):
    """There is no flag on the case to clear."""


@frozen
class CaseFlag:
    """The flag a case carries now; cleared, it is gone (the audit trail remembers it)."""

    tenant_id: str
    entry_id: str
    reason: FlagReason
    note: str
    flagged_by: str
    flagged_at: datetime


@frozen
class HelpRequest:
    """One message asking the senior analysts for help with a case."""

    id: str
    tenant_id: str
    entry_id: str
    message: str
    requested_by: str
    requested_at: datetime


def _may_act(entry: QueueEntry, actor: Principal, what: str) -> None:
    if actor.tenant_id != entry.tenant_id:
        raise WrongTenant("the case and the person acting on it belong to different tenants")
    if not entry.is_open:
        raise CaseNotAvailable(f"case {entry.id} is decided; it cannot be {what}")
    holds = entry.is_active and entry.analyst_id == actor.user_id
    if not holds and not can(actor, Permission.QUEUE_ASSIGN):
        raise PermissionDenied(f"user {actor.user_id} does not hold case {entry.id}")


def _text_problems(path: str, text: str, least: int, most: int) -> list[Problem]:
    length = len(text.strip())
    if length < least:
        return [Problem(path, f"must be at least {least} characters (it has {length})")]
    if len(text) > most:
        return [Problem(path, f"must be at most {most} characters (it has {len(text)})")]
    return []


def request_help(
    entry: QueueEntry, *, request_id: str, message: str, actor: Principal, now: datetime
) -> HelpRequest:
    """The holder of an open case (or a senior) asks for help; the message says with what."""
    problems = _text_problems("message", message, MIN_HELP_MESSAGE, MAX_HELP_MESSAGE)
    if problems:
        raise ValidationFailed(tuple(problems))
    _may_act(entry, actor, "asked about")
    return HelpRequest(
        id=request_id,
        tenant_id=entry.tenant_id,
        entry_id=entry.id,
        message=message.strip(),
        requested_by=actor.user_id,
        requested_at=now,
    )


def flag_problems(reason: str, note: str) -> list[Problem]:
    """Every problem with a flag's reason and note (the note may be empty)."""
    problems = []
    if reason not in set(FlagReason):
        known = ", ".join(FlagReason)
        problems.append(Problem("reason", f"must be one of {known}"))
    problems += _text_problems("note", note, 0, MAX_FLAG_NOTE)
    return problems


def flag(
    entry: QueueEntry,
    current: CaseFlag | None,
    *,
    reason: str,
    note: str,
    actor: Principal,
    now: datetime,
) -> CaseFlag:
    """Mark an open case for special attention; `current` is the flag it carries, if any."""
    problems = flag_problems(reason, note)
    if problems:
        raise ValidationFailed(tuple(problems))
    _may_act(entry, actor, "flagged")
    if current is not None:
        raise CaseAlreadyFlagged(f"case {entry.id} is already flagged ({current.reason})")
    return CaseFlag(
        tenant_id=entry.tenant_id,
        entry_id=entry.id,
        reason=FlagReason(reason),
        note=note.strip(),
        flagged_by=actor.user_id,
        flagged_at=now,
    )


def clear_flag(current: CaseFlag | None, *, entry_id: str, note: str, actor: Principal) -> CaseFlag:
    """A senior analyst or an admin (decision:approve_override) clears the flag, saying why;
    the flag cleared is returned for the record."""
    problems = _text_problems("note", note, 1, MAX_FLAG_NOTE)
    if problems:
        raise ValidationFailed(tuple(problems))
    if not can(actor, Permission.DECISION_APPROVE_OVERRIDE):
        raise PermissionDenied(f"user {actor.user_id} cannot clear flags")
    if current is None:
        raise CaseNotFlagged(f"case {entry_id} carries no flag")
    if current.tenant_id != actor.tenant_id:
        raise WrongTenant("the case and the person acting on it belong to different tenants")
    return current

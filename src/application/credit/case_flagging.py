"""Calls for attention on a case: ask the seniors for help, flag it for review, clear a flag.

Each one changes the case's flags or help requests, records the change in the audit trail and,
for a help request, leaves a notification for the senior analysts in the outbox: all in one
transaction (rule 3 of DESIGN.md), so the seniors are told exactly when the request is stored.
The queue entry is locked (`QueueRepository.lock`), so that a case decided at the same moment
is seen decided and refused (`domain.credit.case_flags`).
"""

from __future__ import annotations

from attrs import frozen

from application.credit.ports import UnitOfWork
from application.credit.recording import Journal, Topic
from application.credit.snapshots import snapshot
from application.errors import NotFound
from application.ports import Clock, IdGenerator
from domain.credit.case_flags import CaseFlag, HelpRequest, clear_flag, flag, request_help
from domain.credit.queue import QueueEntry
from domain.identity import Permission, Principal, authorize


def _locked(uow: UnitOfWork, tenant_id: str, entry_id: str) -> QueueEntry:
    entry = uow.queue.lock(tenant_id, entry_id)
    if entry is None:
        raise NotFound("queue entry", entry_id)
    return entry


@frozen
class RequestHelp:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator

    def __call__(self, principal: Principal, entry_id: str, message: str) -> HelpRequest:
        authorize(principal, Permission.DECISION_CREATE)
        now = self.clock.now()
        with self.uow:
            entry = _locked(self.uow, principal.tenant_id, entry_id)
            asked = request_help(
                entry, request_id=self.ids.new_id(), message=message, actor=principal, now=now
            )
            self.uow.case_flags.add_help_request(asked)
            journal = Journal.of(self.uow, principal, now)
            journal.audit("case.help_requested", "queue_entry", entry_id, new=snapshot(asked))
            journal.emit(
                self.ids,
                Topic.CASE_HELP_REQUESTED,
                {
                    "entry_id": entry_id,
                    "application_id": entry.application_id,
                    "requested_by": principal.user_id,
                },
            )
            self.uow.commit()
            return asked


@frozen
class FlagCase:
    uow: UnitOfWork
    clock: Clock

    def __call__(self, principal: Principal, entry_id: str, reason: str, note: str) -> CaseFlag:
        authorize(principal, Permission.DECISION_CREATE)
        now = self.clock.now()
        with self.uow:
            entry = _locked(self.uow, principal.tenant_id, entry_id)
            current = self.uow.case_flags.flag_of(principal.tenant_id, entry_id)
            flagged = flag(entry, current, reason=reason, note=note, actor=principal, now=now)
            self.uow.case_flags.add_flag(flagged)
            Journal.of(self.uow, principal, now).audit(
                "case.flagged", "queue_entry", entry_id, new=snapshot(flagged)
            )
            self.uow.commit()
            return flagged


@frozen
class ClearFlag:
    uow: UnitOfWork
    clock: Clock

    def __call__(self, principal: Principal, entry_id: str, note: str) -> CaseFlag:
        """The flag cleared; the note saying why is kept in the audit trail."""
        authorize(principal, Permission.DECISION_APPROVE_OVERRIDE)
        now = self.clock.now()
        with self.uow:
            _locked(self.uow, principal.tenant_id, entry_id)
            current = self.uow.case_flags.flag_of(principal.tenant_id, entry_id)
            cleared = clear_flag(current, entry_id=entry_id, note=note, actor=principal)
            self.uow.case_flags.remove_flag(principal.tenant_id, entry_id)
            Journal.of(self.uow, principal, now).audit(
                "case.flag_cleared",
                "queue_entry",
                entry_id,
                old=snapshot(cleared),
                new={"cleared_by": principal.user_id, "note": note.strip()},
            )
            self.uow.commit()
            return cleared


@frozen
class CaseAttention:
    """What calls for attention on one case: its flag and its help requests, oldest first."""

    flag: CaseFlag | None
    help_requests: tuple[HelpRequest, ...]


@frozen
class GetCaseAttention:
    uow: UnitOfWork

    def __call__(self, principal: Principal, entry_id: str) -> CaseAttention:
        authorize(principal, Permission.QUEUE_VIEW)
        tenant_id = principal.tenant_id
        with self.uow:
            if self.uow.queue.get(tenant_id, entry_id) is None:
                raise NotFound("queue entry", entry_id)
            return CaseAttention(
                flag=self.uow.case_flags.flag_of(tenant_id, entry_id),
                help_requests=tuple(self.uow.case_flags.help_requests(tenant_id, entry_id)),
            )


@frozen
class FlagsOfCases:
    """The flags of a page of cases, by case id (for the queue list)."""

    uow: UnitOfWork

    def __call__(self, principal: Principal, entry_ids: tuple[str, ...]) -> dict[str, CaseFlag]:
        authorize(principal, Permission.QUEUE_VIEW)
        with self.uow:
            return self.uow.case_flags.flags_of(principal.tenant_id, entry_ids)

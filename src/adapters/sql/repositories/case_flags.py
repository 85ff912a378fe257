"""Flags and help requests of queue cases, as plain columns."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import delete, select

from adapters.sql.schema.case_flags import case_flags, case_help_requests
from adapters.sql.transaction import Transaction
from application.ports import RecordNotFound
from domain.credit.case_flags import CaseFlag, FlagReason, HelpRequest

_f = case_flags.c
_h = case_help_requests.c
_IN_LIST = 1_000  # values per IN list, well within every engine's limit


def _flag(row: Any) -> CaseFlag:
    return CaseFlag(
        tenant_id=row.tenant_id,
        entry_id=row.entry_id,
        reason=FlagReason(row.reason),
        note=row.note,
        flagged_by=row.flagged_by,
        flagged_at=row.flagged_at,
    )


class SqlCaseFlagRepository:
    def __init__(self, db: Transaction) -> None:
        self._db = db

    def flag_of(self, tenant_id: str, entry_id: str) -> CaseFlag | None:
        statement = select(case_flags).where(_f.tenant_id == tenant_id, _f.entry_id == entry_id)
        row = self._db.execute(statement).first()
        return None if row is None else _flag(row)

    def flags_of(self, tenant_id: str, entry_ids: Collection[str]) -> dict[str, CaseFlag]:
        wanted = sorted(set(entry_ids))
        found: dict[str, CaseFlag] = {}
        for start in range(0, len(wanted), _IN_LIST):
            chunk = wanted[start : start + _IN_LIST]
            statement = select(case_flags).where(_f.tenant_id == tenant_id, _f.entry_id.in_(chunk))
            found.update((row.entry_id, _flag(row)) for row in self._db.execute(statement))
        return found

    def add_flag(self, flag: CaseFlag) -> None:
        values = {
            "tenant_id": flag.tenant_id,
            "entry_id": flag.entry_id,
            "reason": flag.reason.value,
            "note": flag.note,
            "flagged_by": flag.flagged_by,
            "flagged_at": flag.flagged_at,
        }
        self._db.insert_new(case_flags, values, f"a flag on case {flag.entry_id}")

    def remove_flag(self, tenant_id: str, entry_id: str) -> None:
        statement = delete(case_flags).where(_f.tenant_id == tenant_id, _f.entry_id == entry_id)
        if self._db.write().execute(statement).rowcount == 0:
            raise RecordNotFound(f"a flag on case {entry_id} does not exist")

    def add_help_request(self, request: HelpRequest) -> None:
        values = {
            "tenant_id": request.tenant_id,
            "id": request.id,
            "entry_id": request.entry_id,
            "message": request.message,
            "requested_by": request.requested_by,
            "requested_at": request.requested_at,
        }
        self._db.insert_new(case_help_requests, values, f"help request {request.id}")

    def help_requests(self, tenant_id: str, entry_id: str) -> list[HelpRequest]:
        statement = (
            select(case_help_requests)
            .where(_h.tenant_id == tenant_id, _h.entry_id == entry_id)
            .order_by(_h.requested_at, _h.id)
        )
        return [
            HelpRequest(
                id=row.id,
                tenant_id=row.tenant_id,
                entry_id=row.entry_id,
                message=row.message,
                requested_by=row.requested_by,
                requested_at=row.requested_at,
            )
            for row in self._db.execute(statement)
        ]

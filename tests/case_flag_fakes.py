"""The in-memory fake of the case flag repository, over the staged tables of
`tests.fakes.InMemoryDatabase`, so it commits and rolls back with the rest of a unit of work.

Like the SQL tables' foreign keys, a flag or help request needs its stored queue entry."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from application.ports import RecordNotFound
from domain.credit.case_flags import CaseFlag, HelpRequest
from domain.credit.queue import QueueEntry

if TYPE_CHECKING:
    from tests.fakes import _Staged


class InMemoryCaseFlagRepository:
    def __init__(
        self,
        flags: _Staged[tuple[str, str], CaseFlag],
        help_requests: _Staged[tuple[str, str], HelpRequest],
        queue: _Staged[tuple[str, str], QueueEntry],
    ) -> None:
        self._flags = flags
        self._help = help_requests
        self._queue = queue

    def _entry_exists(self, tenant_id: str, entry_id: str) -> None:
        if self._queue.get((tenant_id, entry_id)) is None:
            raise RecordNotFound(f"queue entry {entry_id} does not exist")

    def flag_of(self, tenant_id: str, entry_id: str) -> CaseFlag | None:
        return self._flags.get((tenant_id, entry_id))

    def flags_of(self, tenant_id: str, entry_ids: Collection[str]) -> dict[str, CaseFlag]:
        found = (self._flags.get((tenant_id, entry_id)) for entry_id in set(entry_ids))
        return {flag.entry_id: flag for flag in found if flag is not None}

    def add_flag(self, flag: CaseFlag) -> None:
        self._entry_exists(flag.tenant_id, flag.entry_id)
        key = (flag.tenant_id, flag.entry_id)
        self._flags.insert(key, flag, f"a flag on case {flag.entry_id}")

    def remove_flag(self, tenant_id: str, entry_id: str) -> None:
        if self._flags.get((tenant_id, entry_id)) is None:
            raise RecordNotFound(f"a flag on case {entry_id} does not exist")
        self._flags.delete((tenant_id, entry_id))

    def add_help_request(self, request: HelpRequest) -> None:
        self._entry_exists(request.tenant_id, request.entry_id)
        key = (request.tenant_id, request.id)
        self._help.insert(key, request, f"help request {request.id}")

    def help_requests(self, tenant_id: str, entry_id: str) -> list[HelpRequest]:
        mine = self._help.where(lambda r: r.tenant_id == tenant_id and r.entry_id == entry_id)
        return sorted(mine, key=lambda r: (r.requested_at, r.id))

"""Where the flags and help requests of queue cases (`domain.credit.case_flags`) are kept."""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from domain.credit.case_flags import CaseFlag, HelpRequest


class CaseFlagRepository(Protocol):
    """At most one flag per (tenant, case), and any number of help requests per case.

    A flag or request names a stored queue entry of its tenant (`RecordNotFound` otherwise on
    the SQL adapter, whose foreign key says so)."""

    def flag_of(self, tenant_id: str, entry_id: str) -> CaseFlag | None:
        """The flag the tenant's case carries, or None."""
        ...

    def flags_of(self, tenant_id: str, entry_ids: Collection[str]) -> dict[str, CaseFlag]:
        """The flags of those of the tenant's cases that carry one, by case id (for a list)."""
        ...

    def add_flag(self, flag: CaseFlag) -> None:
        """Store a new flag; `AlreadyExists` if the case already carries one."""
        ...

    def remove_flag(self, tenant_id: str, entry_id: str) -> None:
        """Take the case's flag away; `RecordNotFound` if it carries none."""
        ...

    def add_help_request(self, request: HelpRequest) -> None:
        """Store a new help request; `AlreadyExists` if the tenant has one with its id."""
        ...

    def help_requests(self, tenant_id: str, entry_id: str) -> list[HelpRequest]:
        """The tenant's help requests about the case, oldest first (ties: smaller id)."""
        ...

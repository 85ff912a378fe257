"""Where the second opinions asked about applications (`domain.credit.second_opinion_record`)
are kept: every ask, answered or fallen back, in the transaction of the use case that asked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from domain.credit.second_opinion_record import SecondOpinionRecord


class SecondOpinionRepository(Protocol):
    """Append-only records of one tenant's applications. A record names a stored application
    of its tenant (`RecordNotFound` otherwise on the SQL adapter, whose foreign key says so)."""

    def add_many(self, records: Sequence[SecondOpinionRecord]) -> None:
        """Store new records; `AlreadyExists` if the tenant has one with an id among them."""
        ...

    def of_application(
        self, tenant_id: str, application_id: str, limit: int = 50
    ) -> list[SecondOpinionRecord]:
        """The application's records, newest first (ties: the larger id first), at most
        `limit`; another tenant's application has none."""
        ...

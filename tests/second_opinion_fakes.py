"""The in-memory fake of the second-opinion repository, over the staged tables of
`tests.fakes.InMemoryDatabase`, so it commits and rolls back with the rest of a unit of work.

Like the SQL table's foreign key, a record needs its stored application."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from application.ports import AlreadyExists, RecordNotFound
from domain.credit.application import Application
from domain.credit.second_opinion_record import SecondOpinionRecord

if TYPE_CHECKING:
    from tests.fakes import _Staged


class InMemorySecondOpinionRepository:
    def __init__(
        self,
        records: _Staged[tuple[str, str], SecondOpinionRecord],
        applications: _Staged[tuple[str, str], Application],
    ) -> None:
        self._records = records
        self._applications = applications

    def add_many(self, records: Sequence[SecondOpinionRecord]) -> None:
        with self._records.all_or_none():
            for record in records:
                if self._applications.get((record.tenant_id, record.application_id)) is None:
                    raise RecordNotFound(f"application {record.application_id} does not exist")
                key = (record.tenant_id, record.id)
                if self._records.get(key) is not None:
                    raise AlreadyExists(f"second opinion {record.id} already exists")
                self._records.put(key, record)

    def of_application(
        self, tenant_id: str, application_id: str, limit: int = 50
    ) -> list[SecondOpinionRecord]:
        mine = self._records.where(
            lambda r: r.tenant_id == tenant_id and r.application_id == application_id
        )
        return sorted(mine, key=lambda r: (r.at, r.id), reverse=True)[:limit]

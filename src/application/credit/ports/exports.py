"""Exports (`domain.credit.exports`): where they are kept, where their rows come from, and
what turns rows into a file.

Rows are read a page at a time by keyset (submission time, then id), so an export of a
million applications never holds more than one page of them, and each page is an index range
scan however deep into the table it starts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol

from attrs import frozen

from domain.credit.export_rows import Cell, ExportRecord
from domain.credit.exports import Export, ExportFilter, ExportFormat


@frozen
class RowsAfter:
    """Where the previous page of rows ended: its last application's submission time and id."""

    submitted_at: datetime
    application_id: str


class ExportRepository(Protocol):
    """Exports, one per (tenant, id), and the rows they are made of."""

    def add(self, export: Export) -> None:
        """Store a new export; `AlreadyExists` if the tenant has one with its id."""
        ...

    def get(self, tenant_id: str, export_id: str) -> Export | None:
        """The tenant's export with this id, or None."""
        ...

    def update(self, export: Export) -> None:
        """Replace the stored export; `RecordNotFound` if the tenant has none with its id."""
        ...

    def count_rows(self, tenant_id: str, export_filter: ExportFilter) -> int:
        """How many of the tenant's applications the filter admits."""
        ...

    def rows(
        self,
        tenant_id: str,
        export_filter: ExportFilter,
        *,
        after: RowsAfter | None,
        limit: int,
        decisions: bool,
    ) -> list[ExportRecord]:
        """Up to `limit` admitted applications after `after`, oldest submission first (ties:
        smaller id first), each with its latest scoring result (newest `scored_at`) and, when
        `decisions`, its latest decision (newest `decided_at`, ties: greater id)."""
        ...


class ExportFileWriter(Protocol):
    """Writes rows as a file of one format, consuming them as they come."""

    def write(
        self, export_format: ExportFormat, header: Sequence[str], rows: Iterable[Sequence[Cell]]
    ) -> bytes:
        """The file's bytes: the header line, then every row in order."""
        ...

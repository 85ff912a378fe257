"""The in-memory fake of the export repository, over the staged tables of
`tests.fakes.InMemoryDatabase`, so it commits and rolls back with the rest of a unit of work."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from application.credit.ports.exports import RowsAfter
from domain.credit.application import Application
from domain.credit.decisions import Decision
from domain.credit.export_rows import Cell, ExportDecision, ExportRecord, ExportScore, csv_text
from domain.credit.exports import Export, ExportFilter, ExportFormat
from domain.credit.scoring import ScoringResult

if TYPE_CHECKING:
    from tests.fakes import _Staged


class InMemoryExportRepository:
    def __init__(
        self,
        rows: _Staged[tuple[str, str], Export],
        applications: _Staged[tuple[str, str], Application],
        results: _Staged[int, ScoringResult],
        decisions: _Staged[tuple[str, str], Decision],
    ) -> None:
        self._rows = rows
        self._applications = applications
        self._results = results
        self._decisions = decisions

    def add(self, export: Export) -> None:
        self._rows.insert((export.tenant_id, export.id), export, f"export {export.id}")

    def get(self, tenant_id: str, export_id: str) -> Export | None:
        return self._rows.get((tenant_id, export_id))

    def update(self, export: Export) -> None:
        self._rows.replace((export.tenant_id, export.id), export, f"export {export.id}")

    def count_rows(self, tenant_id: str, export_filter: ExportFilter) -> int:
        return len(self._admitted(tenant_id, export_filter))

    def rows(
        self,
        tenant_id: str,
        export_filter: ExportFilter,
        *,
        after: RowsAfter | None,
        limit: int,
        decisions: bool,
    ) -> list[ExportRecord]:
        admitted = sorted(
            self._admitted(tenant_id, export_filter), key=lambda a: (a.submitted_at, a.id)
        )
        if after is not None:
            start = (after.submitted_at, after.application_id)
            admitted = [a for a in admitted if (a.submitted_at, a.id) > start]
        page = admitted[: max(limit, 0)]
        wanted = {a.id for a in page}
        scores = self._latest_scores(tenant_id, wanted)
        chosen = self._latest_decisions(tenant_id, wanted) if decisions else {}
        return [ExportRecord(a, scores.get(a.id), chosen.get(a.id)) for a in page]

    def _admitted(self, tenant_id: str, export_filter: ExportFilter) -> list[Application]:
        return self._applications.where(
            lambda a: a.tenant_id == tenant_id and export_filter.admits(a)
        )

    def _latest_scores(self, tenant_id: str, wanted: set[str]) -> dict[str, ExportScore]:
        """Newest `scored_at` first, then the last added (the greater row id)."""
        newest: dict[str, tuple[tuple[datetime, int], ScoringResult]] = {}
        for row_id, result in self._results.items():
            if result.tenant_id != tenant_id or result.application_id not in wanted:
                continue
            rank = (result.scored_at, row_id)
            held = newest.get(result.application_id)
            if held is None or rank > held[0]:
                newest[result.application_id] = (rank, result)
        return {app: ExportScore.of(result) for app, (_rank, result) in newest.items()}

    def _latest_decisions(self, tenant_id: str, wanted: set[str]) -> dict[str, ExportDecision]:
        mine = self._decisions.where(
            lambda d: d.tenant_id == tenant_id and d.application_id in wanted
        )
        newest: dict[str, ExportDecision] = {}
        for decision in sorted(mine, key=lambda d: (d.decided_at, d.id)):
            newest[decision.application_id] = ExportDecision.of(decision)
        return newest


class FakeExportWriter:
    """Writes one line per row, cells as CSV text joined by `|`, and remembers each header;
    `fail_with` makes every write raise it (a disk that filled up, say)."""

    def __init__(self, fail_with: Exception | None = None) -> None:
        self.headers: list[tuple[str, ...]] = []
        self._fail_with = fail_with

    def write(
        self, export_format: ExportFormat, header: Sequence[str], rows: Iterable[Sequence[Cell]]
    ) -> bytes:
        if self._fail_with is not None:
            raise self._fail_with
        self.headers.append(tuple(header))
        lines = ["|".join(header), *("|".join(csv_text(cell) for cell in cells) for cells in rows)]
        return ("\n".join(lines) + "\n").encode()

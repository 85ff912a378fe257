"""Exports of a tenant's applications as CSV or XLSX files: what one is and how it moves on.

An export is one row per application, oldest submission first (the columns and what is masked:
`domain.credit.export_rows`). Small exports are written at once; past `SYNC_ROW_LIMIT` rows one
is a background job, polled through its status (pending -> running -> done, or failed) and
downloaded when done. What the requester may see (personal data in the clear, decisions) is
settled when they ask, and kept on the export for the job that writes it later.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from attrs import evolve, frozen

from domain.credit.application import Application
from domain.credit.status import ApplicationStatus
from domain.errors import IllegalTransition, Problem

#: The most rows an export may have and still be written while its requester waits.
SYNC_ROW_LIMIT = 10_000

#: The years a period may name: any moment of them is a moment in UTC too.
FIRST_YEAR, LAST_YEAR = 1900, 9998


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"

    @property
    def media_type(self) -> str:
        if self is ExportFormat.CSV:
            return "text/csv; charset=utf-8"
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExportStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def is_final(self) -> bool:
        return self in (ExportStatus.DONE, ExportStatus.FAILED)


@frozen
class ExportFilter:
    """Which applications: submitted in [created_from, created_to), in one of `statuses`
    (every status when empty)."""

    created_from: datetime | None = None
    created_to: datetime | None = None
    statuses: frozenset[ApplicationStatus] = frozenset()

    def admits(self, application: Application) -> bool:
        submitted = application.submitted_at
        return (
            (not self.statuses or application.status in self.statuses)
            and (self.created_from is None or submitted >= self.created_from)
            and (self.created_to is None or submitted < self.created_to)
        )


def _moment_problems(moment: datetime) -> tuple[str, ...]:
    if moment.utcoffset() is None:
        return ("must carry a time zone",)
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        return (f"must be in the years {FIRST_YEAR} to {LAST_YEAR}",)
    return ()


def filter_problems(export_filter: ExportFilter) -> tuple[Problem, ...]:
    """Every problem with the period at once: each end needs a time zone and a year in range,
    and the end must come after the start."""
    start, end = export_filter.created_from, export_filter.created_to
    found = [
        Problem(f"filter.{name}", problem)
        for name, moment in (("created_from", start), ("created_to", end))
        if moment is not None
        for problem in _moment_problems(moment)
    ]
    if not found and start is not None and end is not None and end <= start:
        found.append(Problem("filter.created_to", "must be later than created_from"))
    return tuple(found)


@frozen
class Export:
    """One export: what was asked for, by whom, and how far it has got.

    `personal_data` and `decisions` are settled when it is asked for, from the requester's
    permissions, so a job that writes it later writes exactly what they were allowed to see.
    `row_count` is the rows counted when asked for, then the rows written once done.
    """

    id: str
    tenant_id: str
    format: ExportFormat
    filter: ExportFilter
    personal_data: bool
    decisions: bool
    status: ExportStatus
    row_count: int
    created_by: str
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    object_key: str | None = None
    size: int | None = None
    error: str | None = None

    @property
    def file_name(self) -> str:
        return f"applications-{self.id}.{self.format.value}"


def new_export(
    *,
    export_id: str,
    tenant_id: str,
    export_format: ExportFormat,
    export_filter: ExportFilter,
    personal_data: bool,
    decisions: bool,
    row_count: int,
    created_by: str,
    now: datetime,
) -> Export:
    return Export(
        id=export_id,
        tenant_id=tenant_id,
        format=export_format,
        filter=export_filter,
        personal_data=personal_data,
        decisions=decisions,
        status=ExportStatus.PENDING,
        row_count=row_count,
        created_by=created_by,
        created_at=now,
    )


def export_object_key(export: Export) -> str:
    """Where an export's file is stored: `<tenant>/exports/<day requested>/<id>.<format>`.

    Writing it again (a job delivered twice) replaces it. The day of the request is in the key
    because the daily clean-up removes files by it, once past CREDITDESK_EXPORT_RETENTION_DAYS
    (`application.credit.clean_up.export_day`): exports hold personal data, and are kept no
    longer than they are useful.
    """
    day = export.created_at.date().isoformat()
    return f"{export.tenant_id}/exports/{day}/{export.id}.{export.format.value}"


def started(export: Export, now: datetime) -> Export:
    """Pending (or running again, after a worker died mid-way) -> running."""
    if export.status.is_final:
        raise IllegalTransition(f"export {export.id} is already {export.status.value}")
    return evolve(export, status=ExportStatus.RUNNING, started_at=now)


def finished(export: Export, now: datetime, *, object_key: str, size: int, rows: int) -> Export:
    if export.status.is_final:
        raise IllegalTransition(f"export {export.id} is already {export.status.value}")
    return evolve(
        export,
        status=ExportStatus.DONE,
        finished_at=now,
        object_key=object_key,
        size=size,
        row_count=rows,
    )


def failed(export: Export, now: datetime, error: str) -> Export:
    if export.status.is_final:
        raise IllegalTransition(f"export {export.id} is already {export.status.value}")
    return evolve(export, status=ExportStatus.FAILED, finished_at=now, error=error)

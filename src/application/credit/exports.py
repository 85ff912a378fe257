"""Export a tenant's applications as a CSV or XLSX file (`domain.credit.exports`).

`RequestExport` counts the rows the filter admits. Up to `SYNC_ROW_LIMIT` the file is written
at once and the export returned done; past it the export is stored pending with a `export.run`
job in the same transaction, and `RunExport` (the job) writes it. Either way the rows are read
a page at a time inside one transaction (one consistent snapshot), handed to the file writer as
they come, and the file is stored in the object store under the export's key.

An export is a privileged act: it needs analytics:view, personal data in the clear needs to be
asked for by someone who may read applications one by one (application:view), and decision
columns are there only for people holding decision:view, as on the application's own page.
Each export writes an audit event naming who asked, with which filter, for how many rows, and
another when its job finishes. Jobs are delivered at least once: a done or failed export is
left as it is, and a running one (its worker died) is written again under the same key.
"""

from __future__ import annotations

from collections.abc import Iterator

from attrs import field, frozen, validators

from application.credit.ports import UnitOfWork
from application.credit.ports.exports import ExportFileWriter, RowsAfter
from application.credit.recording import Journal, Topic
from application.errors import NotFound
from application.ports import Clock, IdGenerator, ObjectNotFound, ObjectStore
from domain.credit.export_rows import Cell, columns, row
from domain.credit.exports import (
    SYNC_ROW_LIMIT,
    Export,
    ExportFilter,
    ExportFormat,
    ExportStatus,
    export_object_key,
    failed,
    filter_problems,
    finished,
    new_export,
    started,
)
from domain.errors import ConflictError, PermissionDenied, ValidationFailed
from domain.identity import Permission, Principal, authorize, can
from domain.pii import JsonValue

#: Applications read per query while an export is written.
PAGE_ROWS = 1_000
_P = Permission


class ExportNotReady(ConflictError):
    """The export's file is not written (yet, or ever: it failed)."""

    def __init__(self, export: Export) -> None:
        super().__init__(f"export {export.id} is {export.status.value}, not done")


class ExportExpired(ConflictError):
    """The export was done, and its file has since been removed by the retention clean-up."""

    def __init__(self, export: Export) -> None:
        super().__init__(
            f"export {export.id}'s file was removed after the retention period; request the "
            "export again"
        )


def export_summary(export: Export) -> dict[str, JsonValue]:
    """What an audit event says about an export: never a row, only what was asked for."""
    found = export.filter
    summary: dict[str, JsonValue] = {
        "format": export.format.value,
        "statuses": [status.value for status in sorted(found.statuses)],
        "personal_data": export.personal_data,
        "decisions": export.decisions,
        "rows": export.row_count,
        "status": export.status.value,
    }
    for name, moment in (("created_from", found.created_from), ("created_to", found.created_to)):
        if moment is not None:
            summary[name] = moment.isoformat()
    return summary


@frozen
class _Writing:
    """What writing an export's file needs, shared by the request and the job."""

    uow: UnitOfWork
    store: ObjectStore
    writer: ExportFileWriter
    page_rows: int

    def produce(self, export: Export) -> tuple[str, int, int]:
        """Write and store the export's file; (object key, size in bytes, rows written)."""
        written = [0]
        with self.uow:
            data = self.writer.write(export.format, columns(export), self._rows(export, written))
        key = export_object_key(export)
        stored = self.store.put(key, data, export.format.media_type)
        return stored.key, stored.size, written[0]

    def _rows(self, export: Export, written: list[int]) -> Iterator[tuple[Cell, ...]]:
        after: RowsAfter | None = None
        while True:
            page = self.uow.exports.rows(
                export.tenant_id,
                export.filter,
                after=after,
                limit=self.page_rows,
                decisions=export.decisions,
            )
            for record in page:
                written[0] += 1
                yield row(export, record)
            if len(page) < self.page_rows:
                return
            last = page[-1].application
            after = RowsAfter(last.submitted_at, last.id)


@frozen
class RequestExport:
    uow: UnitOfWork
    store: ObjectStore
    writer: ExportFileWriter
    clock: Clock
    ids: IdGenerator
    sync_limit: int = field(default=SYNC_ROW_LIMIT, validator=validators.ge(0))
    page_rows: int = field(default=PAGE_ROWS, validator=validators.ge(1))

    def __call__(
        self,
        principal: Principal,
        export_format: ExportFormat,
        export_filter: ExportFilter,
        *,
        personal_data: bool = False,
    ) -> Export:
        """The export, done when it had at most `sync_limit` rows, else pending (a job)."""
        authorize(principal, _P.ANALYTICS_VIEW)
        if personal_data and not can(principal, _P.APPLICATION_VIEW):
            raise PermissionDenied(
                f"user {principal.user_id} may not export personal data in the clear"
            )
        found = filter_problems(export_filter)
        if found:
            raise ValidationFailed(found)
        with self.uow:
            count = self.uow.exports.count_rows(principal.tenant_id, export_filter)
        export = new_export(
            export_id=self.ids.new_id(),
            tenant_id=principal.tenant_id,
            export_format=export_format,
            export_filter=export_filter,
            personal_data=personal_data,
            decisions=can(principal, _P.DECISION_VIEW),
            row_count=count,
            created_by=principal.user_id,
            now=self.clock.now(),
        )
        if count > self.sync_limit:
            return self._queue(principal, export)
        key, size, rows = _Writing(self.uow, self.store, self.writer, self.page_rows).produce(
            export
        )
        done = finished(
            started(export, export.created_at), self.clock.now(), object_key=key, size=size,
            rows=rows,
        )  # fmt: skip
        with self.uow:
            self.uow.exports.add(done)
            Journal.of(self.uow, principal, done.created_at).audit(
                "export.created", "export", done.id, new=export_summary(done)
            )
            self.uow.commit()
        return done

    def _queue(self, principal: Principal, export: Export) -> Export:
        with self.uow:
            self.uow.exports.add(export)
            journal = Journal.of(self.uow, principal, export.created_at)
            journal.audit("export.created", "export", export.id, new=export_summary(export))
            journal.emit(self.ids, Topic.RUN_EXPORT, {"export_id": export.id})
            self.uow.commit()
        return export


@frozen
class RunExport:
    """The job of an export too large to write while its requester waited."""

    uow: UnitOfWork
    store: ObjectStore
    writer: ExportFileWriter
    clock: Clock
    page_rows: int = field(default=PAGE_ROWS, validator=validators.ge(1))

    def __call__(self, principal: Principal, export_id: str) -> Export:
        """The export, done or failed; one already final is returned as it is."""
        authorize(principal, _P.ANALYTICS_VIEW)
        with self.uow:
            export = self.uow.exports.get(principal.tenant_id, export_id)
            if export is None:
                raise NotFound("export", export_id)
            if export.status.is_final:
                return export
            export = started(export, self.clock.now())
            self.uow.exports.update(export)
            self.uow.commit()
        try:
            key, size, rows = _Writing(self.uow, self.store, self.writer, self.page_rows).produce(
                export
            )
        except Exception as error:  # recorded on the export, for its requester
            ended = failed(
                export, self.clock.now(), f"the file could not be written ({type(error).__name__})"
            )
        else:
            ended = finished(export, self.clock.now(), object_key=key, size=size, rows=rows)
        with self.uow:
            current = self.uow.exports.get(export.tenant_id, export.id)
            if current is not None and current.status.is_final:
                return current  # another delivery of the job finished it meanwhile
            self.uow.exports.update(ended)
            Journal.of(self.uow, principal, self.clock.now()).audit(
                f"export.{ended.status.value}", "export", ended.id,
                old=export_summary(export), new=export_summary(ended),
            )  # fmt: skip
            self.uow.commit()
        return ended


@frozen
class GetExport:
    uow: UnitOfWork

    def __call__(self, principal: Principal, export_id: str) -> Export:
        authorize(principal, _P.ANALYTICS_VIEW)
        with self.uow:
            export = self.uow.exports.get(principal.tenant_id, export_id)
        if export is None:
            raise NotFound("export", export_id)
        return export


@frozen
class ExportFile:
    export: Export
    data: bytes


def download_problem(principal: Principal, export: Export) -> str | None:
    """Why `principal` may not have this export's file, if they may not: a file holds what its
    requester could see, so whoever downloads it needs the same permissions for what it holds
    (personal data in the clear, decisions), not merely analytics:view."""
    if export.personal_data and not can(principal, _P.APPLICATION_VIEW):
        return f"user {principal.user_id} may not download personal data in the clear"
    if export.decisions and not can(principal, _P.DECISION_VIEW):
        return f"user {principal.user_id} lacks permission {_P.DECISION_VIEW.value}"
    return None


@frozen
class DownloadExport:
    """The done export's file, for someone who may see what it holds; each download is audited
    (`export.downloaded`: who, when, the export and how much), since the file leaves the
    system with it."""

    uow: UnitOfWork
    store: ObjectStore
    clock: Clock

    def __call__(self, principal: Principal, export_id: str) -> ExportFile:
        """The file; `PermissionDenied` for what they may not see, `ExportNotReady` before it
        is done, `ExportExpired` once the retention clean-up has removed it."""
        export = GetExport(self.uow)(principal, export_id)
        refused = download_problem(principal, export)
        if refused is not None:
            raise PermissionDenied(refused)
        if export.status is not ExportStatus.DONE or export.object_key is None:
            raise ExportNotReady(export)
        try:
            data = self.store.get(export.object_key)
        except ObjectNotFound:
            raise ExportExpired(export) from None
        with self.uow:
            Journal.of(self.uow, principal, self.clock.now()).audit(
                "export.downloaded", "export", export.id,
                new={**export_summary(export), "bytes": len(data)},
            )  # fmt: skip
            self.uow.commit()
        return ExportFile(export, data)

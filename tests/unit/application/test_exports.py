"""Exports over the fakes: written at once up to 10,000 rows, a job past that; who may export
what; every export audited; another tenant's export not found."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import pytest
from attrs import evolve

from application.credit.clean_up import ExportCleaner
from application.credit.exports import (
    DownloadExport,
    ExportExpired,
    ExportNotReady,
    GetExport,
    RequestExport,
    RunExport,
)
from application.credit.recording import Topic
from application.errors import NotFound
from domain.credit.application import Application
from domain.credit.exports import SYNC_ROW_LIMIT, ExportFilter, ExportFormat, ExportStatus
from domain.credit.status import ApplicationStatus
from domain.errors import PermissionDenied, ValidationFailed
from domain.identity import Permission, Principal, Role
from tests.builders import NOW, OTHER_TENANT, TENANT, a_principal, an_application_form
from tests.contracts.parents import with_tenants
from tests.export_fakes import FakeExportWriter
from tests.fakes import (
    FixedClock,
    InMemoryDatabase,
    InMemoryObjectStore,
    InMemoryUnitOfWork,
    SequentialIds,
)

ANALYST = a_principal(Role.ANALYST)
WORKER = Principal("system:worker", TENANT, Role.READONLY, frozenset({Permission.ANALYTICS_VIEW}))
EVERYTHING = ExportFilter()


class Exports:
    """The export use cases over one fake database, store and writer."""

    def __init__(self, writer: FakeExportWriter | None = None) -> None:
        self.db = InMemoryDatabase()
        self.store = InMemoryObjectStore()
        self.writer = writer or FakeExportWriter()
        self.clock = FixedClock()
        self.ids = SequentialIds("export-")

    def uow(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self.db)

    def request(self, page_rows: int = 1_000) -> RequestExport:
        return RequestExport(
            self.uow(), self.store, self.writer, self.clock, self.ids, page_rows=page_rows
        )

    def run(self, page_rows: int = 1_000) -> RunExport:
        return RunExport(self.uow(), self.store, self.writer, self.clock, page_rows=page_rows)

    def store_applications(self, count: int, tenant_id: str = TENANT) -> None:
        form = an_application_form()
        applications = [
            Application(
                id=f"{tenant_id}-{number:06d}", tenant_id=tenant_id,
                form=evolve(form, external_id=f"LND-{tenant_id}-{number}"),
                status=ApplicationStatus.REVIEW if number % 2 else ApplicationStatus.APPROVED,
                submitted_at=NOW + timedelta(seconds=number // 3),
            )
            for number in range(count)
        ]  # fmt: skip
        with self.uow() as uow:
            uow.applications.add_many(applications)
            uow.commit()

    def lines(self, export_id: str, principal: Principal = ANALYST) -> list[str]:
        found = DownloadExport(self.uow(), self.store, self.clock)(principal, export_id)
        return found.data.decode().splitlines()

    def actions(self) -> list[str]:
        with self.uow() as uow:
            return [event.action for event in uow.audit.events(TENANT)]

    def jobs(self) -> list[Mapping[str, str | int]]:
        with self.uow() as uow:
            return [m.payload for m in uow.outbox.pending(100, topics={Topic.RUN_EXPORT})]


@pytest.fixture
def exports() -> Exports:
    return Exports()


def test_exactly_10000_rows_are_written_at_once(exports: Exports) -> None:
    exports.store_applications(SYNC_ROW_LIMIT)
    export = exports.request()(ANALYST, ExportFormat.CSV, EVERYTHING)
    assert (export.status, export.row_count) == (ExportStatus.DONE, SYNC_ROW_LIMIT)
    lines = exports.lines(export.id)
    assert len(lines) == SYNC_ROW_LIMIT + 1
    assert lines[1].startswith(f"{TENANT}-000000|")
    assert exports.jobs() == []
    assert exports.actions() == ["export.created", "export.downloaded"]


def test_10001_rows_are_a_job_that_writes_every_row_once(exports: Exports) -> None:
    exports.store_applications(SYNC_ROW_LIMIT + 1)
    pending = exports.request()(ANALYST, ExportFormat.XLSX, EVERYTHING)
    assert (pending.status, pending.row_count) == (ExportStatus.PENDING, SYNC_ROW_LIMIT + 1)
    assert exports.jobs() == [{"export_id": pending.id}]
    with pytest.raises(ExportNotReady):
        DownloadExport(exports.uow(), exports.store, exports.clock)(ANALYST, pending.id)
    done = exports.run(page_rows=999)(WORKER, pending.id)
    assert (done.status, done.row_count, done.finished_at) == (ExportStatus.DONE, 10_001, NOW)
    ids = [line.split("|", 1)[0] for line in exports.lines(pending.id)[1:]]
    assert ids == [f"{TENANT}-{n:06d}" for n in range(SYNC_ROW_LIMIT + 1)]
    assert exports.run()(WORKER, pending.id) == done  # delivered again: nothing changes
    assert GetExport(exports.uow())(ANALYST, pending.id) == done
    # Refused while pending, so downloaded once.
    assert exports.actions() == ["export.created", "export.done", "export.downloaded"]


def test_the_filter_and_paging_write_each_admitted_row_once_in_order(exports: Exports) -> None:
    exports.store_applications(50)
    exports.store_applications(5, OTHER_TENANT)
    only = ExportFilter(
        created_from=NOW + timedelta(seconds=3), created_to=NOW + timedelta(seconds=12),
        statuses=frozenset({ApplicationStatus.REVIEW}),
    )  # fmt: skip
    export = exports.request(page_rows=4)(ANALYST, ExportFormat.CSV, only)
    ids = [line.split("|", 1)[0] for line in exports.lines(export.id)[1:]]
    assert ids == [f"{TENANT}-{n:06d}" for n in range(9, 36) if n % 2]
    assert export.row_count == len(ids)


def test_a_job_whose_file_cannot_be_written_fails_and_says_so() -> None:
    exports = Exports(FakeExportWriter(fail_with=OSError("No space left on device")))
    exports.store_applications(3)
    pending = RequestExport(
        exports.uow(), exports.store, exports.writer, exports.clock, exports.ids, sync_limit=2
    )(ANALYST, ExportFormat.CSV, EVERYTHING)
    ended = exports.run()(WORKER, pending.id)
    assert ended.status is ExportStatus.FAILED
    assert ended.error == "the file could not be written (OSError)"
    assert exports.actions() == ["export.created", "export.failed"]
    assert exports.store.keys("") == []


def test_personal_data_is_masked_unless_asked_for_and_decisions_need_decision_view(
    exports: Exports,
) -> None:
    exports.store_applications(1)
    masked = exports.request()(ANALYST, ExportFormat.CSV, EVERYTHING)
    clear = exports.request()(ANALYST, ExportFormat.CSV, EVERYTHING, personal_data=True)
    assert "Ma*****ć" in exports.lines(masked.id)[1]
    assert "Marković" in exports.lines(clear.id)[1]
    no_decisions = Principal(
        "u-2", TENANT, Role.ANALYST, denials=frozenset({Permission.DECISION_VIEW})
    )
    narrow = exports.request()(no_decisions, ExportFormat.CSV, EVERYTHING)
    assert (masked.decisions, narrow.decisions) == (True, False)
    assert "decision_type" in exports.writer.headers[0]
    assert "decision_type" not in exports.writer.headers[-1]
    with exports.uow() as uow:
        created = [e for e in uow.audit.events(TENANT) if e.action == "export.created"]
    assert [e.new["personal_data"] for e in created if e.new] == [False, True, False]
    assert all(e.new and e.new["rows"] == 1 for e in created)


@pytest.mark.parametrize(
    "principal",
    [
        a_principal(Role.READONLY),
        a_principal(Role.API_CONSUMER),
        Principal("u-3", TENANT, Role.ANALYST, denials=frozenset({Permission.APPLICATION_VIEW})),
    ],
)
def test_who_lacks_a_permission_is_refused_and_nothing_is_written(
    exports: Exports, principal: Principal
) -> None:
    exports.store_applications(2)
    with pytest.raises(PermissionDenied):
        exports.request()(principal, ExportFormat.CSV, EVERYTHING, personal_data=True)
    assert exports.actions() == []
    assert exports.store.keys("") == []


@pytest.mark.parametrize(
    ("personal_data", "denied"),
    [(True, Permission.APPLICATION_VIEW), (False, Permission.DECISION_VIEW)],
    ids=["clear personal data without application:view", "decisions without decision:view"],
)
def test_a_file_is_downloaded_only_by_someone_who_may_see_what_it_holds(
    exports: Exports, personal_data: bool, denied: Permission
) -> None:
    exports.store_applications(2)
    export = exports.request()(ANALYST, ExportFormat.CSV, EVERYTHING, personal_data=personal_data)
    colleague = Principal("u-4", TENANT, Role.ANALYST, denials=frozenset({denied}))

    with pytest.raises(PermissionDenied, match="u-4"):
        exports.lines(export.id, colleague)

    assert exports.actions() == ["export.created"]  # no download was recorded
    assert len(exports.lines(export.id)) == 3  # the requester still has it


def test_each_download_is_audited_with_who_and_how_much_never_a_row(exports: Exports) -> None:
    exports.store_applications(2)
    export = exports.request()(ANALYST, ExportFormat.CSV, EVERYTHING, personal_data=True)
    senior = a_principal(Role.SENIOR_ANALYST)

    first = exports.lines(export.id)
    exports.lines(export.id, senior)

    with exports.uow() as uow:
        downloads = [e for e in uow.audit.events(TENANT) if e.action == "export.downloaded"]
    assert [(e.actor, e.entity_id) for e in downloads] == [
        (ANALYST.user_id, export.id),
        (senior.user_id, export.id),
    ]
    recorded = downloads[0].new or {}
    assert (recorded["rows"], recorded["personal_data"]) == (2, True)
    assert recorded["bytes"] == len(("\n".join(first) + "\n").encode())
    assert "Marković" not in repr([e.new for e in downloads])


def test_a_naive_or_backwards_period_is_refused(exports: Exports) -> None:
    backwards = ExportFilter(created_from=NOW, created_to=NOW - timedelta(days=1))
    with pytest.raises(ValidationFailed):
        exports.request()(ANALYST, ExportFormat.CSV, backwards)


def test_another_tenants_export_is_not_found(exports: Exports) -> None:
    exports.store_applications(1)
    export = exports.request()(ANALYST, ExportFormat.CSV, EVERYTHING)
    theirs = a_principal(Role.ADMIN, tenant_id=OTHER_TENANT)
    for call in (
        GetExport(exports.uow()),
        DownloadExport(exports.uow(), exports.store, exports.clock),
    ):
        with pytest.raises(NotFound):
            call(theirs, export.id)
    with pytest.raises(NotFound):
        exports.run()(WORKER, "no-such-export")


def test_a_second_delivery_finishing_first_is_kept_and_audited_once(exports: Exports) -> None:
    """Two deliveries of one job: the one that finishes second changes nothing."""
    exports.store_applications(3)
    pending = RequestExport(
        exports.uow(), exports.store, exports.writer, exports.clock, exports.ids, sync_limit=2
    )(ANALYST, ExportFormat.CSV, EVERYTHING)

    class FinishingMeanwhile(FakeExportWriter):
        def write(self, *args: Any, **kwargs: Any) -> bytes:
            if not self.headers:  # the other delivery runs to the end while this one writes
                self.headers.append(())
                exports.run()(WORKER, pending.id)
            return super().write(*args, **kwargs)

    slow = RunExport(exports.uow(), exports.store, FinishingMeanwhile(), exports.clock)
    first = GetExport(exports.uow())(ANALYST, pending.id)
    assert slow(WORKER, pending.id) == GetExport(exports.uow())(ANALYST, pending.id)
    assert first.status is ExportStatus.PENDING
    assert exports.actions() == ["export.created", "export.done"]


def test_the_retention_clean_up_removes_an_old_file_and_its_download_says_so(
    exports: Exports,
) -> None:
    with exports.uow() as uow:
        with_tenants(uow, TENANT)
        uow.commit()
    exports.store_applications(3)
    export = exports.request()(ANALYST, ExportFormat.CSV, EVERYTHING)
    assert export.object_key == f"{TENANT}/exports/{NOW.date().isoformat()}/{export.id}.csv"
    keep = timedelta(days=7)
    cleaner = ExportCleaner(exports.uow(), exports.store, keep)

    assert cleaner(NOW + keep) == 0  # the last day kept
    assert len(exports.lines(export.id)) == 4
    assert cleaner(NOW + keep + timedelta(days=1)) == 1
    with pytest.raises(ExportExpired, match="request the export again"):
        exports.lines(export.id)

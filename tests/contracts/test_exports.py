"""The contract of `ExportRepository`: exports stored and moved on, and the rows an export is
made of, paged by keyset with each application's latest score and decision. Every
implementation passes it, the fake and the SQL adapter on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from attrs import evolve

from application.credit.ports import UnitOfWork
from application.credit.ports.exports import RowsAfter
from application.ports import AlreadyExists, RecordNotFound
from domain.credit.decisions import DecisionStatus, DecisionType
from domain.credit.export_rows import ExportDecision, ExportRecord, ExportScore
from domain.credit.exports import Export, ExportFilter, ExportFormat, finished, new_export, started
from domain.credit.status import ApplicationStatus
from tests.builders import (
    NOW,
    OTHER_TENANT,
    TENANT,
    a_decision,
    a_model_score,
    a_scoring_result,
    an_application,
)
from tests.contracts.parents import with_tenants

EVERYTHING = ExportFilter()


def an_export(export_id: str = "export-1", tenant_id: str = TENANT, **changes: Any) -> Export:
    export = new_export(
        export_id=export_id,
        tenant_id=tenant_id,
        export_format=ExportFormat.XLSX,
        export_filter=ExportFilter(
            created_from=NOW - timedelta(days=30),
            created_to=NOW,
            statuses=frozenset({ApplicationStatus.APPROVED, ApplicationStatus.DECLINED}),
        ),
        personal_data=False,
        decisions=True,
        row_count=12_345,
        created_by="user-analyst",
        now=NOW,
    )
    return evolve(export, **changes)


def test_an_export_comes_back_exactly_and_moves_on(uow: UnitOfWork) -> None:
    export = an_export()
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        uow.exports.add(export)
        uow.commit()
    running = started(export, NOW + timedelta(seconds=1))
    done = finished(
        running, NOW + timedelta(seconds=9), object_key="tenant-a/exports/export-1.xlsx",
        size=81_920, rows=12_340,
    )  # fmt: skip
    with uow:
        assert uow.exports.get(TENANT, export.id) == export
        uow.exports.update(running)
        uow.commit()
    with uow:
        assert uow.exports.get(TENANT, export.id) == running
        uow.exports.update(done)
        uow.commit()
    with uow:
        assert uow.exports.get(TENANT, export.id) == done
        assert uow.exports.get(OTHER_TENANT, export.id) is None


def test_an_export_id_names_one_export_per_tenant(uow: UnitOfWork) -> None:
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        uow.exports.add(an_export("x"))
        uow.exports.add(an_export("x", OTHER_TENANT))
        uow.commit()
    with uow, pytest.raises(AlreadyExists):
        uow.exports.add(an_export("x"))
    with uow, pytest.raises(RecordNotFound):
        uow.exports.update(an_export("missing"))


def _store_applications(uow: UnitOfWork) -> None:
    """Five applications of the tenant a minute apart (two at the same moment), one of the
    other tenant; app-2 scored twice, app-3 decided twice."""
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        moments = [NOW, NOW + timedelta(minutes=1), NOW + timedelta(minutes=1),
                   NOW + timedelta(minutes=2), NOW + timedelta(minutes=3)]  # fmt: skip
        statuses = [ApplicationStatus.PENDING, ApplicationStatus.REVIEW,
                    ApplicationStatus.APPROVED, ApplicationStatus.DECLINED,
                    ApplicationStatus.APPROVED]  # fmt: skip
        for number, (moment, status) in enumerate(zip(moments, statuses, strict=True), 1):
            uow.applications.add(
                an_application(id=f"app-{number}", submitted_at=moment, status=status)
            )
        uow.applications.add(an_application(id="app-9", tenant_id=OTHER_TENANT))
        for minutes, pd in ((5, 0.2), (6, 0.04)):
            uow.scoring_results.add(
                a_scoring_result(
                    application_id="app-2",
                    scored_at=NOW + timedelta(minutes=minutes),
                    model=a_model_score(probability_of_default=pd),
                )
            )
        uow.decisions.add(
            a_decision(id="d-1", application_id="app-3", status=DecisionStatus.REVERTED,
                       decision_type=DecisionType.ANALYST_DECLINE)
        )  # fmt: skip
        uow.decisions.add(
            a_decision(id="d-2", application_id="app-3", decided_at=NOW + timedelta(hours=1))
        )
        uow.commit()


def test_rows_come_oldest_first_a_page_at_a_time_with_the_latest_score_and_decision(
    uow: UnitOfWork,
) -> None:
    _store_applications(uow)
    with uow:
        assert uow.exports.count_rows(TENANT, EVERYTHING) == 5
        first = uow.exports.rows(TENANT, EVERYTHING, after=None, limit=2, decisions=True)
        last = first[-1].application
        rest = uow.exports.rows(
            TENANT, EVERYTHING, after=RowsAfter(last.submitted_at, last.id), limit=10,
            decisions=True,
        )  # fmt: skip
        without = uow.exports.rows(TENANT, EVERYTHING, after=None, limit=10, decisions=False)
    assert [r.application.id for r in first + rest] == [f"app-{n}" for n in range(1, 6)]
    by_id: dict[str, ExportRecord] = {r.application.id: r for r in first + rest}
    newest = a_scoring_result(
        application_id="app-2", scored_at=NOW + timedelta(minutes=6),
        model=a_model_score(probability_of_default=0.04),
    )  # fmt: skip
    assert by_id["app-2"].score == ExportScore.of(newest)
    assert by_id["app-1"].score is None
    assert by_id["app-3"].decision == ExportDecision.of(
        a_decision(id="d-2", application_id="app-3", decided_at=NOW + timedelta(hours=1))
    )
    assert by_id["app-2"].decision is None
    assert all(r.decision is None for r in without)


def test_the_filter_admits_by_status_and_period_within_the_tenant(uow: UnitOfWork) -> None:
    _store_applications(uow)
    approved = ExportFilter(statuses=frozenset({ApplicationStatus.APPROVED}))
    period = ExportFilter(
        created_from=NOW + timedelta(minutes=1), created_to=NOW + timedelta(minutes=3)
    )
    with uow:
        counts = [uow.exports.count_rows(TENANT, f) for f in (approved, period)]
        found = [
            [
                r.application.id
                for r in uow.exports.rows(TENANT, f, after=None, limit=10, decisions=False)
            ]
            for f in (approved, period)
        ]
        theirs = uow.exports.rows(OTHER_TENANT, EVERYTHING, after=None, limit=10, decisions=True)
    assert counts == [2, 3]
    assert found == [["app-3", "app-5"], ["app-2", "app-3", "app-4"]]
    assert [r.application.id for r in theirs] == ["app-9"]

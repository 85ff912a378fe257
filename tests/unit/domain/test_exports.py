"""Exports: the columns, the masking of personal data, the formula guard and the lifecycle."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.export_rows import (
    DECISION_COLUMNS,
    FORMULA_STARTS,
    PERSONAL_COLUMNS,
    ExportDecision,
    ExportRecord,
    ExportScore,
    columns,
    csv_text,
    guarded,
    row,
    sheet_value,
)
from domain.credit.exports import (
    Export,
    ExportFilter,
    ExportFormat,
    ExportStatus,
    failed,
    filter_problems,
    finished,
    new_export,
    started,
)
from domain.credit.status import ApplicationStatus
from domain.errors import IllegalTransition, Problem
from tests.builders import (
    NOW,
    TENANT,
    a_decision,
    a_scoring_result,
    an_application,
    an_application_form,
)


def an_export(**changes: Any) -> Export:
    export = new_export(
        export_id="x-1", tenant_id=TENANT, export_format=ExportFormat.CSV,
        export_filter=ExportFilter(), personal_data=False, decisions=True, row_count=3,
        created_by="user-analyst", now=NOW,
    )  # fmt: skip
    return evolve(export, **changes)


def a_record(first_name: str = "Ana") -> ExportRecord:
    application = an_application(form=an_application_form(first_name=first_name))
    return ExportRecord(
        application,
        ExportScore.of(a_scoring_result()),
        ExportDecision.of(a_decision()),
    )


def cells_of(export: Export, record: ExportRecord) -> dict[str, object]:
    return dict(zip(columns(export), row(export, record), strict=True))


def test_personal_data_is_masked_unless_the_export_carries_it() -> None:
    masked = cells_of(an_export(), a_record())
    clear = cells_of(an_export(personal_data=True), a_record())
    assert [masked[name] for name in PERSONAL_COLUMNS] == [
        "A**", "Ma*****ć", "1988-**-**", "***@example.com", "'+381*******67", "1704*********",
    ]  # fmt: skip
    assert [clear[name] for name in PERSONAL_COLUMNS] == [
        "Ana", "Marković", "1988-04-17", "ana.markovic@example.com", "'+381641234567",
        "1704988715123",
    ]  # fmt: skip
    assert {k: v for k, v in masked.items() if k not in PERSONAL_COLUMNS} == {
        k: v for k, v in clear.items() if k not in PERSONAL_COLUMNS
    }


def test_decision_columns_are_there_only_for_an_export_with_decisions() -> None:
    record = a_record()
    with_decisions = cells_of(an_export(), record)
    without = cells_of(an_export(decisions=False), record)
    assert set(with_decisions) - set(without) == set(DECISION_COLUMNS)
    assert with_decisions["decision_type"] == "analyst_approve"
    assert with_decisions["approved_amount"] == Decimal(12_000)
    assert with_decisions["amount"] == Decimal(12_000)
    assert with_decisions["submitted_at"] == NOW


def test_an_unscored_undecided_application_has_empty_score_and_decision_cells() -> None:
    cells = cells_of(an_export(), ExportRecord(an_application()))
    assert cells["score"] is None
    assert cells["decided_at"] is None
    assert cells["application_id"] == "app-1"


@given(st.text())
def test_a_guarded_text_never_starts_a_formula_and_keeps_its_content(text: str) -> None:
    safe = guarded(text)
    assert not safe.startswith(FORMULA_STARTS)
    assert safe in (text, "'" + text)
    assert (safe != text) == text.startswith(FORMULA_STARTS)


@given(st.text(min_size=1), st.booleans())
def test_no_text_cell_of_a_row_starts_a_formula(first_name: str, personal_data: bool) -> None:
    export = an_export(personal_data=personal_data)
    texts = [c for c in row(export, a_record(first_name)) if isinstance(c, str)]
    assert texts
    assert not any(text.startswith(FORMULA_STARTS) for text in texts)


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\t=1"])
def test_the_owasp_examples_are_prefixed(text: str) -> None:
    assert guarded(text) == "'" + text


def test_cells_are_spelled_for_csv_and_for_a_sheet() -> None:
    belgrade = timezone(timedelta(hours=1))
    moment = datetime(2026, 11, 22, 10, 30, tzinfo=belgrade)
    assert csv_text(moment) == "2026-11-22T09:30:00+00:00"
    assert csv_text(None) == ""
    assert csv_text(Decimal("12000.50")) == "12000.50"
    assert sheet_value(moment) == datetime(2026, 11, 22, 9, 30, tzinfo=UTC).replace(tzinfo=None)
    assert sheet_value(0.25) == 0.25


def test_an_export_moves_pending_running_done_and_no_further() -> None:
    export = an_export()
    assert export.status is ExportStatus.PENDING
    running = started(export, NOW)
    assert started(running, NOW).status is ExportStatus.RUNNING  # a worker died: again
    done = finished(running, NOW, object_key="k", size=10, rows=2)
    assert (done.status, done.row_count, done.object_key) == (ExportStatus.DONE, 2, "k")
    with pytest.raises(IllegalTransition):
        started(done, NOW)
    with pytest.raises(IllegalTransition):
        failed(done, NOW, "boom")
    gone = failed(running, NOW, "disk full")
    with pytest.raises(IllegalTransition):
        finished(gone, NOW, object_key="k", size=1, rows=1)
    assert export.file_name == "applications-x-1.csv"


def test_the_period_needs_time_zones_and_an_end_after_its_start() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None)
    naive = ExportFilter(created_from=start, created_to=start + timedelta(days=31))
    backwards = ExportFilter(created_from=NOW, created_to=NOW)
    assert [p.path for p in filter_problems(naive)] == ["filter.created_from", "filter.created_to"]
    assert filter_problems(backwards) == (
        Problem("filter.created_to", "must be later than created_from"),
    )
    assert filter_problems(ExportFilter(created_from=NOW)) == ()
    ancient = ExportFilter(created_from=datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))))
    assert filter_problems(ancient) == (
        Problem("filter.created_from", "must be in the years 1900 to 9998"),
    )


def test_the_filter_admits_by_status_and_half_open_period() -> None:
    window = ExportFilter(
        created_from=NOW, created_to=NOW + timedelta(days=1),
        statuses=frozenset({ApplicationStatus.PENDING}),
    )  # fmt: skip
    assert window.admits(an_application(submitted_at=NOW))
    assert not window.admits(an_application(submitted_at=NOW + timedelta(days=1)))
    assert not window.admits(an_application(status=ApplicationStatus.REVIEW))
    assert ExportFilter().admits(an_application(submitted_at=datetime(2020, 1, 1, tzinfo=UTC)))

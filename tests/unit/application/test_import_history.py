"""Importing loan history: counts, idempotency, permission, progress and whole batches."""

from __future__ import annotations

from typing import Any

import pytest
from attrs import evolve

from application.credit.import_history import (
    AUDIT_ACTION,
    AUDIT_ENTITY,
    ImportHistory,
    ImportReport,
)
from application.ports import AlreadyExists
from domain.audit import AuditEvent
from domain.audit_verification import verify_chain
from domain.credit.application import ApplicationForm
from domain.credit.history import LoanOutcome
from domain.credit.status import ApplicationStatus
from domain.errors import PermissionDenied, ValidationFailed
from domain.identity import Role
from tests.builders import NOW, TENANT, a_principal, an_application, an_application_form
from tests.fakes import FixedClock, InMemoryDatabase, InMemoryUnitOfWork, SequentialIds

ADMIN = a_principal(Role.ADMIN, user_id="user-adm")
SOURCE = "credit_data"

Rows = list[tuple[ApplicationForm, bool]]


def history(count: int, *, prefix: str = "H") -> Rows:
    """`count` valid forms; every third loan defaulted."""
    return [
        (an_application_form(external_id=f"{prefix}-{n}"), n % 3 == 0) for n in range(1, count + 1)
    ]


class Desk:
    """The import use case over one in-memory database, and ways to look at what it holds."""

    def __init__(self, *, batch_size: int = 500, ids: str = "hist-") -> None:
        self.database = InMemoryDatabase()
        self.uow = InMemoryUnitOfWork(self.database)
        self.importer = ImportHistory(
            self.uow, FixedClock(NOW), SequentialIds(ids), batch_size=batch_size
        )

    def run(self, rows: Rows, source: str = SOURCE, **kwargs: Any) -> ImportReport:
        return self.importer(ADMIN, source, rows, **kwargs)

    def again(self, *, ids: str) -> ImportHistory:
        """The same importer with another id generator, as a second process would have."""
        return evolve(self.importer, ids=SequentialIds(ids))

    def labelled(self, source: str | None = None) -> list[tuple[str, LoanOutcome]]:
        with self.uow:
            pairs = self.uow.outcomes.labelled(TENANT, source)
        return [(application.form.external_id, outcome) for application, outcome in pairs]

    def events(self) -> list[AuditEvent]:
        with self.uow:
            return self.uow.audit.events(TENANT)

    def stored(self) -> tuple[dict[Any, Any], ...]:
        tables = (self.database.applications, self.database.outcomes, self.database.audit)
        return tuple(dict(table.rows) for table in tables)


def test_each_row_becomes_an_approved_application_with_its_outcome() -> None:
    desk = Desk()
    rows = history(4)

    report = desk.run(rows)

    assert report == ImportReport(SOURCE, 4, 4, 0, ())
    with desk.uow:
        for form, defaulted in rows:
            application = desk.uow.applications.get_by_external_id(TENANT, form.external_id)
            assert application is not None
            assert application.form == form
            assert application.status is ApplicationStatus.APPROVED
            assert application.submitted_at == NOW
            outcome = desk.uow.outcomes.get(TENANT, application.id)
            assert outcome == LoanOutcome(TENANT, application.id, defaulted, NOW, SOURCE)
    assert [(external_id, o.defaulted) for external_id, o in desk.labelled(SOURCE)] == [
        (form.external_id, defaulted) for form, defaulted in rows
    ]


def test_an_invalid_form_is_rejected_with_every_reason_and_the_rest_imported() -> None:
    desk = Desk()
    broken = an_application_form(external_id="H-broken", term_months=1, first_name=" ")
    rows = [*history(2), (broken, True), *history(1, prefix="J")]

    report = desk.run(rows)

    assert (report.total, report.imported, report.already_present) == (4, 3, 0)
    [rejected] = report.rejected
    assert (rejected.position, rejected.external_id) == (3, "H-broken")
    assert {p.path for p in rejected.problems} == {
        "applicant.personal.first_name",
        "loan.term_months",
    }
    assert "H-broken" not in {external_id for external_id, _o in desk.labelled()}


def test_importing_again_stores_nothing_new_and_counts_what_was_there() -> None:
    desk = Desk()
    broken = an_application_form(external_id="H-broken", term_months=1)
    rows = [*history(5), (broken, False)]
    desk.run(rows)
    before = desk.stored()

    report = desk.again(ids="again-")(ADMIN, SOURCE, rows)

    assert (report.total, report.imported, report.already_present) == (6, 0, 5)
    assert [r.external_id for r in report.rejected] == ["H-broken"]
    assert desk.stored() == before


def test_the_same_row_twice_in_one_input_is_imported_once() -> None:
    desk = Desk()
    rows = [*history(2), history(1)[0]]

    report = desk.run(rows)

    assert (report.imported, report.already_present, report.rejected) == (2, 1, ())
    assert len(desk.labelled()) == 2


@pytest.mark.parametrize(
    ("changed", "reason"),
    [
        ({"form": an_application_form(external_id="H-1", term_months=60)}, "different form"),
        ({"defaulted": True}, "opposite outcome (repaid)"),
        ({"source": "servicing"}, "already imported from source 'credit_data'"),
    ],
)
def test_an_external_id_that_names_something_else_is_rejected(
    changed: dict[str, Any], reason: str
) -> None:
    desk = Desk()
    form, defaulted = history(1)[0]  # H-1, repaid
    desk.run([(form, defaulted)])
    before = desk.stored()
    row = (changed.get("form", form), changed.get("defaulted", defaulted))

    report = desk.run([row], source=changed.get("source", SOURCE))

    [rejected] = report.rejected
    assert rejected.external_id == "H-1"
    assert [p.path for p in rejected.problems] == ["external_id"]
    assert reason in rejected.problems[0].message
    assert report.imported == report.already_present == 0
    assert desk.stored() == before


def test_a_live_application_under_the_external_id_is_not_relabelled() -> None:
    desk = Desk()
    form, defaulted = history(1)[0]
    with desk.uow:
        desk.uow.applications.add(an_application(id="live-1", form=form))
        desk.uow.commit()

    report = desk.run([(form, defaulted)])

    [rejected] = report.rejected
    assert "live-1, which has no known outcome" in rejected.problems[0].message
    assert desk.labelled() == []


def test_importing_needs_config_manage_and_a_source_name() -> None:
    desk = Desk()
    for role in (Role.ANALYST, Role.SENIOR_ANALYST, Role.API_CONSUMER, Role.READONLY):
        with pytest.raises(PermissionDenied):
            desk.importer(a_principal(role), SOURCE, history(2))
    for source in ("", "Credit Data", "x" * 65, "../etc"):
        with pytest.raises(ValidationFailed) as raised:
            desk.run(history(2), source=source)
        assert [p.path for p in raised.value.problems] == ["source"]
    assert desk.stored() == ({}, {}, {})
    assert desk.uow.committed == []


def test_progress_is_reported_before_the_first_batch_and_after_each() -> None:
    desk = Desk(batch_size=2)
    calls: list[tuple[int, int]] = []

    desk.run(history(5), progress=lambda done, total: calls.append((done, total)))

    assert calls == [(0, 5), (2, 5), (4, 5), (5, 5)]


def test_an_empty_history_reports_zero_and_writes_nothing() -> None:
    desk = Desk()
    calls: list[tuple[int, int]] = []

    report = desk.run([], progress=lambda done, total: calls.append((done, total)))

    assert report == ImportReport(SOURCE, 0, 0, 0, ())
    assert calls == [(0, 0)]
    assert desk.uow.committed == []


def test_each_batch_commits_once_with_one_audit_event_summarising_it() -> None:
    desk = Desk(batch_size=2)
    rows = [*history(3), (an_application_form(external_id="H-bad", term_months=1), True)]
    rows += history(1, prefix="J")

    desk.run(rows)

    assert desk.uow.committed == [True, True, True]
    events = desk.events()
    assert verify_chain(events).ok
    assert [(e.action, e.entity_type, e.entity_id, e.actor) for e in events] == [
        (AUDIT_ACTION, AUDIT_ENTITY, SOURCE, ADMIN.user_id)
    ] * 3
    summaries: list[Any] = [e.new for e in events]
    assert summaries == [
        _summary(1, 2, imported=2),
        _summary(3, 4, imported=1, rejected=1),
        _summary(5, 5, imported=1),
    ]


def test_a_batch_that_imports_nothing_writes_no_event() -> None:
    desk = Desk(batch_size=2)
    rows = history(4)
    desk.run(rows[:2])

    desk.again(ids="again-")(ADMIN, SOURCE, rows)

    assert [e.new for e in desk.events()] == [
        _summary(1, 2, imported=2),
        _summary(3, 4, imported=2),
    ]


def test_a_failing_batch_is_not_half_written_and_a_rerun_completes_the_import() -> None:
    desk = Desk(batch_size=2, ids="hist-")
    with desk.uow:  # id hist-3, which the second batch will be given, is taken already
        desk.uow.applications.add(an_application(id="hist-3", external_id="other"))
        desk.uow.commit()
    rows = history(5)

    with pytest.raises(AlreadyExists):
        desk.run(rows)

    assert _imported(desk) == ["H-1", "H-2"]
    assert [e.new for e in desk.events()] == [_summary(1, 2, imported=2)]
    report = desk.again(ids="retry-")(ADMIN, SOURCE, rows)
    assert (report.imported, report.already_present, report.rejected) == (3, 2, ())
    assert _imported(desk) == ["H-1", "H-2", "H-3", "H-4", "H-5"]


def test_a_batch_size_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="batch_size"):
        ImportHistory(InMemoryUnitOfWork(), FixedClock(), SequentialIds(), batch_size=0)


def test_money_in_another_currency_imports_as_it_came() -> None:
    desk = Desk()
    form = an_application_form(external_id="GC-1")
    dem = _all_in(form, "DEM")

    report = desk.run([(dem, True)], source="german_credit")

    assert report.imported == 1
    [(external_id, outcome)] = desk.labelled("german_credit")
    assert (external_id, outcome.defaulted) == ("GC-1", True)


def _all_in(form: ApplicationForm, currency: str) -> ApplicationForm:
    money = {
        name: evolve(getattr(form.financials, name), currency=currency)
        for name in (
            "net_monthly_income",
            "other_monthly_income",
            "monthly_expenses",
            "existing_loan_payments",
            "savings",
            "other_assets",
            "total_liabilities",
        )
    }
    loan = evolve(form.loan, amount=evolve(form.loan.amount, currency=currency))
    return evolve(form, financials=evolve(form.financials, **money), loan=loan)


def _imported(desk: Desk) -> list[str]:
    return sorted(external_id for external_id, _outcome in desk.labelled(SOURCE))


def _summary(
    first: int, last: int, *, imported: int, already_present: int = 0, rejected: int = 0
) -> dict[str, object]:
    return {
        "source": SOURCE,
        "first_position": first,
        "last_position": last,
        "imported": imported,
        "already_present": already_present,
        "rejected": rejected,
    }

"""The real credit data sets, read offline from their installed packages, in our schema."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from adapters.ml import credit_data_mapping
from adapters.ml.datasets import HistoricalRecord, credit_data, german_credit
from adapters.ml.synthetic_applicant import AS_OF
from adapters.sql import SqlUnitOfWork, create_engine_for
from application.credit.import_history import ImportHistory
from domain.credit.application import LoanPurpose
from domain.credit.money import Money
from domain.credit.reasons import DEFAULT_REASON_CODES
from domain.credit.validation import age_on, problems
from domain.identity import Role
from tests.builders import NOW, TENANT, TODAY, a_principal, a_tenant
from tests.fakes import FixedClock, SequentialIds

pytestmark = pytest.mark.integration

PROTECTED = {
    "credit_data": ("age", "marital_status"),
    "german_credit": ("age", "personal_status_and_sex", "foreign_worker"),
}


@pytest.fixture(scope="module")
def credit() -> list[HistoricalRecord]:
    return credit_data()


@pytest.fixture(scope="module")
def german() -> list[HistoricalRecord]:
    return german_credit()


def _bad_rate(records: list[HistoricalRecord]) -> float:
    return sum(r.defaulted for r in records) / len(records)


def test_credit_data_keeps_every_row_and_its_bad_rate(credit: list[HistoricalRecord]) -> None:
    assert len(credit) == 4454  # none dropped
    assert sum(r.defaulted for r in credit) == 1254
    assert _bad_rate(credit) == pytest.approx(0.2815, abs=1e-4)
    assert [r.row for r in credit] == list(range(1, 4455))
    assert {r.source for r in credit} == {"credit_data"}


def test_german_credit_keeps_every_row_and_its_bad_rate(german: list[HistoricalRecord]) -> None:
    assert len(german) == 1000
    assert sum(r.defaulted for r in german) == 300
    assert [r.row for r in german] == list(range(1, 1001))
    assert {r.source for r in german} == {"german_credit"}


@pytest.mark.parametrize("day", [AS_OF, TODAY, date(2045, 12, 31)])
def test_every_form_is_valid(
    credit: list[HistoricalRecord], german: list[HistoricalRecord], day: date
) -> None:
    found = Counter(str(p) for r in (*credit, *german) for p in problems(r.form, day))
    assert found == Counter()


def test_external_ids_are_unique_and_name_the_source_and_row(
    credit: list[HistoricalRecord], german: list[HistoricalRecord]
) -> None:
    ids = [r.form.external_id for r in (*credit, *german)]
    assert len(set(ids)) == len(ids)
    assert credit[122].form.external_id == "credit_data-000123"
    assert german[0].form.external_id == "german_credit-000001"


@pytest.mark.parametrize("source", sorted(PROTECTED))
def test_protected_characteristics_are_attributes_under_protected_names(
    source: str, credit: list[HistoricalRecord], german: list[HistoricalRecord]
) -> None:
    records = credit if source == "credit_data" else german
    for name in PROTECTED[source]:
        assert DEFAULT_REASON_CODES.is_protected(name)
        assert all(r.form.attributes.get(name, "").strip() for r in records)
    for record in records:
        born = record.form.applicant.personal.date_of_birth
        assert age_on(born, AS_OF) == int(record.form.attributes["age"])


def test_synthesised_identities_are_plainly_fake(
    credit: list[HistoricalRecord], german: list[HistoricalRecord]
) -> None:
    for record in (*credit, *german):
        personal = record.form.applicant.personal
        assert personal.first_name == "Applicant"
        assert personal.email.endswith("@example.com")
        assert personal.national_id.startswith("SYNTHETIC-")
        assert record.form.applicant.address.city == "Exampletown"


def test_loading_twice_gives_equal_records(
    credit: list[HistoricalRecord], german: list[HistoricalRecord]
) -> None:
    assert credit_data() == credit
    assert german_credit() == german


def test_credit_data_amounts_are_thousands_of_pesetas_in_euros(
    credit: list[HistoricalRecord],
) -> None:
    first = credit[0].form  # Income 129, Expenses 73, Amount 800, Price 846, Time 60
    assert first.financials.net_monthly_income == Money(Decimal("775.31"), "EUR")
    assert first.financials.monthly_expenses == Money(Decimal("438.74"), "EUR")
    assert first.loan.amount == Money(Decimal("4808.10"), "EUR")
    assert first.attributes["purchase_price"] == "5084.56"
    assert first.loan.term_months == 60
    assert credit_data_mapping.euros(166386) == Decimal("1000000.00")


def test_credit_data_marks_missing_amounts_and_keeps_them_at_zero(
    credit: list[HistoricalRecord],
) -> None:
    for field, column, count in (
        ("net_monthly_income", "income", 381),
        ("savings", "assets", 47),
        ("total_liabilities", "debt", 18),
    ):
        missing = [r for r in credit if r.form.attributes[f"{column}_missing"] == "yes"]
        assert len(missing) == count
        assert all(getattr(r.form.financials, field).amount == 0 for r in missing)
    no_income = [r for r in credit if r.form.attributes["income_missing"] == "yes"]
    assert _bad_rate(no_income) > 0.5 > _bad_rate(credit)


def test_german_credit_maps_amount_term_and_purpose_and_keeps_the_rest(
    german: list[HistoricalRecord],
) -> None:
    first = german[0].form  # 1169 DM over 6 months for a radio/television, a good loan
    assert first.loan.amount == Money(Decimal(1169), "DEM")
    assert first.loan.term_months == 6
    assert first.loan.purpose is LoanPurpose.PERSONAL
    assert first.attributes["purpose_detail"] == "radio/television"
    assert first.attributes["credit_history"].startswith("critical account")
    assert not german[0].defaulted
    assert len(first.attributes) == 18


def test_german_credit_imports_into_sqlite_and_reads_back_as_loaded(
    german: list[HistoricalRecord], sqlite_database: Path
) -> None:
    engine = create_engine_for(sqlite_database)
    try:
        uow = SqlUnitOfWork(engine)
        with uow:
            uow.tenants.add(a_tenant(id=TENANT, slug=TENANT))
            uow.commit()
        importer = ImportHistory(uow, FixedClock(NOW), SequentialIds("gc-"))
        principal = a_principal(Role.ADMIN)
        rows = [(r.form, r.defaulted) for r in german]

        report = importer(principal, "german_credit", rows)
        again = importer(principal, "german_credit", rows)

        assert (report.imported, report.already_present, report.rejected) == (1000, 0, ())
        assert (again.imported, again.already_present, again.rejected) == (0, 1000, ())
        with uow:
            labelled = uow.outcomes.labelled(TENANT, "german_credit")
        by_external_id = {a.form.external_id: (a.form, o.defaulted) for a, o in labelled}
        assert by_external_id == {r.form.external_id: (r.form, r.defaulted) for r in german}
    finally:
        engine.dispose()

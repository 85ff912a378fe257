"""The CSV layout: the header check names every wrong column, and a row becomes exactly the form
it describes, or every problem it has, by column, under the API's own rules."""

from __future__ import annotations

import pytest
from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.application import ApplicationForm
from domain.credit.csv_layout import COLUMNS, WHOLE_ROW, HeaderMismatch, Layout, layout_of
from domain.credit.csv_row import CellProblem, row_form
from domain.errors import ValidationFailed
from tests.batch_builders import HEADER, a_row, csv_row
from tests.builders import TODAY, an_application_form

from .strategies import forms

REQUIRED = [column.name for column in COLUMNS if column.required]
OPTIONAL = [column.name for column in COLUMNS if not column.required]


def _judge(row: dict[str, str], header: tuple[str, ...] = HEADER) -> object:
    layout = layout_of(header)
    return row_form(layout, [row.get(name, "") for name in header], TODAY)


def _problems(row: dict[str, str]) -> tuple[CellProblem, ...]:
    judged = _judge(row)
    assert isinstance(judged, tuple), "the row was accepted"
    return judged


def test_the_documented_header_fits_in_any_order_with_spaces_around_names() -> None:
    layout = layout_of([f" {name} " for name in reversed(HEADER)])
    assert isinstance(layout, Layout)
    assert layout.width == len(HEADER)
    assert {column.name for column, _index in layout.positions} == set(HEADER)


def test_a_wrong_header_names_every_missing_unknown_and_repeated_column() -> None:
    header = [n for n in HEADER if n not in ("email", "loan_amount")] + ["amount", "city", "note"]
    with pytest.raises(HeaderMismatch) as refused:
        layout_of(header)
    assert refused.value.missing == ("email", "loan_amount")
    assert refused.value.unknown == ("amount", "note")
    assert refused.value.repeated == ("city",)
    assert isinstance(refused.value, ValidationFailed)
    assert [str(problem) for problem in refused.value.problems] == [
        "header: missing columns: email, loan_amount",
        "header: unknown columns: amount, note",
        "header: repeated columns: city",
    ]


def test_optional_columns_may_be_left_out_and_read_as_zero_or_empty() -> None:
    header = tuple(name for name in HEADER if name not in OPTIONAL)
    form = _judge(a_row(), header)
    assert isinstance(form, ApplicationForm)
    assert form.applicant.employment.employer_name == ""
    assert form.financials.savings.amount == 0
    assert form.financials.total_liabilities.currency == "EUR"


def test_attribute_columns_carry_the_lenders_attributes_and_empty_means_absent() -> None:
    header = (*HEADER, "attr_car_price", "attr_housing")
    form = _judge(a_row(attr_car_price="18500", attr_housing=""), header)
    assert isinstance(form, ApplicationForm)
    assert form.attributes == {"car_price": "18500"}


def test_an_attribute_column_must_be_named_like_attr_car_price() -> None:
    with pytest.raises(HeaderMismatch) as refused:
        layout_of((*HEADER, "attr_Car Price", "attr_"))
    assert refused.value.unknown == ("attr_Car Price", "attr_")


def test_a_row_reads_back_as_the_form_it_was_written_from() -> None:
    form = evolve(an_application_form(), attributes={"car_price": "18500"})
    header = (*HEADER, "attr_car_price")
    assert _judge(csv_row(form), header) == form


@given(forms(), st.dictionaries(st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True), st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")),
    min_size=1, max_size=20), max_size=3))  # fmt: skip
def test_every_valid_form_survives_the_trip_through_a_row(
    form: ApplicationForm, attributes: dict[str, str]
) -> None:
    form = evolve(form, attributes=attributes)
    header = (*HEADER, *(f"attr_{name}" for name in attributes))
    assert _judge(csv_row(form), header) == form


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("external_id", "", "is required"),
        ("external_id", "X" * 65, "must be at most 64 characters"),
        ("first_name", "", "is required"),
        ("last_name", "L" * 101, "must be at most 100 characters"),
        ("date_of_birth", "17.04.1988", "must be a date like 1988-04-17 (year-month-day)"),
        ("date_of_birth", "1988-02-30", "must be a date like 1988-04-17 (year-month-day)"),
        ("date_of_birth", "2015-01-01", "applicant must be at least 18"),
        ("date_of_birth", "2030-01-01", "must not be in the future"),
        ("email", "ana.example.com", "must be an email address such as name@example.com"),
        ("phone", "call me", "must be a phone number of 6 to 25 digits, + allowed first"),
        ("national_id", "", "is required"),
        ("street", "", "is required"),
        ("city", " ", "is required"),
        ("postal_code", "", "is required"),
        ("country", "Serbia", "must be a two-letter ISO 3166 code like RS"),
        ("employment_type", "freelance", "must be one of: employed, self_employed, retired, "
         "student, unemployed"),
        ("contract_type", "", "is required"),
        ("years_employed", "six", "must be a number like 6.5, with '.' for decimals"),
        ("years_employed", "-1", "must not be negative"),
        ("currency", "euro", "must be a three-letter ISO 4217 code like EUR"),
        ("net_monthly_income", "2.800,00", "must be a number like 2800, with '.' for decimals"),
        ("monthly_expenses", "-5", "must not be negative"),
        ("savings", "NaN", "must be a number like 6000, with '.' for decimals"),
        ("total_liabilities", "Infinity", "must be a number like 3000, with '.' for decimals"),
        ("loan_amount", "0", "must be greater than zero"),
        ("loan_amount", "20000000", "must be at most 10,000,000"),
        ("term_months", "48.5", "must be a whole number like 48"),
        ("term_months", "1", "must be between 3 and 480 months"),
        ("purpose", "yacht", "must be one of: personal, car, home_improvement, "
         "debt_consolidation, education, medical, business, travel, other"),
        ("annual_rate_percent", "150", "must be between 0 and 100"),
    ],
)  # fmt: skip
def test_each_kind_of_invalid_field_is_reported_on_its_column(
    column: str, value: str, message: str
) -> None:
    assert _problems(a_row(**{column: value})) == (CellProblem(column, message),)


def test_a_row_with_many_problems_reports_each_once_in_column_order() -> None:
    row = a_row(external_id="", date_of_birth="someday", loan_amount="a lot", purpose="")
    assert _problems(row) == (
        CellProblem("external_id", "is required"),
        CellProblem("date_of_birth", "must be a date like 1988-04-17 (year-month-day)"),
        CellProblem("loan_amount", "must be a number like 12000, with '.' for decimals"),
        CellProblem("purpose", "is required"),
    )


def test_a_row_with_the_wrong_number_of_fields_is_one_problem_of_the_whole_row() -> None:
    layout = layout_of(HEADER)
    short = list(a_row().values())[:5]
    assert row_form(layout, short, TODAY) == (
        CellProblem(WHOLE_ROW, f"has 5 fields but the header has {len(HEADER)}"),
    )


def test_a_contract_that_does_not_fit_the_employment_is_reported_by_the_domain() -> None:
    row = a_row(employment_type="retired", contract_type="permanent")
    assert _problems(row) == (CellProblem("contract_type", "must be none when retired"),)

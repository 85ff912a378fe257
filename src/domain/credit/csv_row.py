"""One row of a CSV batch read by the layout: the form it describes, or every problem it has.

A row is checked by the same rules as the API's (`domain.credit.validation.problems`), so a
file cannot get past a rule a single submission must keep. Its problems are reported per CSV
column, with the column's name, so a lender can fix the file without knowing the form's shape.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from attrs import frozen

from domain.credit.application import (
    Address,
    Applicant,
    ApplicationForm,
    ContractType,
    Employment,
    EmploymentType,
    Financials,
    LoanPurpose,
    LoanRequest,
    PersonalInfo,
)
from domain.credit.csv_layout import BY_NAME, COLUMNS, REQUIRED, WHOLE_ROW, Layout, column_of
from domain.credit.money import Money
from domain.credit.validation import FormLimits, problems


@frozen
class CellProblem:
    """What is wrong with one row, by CSV column (`WHOLE_ROW` for the row as a whole)."""

    column: str
    message: str


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: Plain decimal notation only: no exponent, no thousands separator, no NaN or Infinity.
_NUMBER = re.compile(r"-?[0-9]{1,30}(\.[0-9]{1,30})?")
_E = TypeVar("_E", bound=StrEnum)


class _Cells:
    """One row's cells by column name, read one typed value at a time.

    A cell that is empty when required, or cannot be read as its kind, is noted as a problem
    and stands in with a neutral value, so that the rest of the row can still be checked.
    """

    def __init__(self, layout: Layout, cells: Sequence[str]) -> None:
        self._texts = {column.name: cells[index].strip() for column, index in layout.positions}
        self.problems: list[CellProblem] = []

    def _given(self, name: str) -> str:
        text = self._texts.get(name, "")
        if not text and name in REQUIRED:
            self.problems.append(CellProblem(name, "is required"))
        return text

    def _refuse(self, name: str, message: str) -> None:
        self.problems.append(CellProblem(name, message))

    def text(self, name: str) -> str:
        return self._given(name)

    def day(self, name: str) -> date:
        text = self._given(name)
        if text:
            try:
                if _DATE.fullmatch(text):
                    return date.fromisoformat(text)
            except ValueError:
                pass
            self._refuse(name, f"must be a date like {BY_NAME[name].example} (year-month-day)")
        return date(1970, 1, 1)

    def decimal(self, name: str) -> Decimal:
        text = self._given(name)
        if text:
            if _NUMBER.fullmatch(text):
                return Decimal(text)
            example = BY_NAME[name].example
            self._refuse(name, f"must be a number like {example}, with '.' for decimals")
        return Decimal(0)

    def whole(self, name: str) -> int:
        text = self._given(name)
        if text:
            if text.isascii() and text.isdigit():
                return int(text)
            self._refuse(name, f"must be a whole number like {BY_NAME[name].example}")
        return 0

    def choice(self, name: str, values: type[_E]) -> _E:
        text = self._given(name)
        if text in BY_NAME[name].choices:
            return values(text)
        if text:
            self._refuse(name, f"must be one of: {', '.join(BY_NAME[name].choices)}")
        return next(iter(values))


def _form(row: _Cells, attributes: dict[str, str]) -> ApplicationForm:
    currency = row.text("currency")

    def money(name: str) -> Money:
        return Money(row.decimal(name), currency)

    return ApplicationForm(
        external_id=row.text("external_id"),
        applicant=Applicant(
            personal=PersonalInfo(
                first_name=row.text("first_name"),
                last_name=row.text("last_name"),
                date_of_birth=row.day("date_of_birth"),
                email=row.text("email"),
                phone=row.text("phone"),
                national_id=row.text("national_id"),
            ),
            address=Address(
                street=row.text("street"),
                city=row.text("city"),
                postal_code=row.text("postal_code"),
                country=row.text("country"),
            ),
            employment=Employment(
                employment_type=row.choice("employment_type", EmploymentType),
                contract_type=row.choice("contract_type", ContractType),
                years_employed=row.decimal("years_employed"),
                employer_name=row.text("employer_name"),
            ),
        ),
        financials=Financials(
            net_monthly_income=money("net_monthly_income"),
            other_monthly_income=money("other_monthly_income"),
            monthly_expenses=money("monthly_expenses"),
            existing_loan_payments=money("existing_loan_payments"),
            savings=money("savings"),
            other_assets=money("other_assets"),
            total_liabilities=money("total_liabilities"),
        ),
        loan=LoanRequest(
            amount=money("loan_amount"),
            term_months=row.whole("term_months"),
            purpose=row.choice("purpose", LoanPurpose),
            annual_rate_percent=row.decimal("annual_rate_percent"),
        ),
        attributes=attributes,
    )


_POSITION: Mapping[str, int] = {column.name: index for index, column in enumerate(COLUMNS)}


def _order(problem: CellProblem) -> int:
    return _POSITION.get(problem.column, len(COLUMNS))


def row_form(
    layout: Layout, cells: Sequence[str], today: date, limits: FormLimits | None = None
) -> ApplicationForm | tuple[CellProblem, ...]:
    """The form a row describes, or every problem with it, in the layout's column order.

    A cell that cannot be read (a date that is not a date) is reported as such, and the rest
    of the row is still checked by the domain's rules, so one pass finds all that is wrong.
    """
    if len(cells) != layout.width:
        message = f"has {len(cells)} fields but the header has {layout.width}"
        return (CellProblem(WHOLE_ROW, message),)
    row = _Cells(layout, cells)
    attributes = {name: cells[i].strip() for name, i in layout.attributes if cells[i].strip()}
    form = _form(row, attributes)
    unreadable = {problem.column for problem in row.problems}
    found = list(row.problems)
    for problem in problems(form, today, limits):
        column = column_of(problem.path)
        if column not in unreadable:  # a stand-in's own complaint says nothing of the file
            found.append(CellProblem(column, problem.message))
    return tuple(sorted(found, key=_order)) if found else form

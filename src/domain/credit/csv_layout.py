"""The column layout of a CSV batch: which columns make an `ApplicationForm`, and which headers
fit it (`domain.credit.csv_row` reads a row by it).

A lender's file is flat, the form is nested, so each nested field gets a column of its own
(`first_name`, `city`, `loan_amount`...). Columns are matched by name, in any order. Every
amount is in the row's one `currency` column, because the domain requires every amount of an
application in the currency of its loan. Optional columns may be left out of the header or
left empty: an empty optional amount is 0, an empty `employer_name` is "". A column
`attr_<name>` carries the lender's attribute `<name>` (`attr_car_price`); an empty cell means
the application has no such attribute.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from enum import StrEnum

from attrs import frozen

from domain.credit.application import ContractType, EmploymentType, LoanPurpose
from domain.credit.validation import MAX_ATTRIBUTES
from domain.errors import Problem, ValidationFailed

ATTRIBUTE_PREFIX = "attr_"
_ATTRIBUTE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
#: Where a problem that belongs to no single column is reported: the row as a whole.
WHOLE_ROW = "(row)"


class Kind(StrEnum):
    """What a column holds, and so how its text is read."""

    TEXT = "text"
    DATE = "date"
    DECIMAL = "decimal"
    WHOLE = "whole number"
    CHOICE = "choice"


@frozen
class Column:
    """One column of the layout: its name, what it holds, whether it must be there, and where
    its value goes in the form (the dotted path `domain.credit.validation` reports)."""

    name: str
    kind: Kind
    required: bool
    path: str
    example: str
    choices: tuple[str, ...] = ()


def _choice(name: str, path: str, example: str, values: type[StrEnum]) -> Column:
    return Column(name, Kind.CHOICE, True, path, example, tuple(v.value for v in values))


def _money(name: str, required: bool, example: str) -> Column:
    return Column(name, Kind.DECIMAL, required, f"financials.{name}", example)


#: The documented layout (docs/batch-csv.md), in the order the sample file uses.
COLUMNS: tuple[Column, ...] = (
    Column("external_id", Kind.TEXT, True, "external_id", "LND-2026-000123"),
    Column("first_name", Kind.TEXT, True, "applicant.personal.first_name", "Ana"),
    Column("last_name", Kind.TEXT, True, "applicant.personal.last_name", "Marković"),
    Column("date_of_birth", Kind.DATE, True, "applicant.personal.date_of_birth", "1988-04-17"),
    Column("email", Kind.TEXT, True, "applicant.personal.email", "ana@example.com"),
    Column("phone", Kind.TEXT, True, "applicant.personal.phone", "+381641234567"),
    Column("national_id", Kind.TEXT, True, "applicant.personal.national_id", "1704988715123"),
    Column("street", Kind.TEXT, True, "applicant.address.street", "Bulevar 73"),
    Column("city", Kind.TEXT, True, "applicant.address.city", "Beograd"),
    Column("postal_code", Kind.TEXT, True, "applicant.address.postal_code", "11000"),
    Column("country", Kind.TEXT, True, "applicant.address.country", "RS"),
    _choice("employment_type", "applicant.employment.employment_type", "employed", EmploymentType),
    _choice("contract_type", "applicant.employment.contract_type", "permanent", ContractType),
    Column("years_employed", Kind.DECIMAL, True, "applicant.employment.years_employed", "6.5"),
    Column("employer_name", Kind.TEXT, False, "applicant.employment.employer_name", "Nordlicht"),
    Column("currency", Kind.TEXT, True, "loan.amount.currency", "EUR"),
    _money("net_monthly_income", True, "2800"),
    _money("other_monthly_income", False, "0"),
    _money("monthly_expenses", True, "1100"),
    _money("existing_loan_payments", False, "150"),
    _money("savings", False, "6000"),
    _money("other_assets", False, "0"),
    _money("total_liabilities", False, "3000"),
    Column("loan_amount", Kind.DECIMAL, True, "loan.amount", "12000"),
    Column("term_months", Kind.WHOLE, True, "loan.term_months", "48"),
    _choice("purpose", "loan.purpose", "car", LoanPurpose),
    Column("annual_rate_percent", Kind.DECIMAL, True, "loan.annual_rate_percent", "7.9"),
)
BY_NAME: Mapping[str, Column] = {column.name: column for column in COLUMNS}
REQUIRED = frozenset(column.name for column in COLUMNS if column.required)
_COLUMN_OF_PATH: Mapping[str, str] = {column.path: column.name for column in COLUMNS}


class HeaderMismatch(ValidationFailed):
    """The header does not fit the layout; every missing, unknown and repeated column named."""

    def __init__(
        self, missing: tuple[str, ...], unknown: tuple[str, ...], repeated: tuple[str, ...]
    ) -> None:
        self.missing, self.unknown, self.repeated = missing, unknown, repeated
        found: list[Problem] = []
        if missing:
            found.append(Problem("header", f"missing columns: {', '.join(missing)}"))
        if unknown:
            found.append(Problem("header", f"unknown columns: {', '.join(unknown)}"))
        if repeated:
            found.append(Problem("header", f"repeated columns: {', '.join(repeated)}"))
        super().__init__(tuple(found))


@frozen
class Layout:
    """Where each column sits in this file's rows: what a header says, once checked."""

    width: int
    positions: tuple[tuple[Column, int], ...]
    attributes: tuple[tuple[str, int], ...]


def _attribute_name(header_name: str) -> str | None:
    if not header_name.startswith(ATTRIBUTE_PREFIX):
        return None
    name = header_name.removeprefix(ATTRIBUTE_PREFIX)
    return name if _ATTRIBUTE_NAME.fullmatch(name) else None


def layout_of(header: Sequence[str]) -> Layout:
    """The layout a header describes; `HeaderMismatch` naming every column that is wrong.

    Names are compared after trimming spaces. An `attr_` column whose name is not like
    `attr_car_price`, and attribute columns beyond the domain's limit, are unknown columns.
    """
    names = [name.strip() for name in header]
    repeated = sorted({name for name in names if names.count(name) > 1})
    unknown: list[str] = []
    positions: list[tuple[Column, int]] = []
    attributes: list[tuple[str, int]] = []
    for index, name in enumerate(names):
        if name in repeated and names.index(name) != index:
            continue
        attribute = _attribute_name(name)
        if name in BY_NAME:
            positions.append((BY_NAME[name], index))
        elif attribute is not None and len(attributes) < MAX_ATTRIBUTES:
            attributes.append((attribute, index))
        else:
            unknown.append(name or f"(column {index + 1} has no name)")
    present = set(names)
    missing = tuple(c.name for c in COLUMNS if c.required and c.name not in present)
    if missing or unknown or repeated:
        raise HeaderMismatch(missing, tuple(unknown), tuple(repeated))
    return Layout(len(names), tuple(positions), tuple(attributes))


def column_of(path: str) -> str:
    """The CSV column a validation problem's field path belongs to."""
    if path.startswith("attributes."):
        return ATTRIBUTE_PREFIX + path.removeprefix("attributes.")
    return _COLUMN_OF_PATH.get(path, WHOLE_ROW)

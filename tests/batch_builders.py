"""CSV batch files for tests: a form as a row of the documented layout, and whole files.

`csv_file` writes rows with the csv module, as a lender's export would (quoting where a cell
needs it, CRLF line ends by default); `streamed_rows` makes a file of any length lazily, a
chunk of bytes at a time, so a test of the size limit never holds the file in memory.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence

from domain.credit.application import ApplicationForm
from domain.credit.csv_layout import ATTRIBUTE_PREFIX, COLUMNS
from tests.builders import an_application_form

HEADER: tuple[str, ...] = tuple(column.name for column in COLUMNS)


def csv_row(form: ApplicationForm) -> dict[str, str]:
    """The cells of the row that describes `form`, by column name (attributes included)."""
    personal = form.applicant.personal
    address = form.applicant.address
    employment = form.applicant.employment
    financials = form.financials
    loan = form.loan
    row = {
        "external_id": form.external_id,
        "first_name": personal.first_name,
        "last_name": personal.last_name,
        "date_of_birth": personal.date_of_birth.isoformat(),
        "email": personal.email,
        "phone": personal.phone,
        "national_id": personal.national_id,
        "street": address.street,
        "city": address.city,
        "postal_code": address.postal_code,
        "country": address.country,
        "employment_type": employment.employment_type.value,
        "contract_type": employment.contract_type.value,
        "years_employed": str(employment.years_employed),
        "employer_name": employment.employer_name,
        "currency": loan.amount.currency,
        "loan_amount": str(loan.amount.amount),
        "term_months": str(loan.term_months),
        "purpose": loan.purpose.value,
        "annual_rate_percent": str(loan.annual_rate_percent),
    }
    for name in (
        "net_monthly_income",
        "other_monthly_income",
        "monthly_expenses",
        "existing_loan_payments",
        "savings",
        "other_assets",
        "total_liabilities",
    ):
        row[name] = str(getattr(financials, name).amount)
    for name, value in form.attributes.items():
        row[ATTRIBUTE_PREFIX + name] = value
    return row


def a_row(external_id: str = "LND-1", **cells: str) -> dict[str, str]:
    """The row of the builders' default form under `external_id`, with `cells` changed."""
    return {**csv_row(an_application_form(external_id=external_id)), **cells}


def csv_text(
    rows: Iterable[Mapping[str, str]],
    header: Sequence[str] = HEADER,
    *,
    newline: str = "\r\n",
) -> str:
    """A CSV file of `rows` under `header` (a cell a row lacks is empty)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator=newline)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header])
    return text.getvalue()


def csv_file(
    rows: Iterable[Mapping[str, str]],
    header: Sequence[str] = HEADER,
    *,
    bom: bool = False,
    newline: str = "\r\n",
) -> bytes:
    """`csv_text` as UTF-8 bytes, with a byte order mark if asked."""
    data = csv_text(rows, header, newline=newline).encode("utf-8")
    return b"\xef\xbb\xbf" + data if bom else data


def rows_for(count: int, prefix: str = "LND") -> list[dict[str, str]]:
    """`count` valid rows with distinct external ids."""
    return [a_row(f"{prefix}-{number:06d}") for number in range(1, count + 1)]


def streamed_rows(count: int, *, rows_per_piece: int = 1_000) -> Iterator[bytes]:
    """A file of `count` valid rows, made and handed out `rows_per_piece` rows at a time."""
    yield csv_file([])
    template = a_row("{}")
    for start in range(1, count + 1, rows_per_piece):
        numbers = range(start, min(start + rows_per_piece, count + 1))
        rows = ({**template, "external_id": f"BIG-{n:08d}"} for n in numbers)
        yield csv_text(rows).split("\r\n", 1)[1].encode("utf-8")


def in_pieces(data: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    """`data` handed out `size` bytes at a time, as an upload streams it."""
    for start in range(0, len(data), size):
        yield data[start : start + size]

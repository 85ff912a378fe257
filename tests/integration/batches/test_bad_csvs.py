"""Bad CSV files on real storage, each with the outcome docs/batch-csv.md promises.

A file that cannot be read as a batch (wrong header, wrong encoding, empty, too large) is
refused at upload and nothing is stored, neither a batch nor an object. A readable file
becomes a batch whose every row is accepted or listed in the error report, by row and column:
accepted + rejected = rows read, always.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from adapters.sql.schema import batches
from application.credit.batch_queries import BatchErrorReport
from application.credit.upload_batch import DEFAULT_MAX_BYTES, BatchTooLarge
from domain.credit.batches import BatchStatus
from domain.credit.csv_layout import COLUMNS, HeaderMismatch
from domain.credit.csv_reading import UnreadableFile
from domain.errors import ValidationFailed
from entrypoints.composition import Deps
from tests.batch_builders import HEADER, a_row, csv_file, in_pieces, rows_for, streamed_rows
from tests.builders import TENANT
from tests.integration.batches.conftest import read_everything, upload
from tests.unit.application.helpers import LENDER

pytestmark = pytest.mark.integration

#: One invalid field per row: (column, value, what the report says about it).
INVALID_FIELDS = [
    ("external_id", "", "is required"),
    ("first_name", " ", "is required"),
    ("date_of_birth", "17/04/1988", "must be a date like 1988-04-17 (year-month-day)"),
    ("date_of_birth", "2016-01-01", "applicant must be at least 18"),
    ("email", "ana at example", "must be an email address such as name@example.com"),
    ("phone", "12", "must be a phone number of 6 to 25 digits, + allowed first"),
    ("national_id", "", "is required"),
    ("street", "", "is required"),
    ("city", "", "is required"),
    ("postal_code", "", "is required"),
    ("country", "srb", "must be a two-letter ISO 3166 code like RS"),
    ("employment_type", "contractor", "must be one of: employed, self_employed, retired, "
     "student, unemployed"),
    ("contract_type", "forever", "must be one of: permanent, fixed_term, temporary, none"),
    ("years_employed", "6,5", "must be a number like 6.5, with '.' for decimals"),
    ("currency", "€", "must be a three-letter ISO 4217 code like EUR"),
    ("net_monthly_income", "lots", "must be a number like 2800, with '.' for decimals"),
    ("other_monthly_income", "-1", "must not be negative"),
    ("monthly_expenses", "", "is required"),
    ("existing_loan_payments", "1e999999", "must be a number like 150, with '.' for decimals"),
    ("savings", "-0.01", "must not be negative"),
    ("other_assets", "x", "must be a number like 0, with '.' for decimals"),
    ("total_liabilities", "-3", "must not be negative"),
    ("loan_amount", "-12000", "must be greater than zero"),
    ("term_months", "forty", "must be a whole number like 48"),
    ("term_months", "600", "must be between 3 and 480 months"),
    ("purpose", "", "is required"),
    ("annual_rate_percent", "101", "must be between 0 and 100"),
    ("attr_car_price", "9" * 201, "must be at most 200 characters"),
]  # fmt: skip


def _stored_nothing(deps: Deps) -> None:
    with deps.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(batches)).scalar_one() == 0
    assert deps.store.keys(f"{TENANT}/") == []


def test_a_wrong_header_is_refused_naming_the_missing_and_unknown_columns(deps: Deps) -> None:
    header = [name for name in HEADER if name not in ("phone", "term_months")]
    header += ["telephone", "term"]
    with pytest.raises(HeaderMismatch) as refused:
        upload(deps)(LENDER, [csv_file(rows_for(3), header)])
    assert str(refused.value) == (
        "header: missing columns: phone, term_months; header: unknown columns: telephone, term"
    )
    _stored_nothing(deps)


@pytest.mark.parametrize(
    ("encoding", "message"),
    [
        ("latin-1", "file: is not UTF-8: byte 0xe9 at offset"),
        ("cp1252", "file: is not UTF-8: byte 0xe9 at offset"),
        ("utf-16", "file: is UTF-16; save it as UTF-8"),
    ],
)
def test_a_file_in_another_encoding_is_refused(deps: Deps, encoding: str, message: str) -> None:
    text = csv_file([a_row(first_name="José", last_name="Müller")]).decode()
    with pytest.raises(UnreadableFile, match=message):
        upload(deps)(LENDER, in_pieces(text.encode(encoding), 100))
    _stored_nothing(deps)


def test_an_empty_file_is_refused_and_a_header_alone_is_an_empty_batch(deps: Deps) -> None:
    with pytest.raises(UnreadableFile, match="file: is empty: a batch starts with a header"):
        upload(deps)(LENDER, [])
    _stored_nothing(deps)
    batch = upload(deps)(LENDER, [csv_file([], bom=True)]).batch
    assert (batch.status, batch.rows_read, batch.accepted, batch.rejected) == (
        BatchStatus.COMPLETED,
        0,
        0,
        0,
    )


def test_a_million_row_stream_is_refused_after_the_size_limit(deps: Deps) -> None:
    handed_out = 0

    def counted(pieces: Iterator[bytes]) -> Iterator[bytes]:
        nonlocal handed_out
        for piece in pieces:
            handed_out += len(piece)
            yield piece

    with pytest.raises(BatchTooLarge) as refused:
        upload(deps)(LENDER, counted(streamed_rows(1_000_000)))
    assert str(refused.value) == "file: is larger than the limit of 50.0 MiB (52,428,800 bytes)"
    assert refused.value.limit == DEFAULT_MAX_BYTES
    piece_at_most = 1_000 * 500  # 1,000 rows of well under 500 bytes each
    assert DEFAULT_MAX_BYTES < handed_out <= DEFAULT_MAX_BYTES + piece_at_most
    _stored_nothing(deps)


def test_quoted_newlines_commas_and_quotes_stay_inside_their_fields(deps: Deps) -> None:
    rows = [
        a_row("Q-1", street='Bulevar 73,\r\nstan "4"'),
        a_row("Q-2", employer_name="Nordlicht\nSoftware"),
        a_row("Q-3", email="broken"),
        a_row("Q-4", street="Knez Mihailova 1\n\nulaz B"),
        *rows_for(3, "Q-X"),
    ]
    data = csv_file(rows)
    batch = upload(deps)(LENDER, in_pieces(data, 50)).batch
    assert batch.sha256 == hashlib.sha256(data).hexdigest()
    done = read_everything(deps, batch.id)
    assert (done.rows_read, done.accepted, done.rejected) == (7, 6, 1)
    report = BatchErrorReport(deps.uow())(LENDER, done.id)
    assert report.splitlines()[1:] == ["3,email,must be an email address such as name@example.com"]
    with deps.uow() as uow:
        first = uow.applications.get_by_external_id(TENANT, "Q-1")
        fourth = uow.applications.get_by_external_id(TENANT, "Q-4")
    assert first is not None
    assert fourth is not None
    assert first.form.applicant.address.street == 'Bulevar 73,\r\nstan "4"'
    assert fourth.form.applicant.address.street == "Knez Mihailova 1\n\nulaz B"


def test_every_kind_of_invalid_field_is_reported_by_row_and_column(deps: Deps) -> None:
    header = (*HEADER, "attr_car_price")
    rows = [
        {**a_row(f"BAD-{n}"), column: value} for n, (column, value, _m) in enumerate(INVALID_FIELDS)
    ]
    rows.insert(3, a_row("GOOD-1", attr_car_price="18500"))
    rows.append(a_row("GOOD-2"))
    rows.append({"external_id": "SHORT-1"})  # every other cell empty
    data = csv_file(rows, header) + b"too,few,fields\r\n" + b'"BAD-Q"x,1\r\n'
    batch = upload(deps)(LENDER, [data]).batch
    done = read_everything(deps, batch.id)

    assert done.accepted + done.rejected == done.rows_read == len(rows) + 2
    assert (done.accepted, done.status) == (2, BatchStatus.PROCESSING)  # scoring still to come
    lines = BatchErrorReport(deps.uow())(LENDER, done.id).splitlines()
    expected = []
    for n, (column, _value, message) in enumerate(INVALID_FIELDS):
        row = n + 1 if n < 3 else n + 2  # the good row sits at row 4
        quoted = f'"{message}"' if "," in message else message
        expected.append(f"{row},{column},{quoted}")
    empty_row, short_row, broken_row = len(rows), len(rows) + 1, len(rows) + 2
    required = [c.name for c in COLUMNS if c.required and c.name != "external_id"]
    expected += [f"{empty_row},{column},is required" for column in required]
    expected += [
        f"{short_row},(row),has 3 fields but the header has {len(header)}",
        f"{broken_row},(row),\"cannot be read as CSV: ',' expected after '\"\"'\"",
    ]
    assert lines[0] == "row,column,message"
    assert lines[1:] == expected


def test_an_upload_that_is_not_a_batch_is_a_validation_failure(deps: Deps) -> None:
    with pytest.raises(ValidationFailed):
        upload(deps, max_bytes=10)(LENDER, [csv_file(rows_for(1))])
    _stored_nothing(deps)

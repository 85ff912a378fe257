"""A chunk of rows judged from the file alone: numbered on from the batch's last row, every
problem kept, a repeated external id refused, and ids the tenant already uses refused after."""

from __future__ import annotations

from domain.credit.batch_rows import read_rows
from domain.credit.batches import RowError
from domain.credit.csv_layout import WHOLE_ROW
from domain.credit.csv_reading import read_header
from tests.batch_builders import a_row, csv_file
from tests.builders import TODAY


def _file() -> bytes:
    return csv_file(
        [
            a_row("LND-1"),
            a_row("LND-2", email="nobody"),
            a_row("LND-1"),
            a_row("LND-4", street="Bulevar 73,\nstan 4"),
        ]
    )


def test_rows_are_numbered_on_from_the_first_row_given_and_judged_one_by_one() -> None:
    data = _file()
    read = read_rows(data, read_header(data)[1], first_row=11, limit=10, today=TODAY)
    assert (read.first_row, read.last_row, read.rows) == (11, 14, 4)
    assert [row for row, _form in read.forms] == [11, 14]
    assert read.forms[1][1].applicant.address.street == "Bulevar 73,\nstan 4"
    assert read.errors == (
        RowError(12, "email", "must be an email address such as name@example.com"),
        RowError(13, "external_id", "repeats the external id of row 11"),
    )
    assert (read.accepted, read.rejected, read.next_offset) == (2, 2, len(data))


def test_a_chunk_stops_at_its_limit_and_the_next_starts_where_it_stopped() -> None:
    data = _file()
    first = read_rows(data, read_header(data)[1], first_row=1, limit=3, today=TODAY)
    rest = read_rows(data, first.next_offset, first_row=first.last_row + 1, limit=3, today=TODAY)
    assert (first.rows, rest.rows, rest.first_row) == (3, 1, 4)
    assert rest.next_offset == len(data)


def test_external_ids_the_tenant_already_uses_are_refused_naming_the_application() -> None:
    data = _file()
    read = read_rows(data, read_header(data)[1], first_row=1, limit=10, today=TODAY)
    taken = read.with_taken({"LND-4": "app-7"})
    assert [row for row, _form in taken.forms] == [1]
    assert taken.errors[-1] == RowError(4, "external_id", "is already used by application app-7")
    assert taken.accepted + taken.rejected == taken.rows == 4
    assert read.with_taken({}) is read


def test_a_record_the_csv_module_cannot_read_is_a_rejected_row() -> None:
    data = csv_file([a_row("LND-1")]) + b'"LND-2"x,1\n'
    read = read_rows(data, read_header(data)[1], first_row=1, limit=10, today=TODAY)
    assert read.rows == 2
    assert read.errors == (
        RowError(2, WHOLE_ROW, "cannot be read as CSV: ',' expected after '\"'"),
    )

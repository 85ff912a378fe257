"""One chunk of a batch's rows, read and judged: the forms to create and the rows refused.

Everything here is decided from the file alone, before the database is asked anything, so a
worker can do the expensive part (parsing and validating a thousand rows) outside the
transaction that stores them. What only the database knows (an external id some earlier
application already uses) is added by `with_taken`, inside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from attrs import frozen

from domain.credit.application import ApplicationForm
from domain.credit.batches import RowError
from domain.credit.csv_layout import WHOLE_ROW, layout_of
from domain.credit.csv_reading import read_chunk, read_header
from domain.credit.csv_row import row_form
from domain.credit.validation import FormLimits


@frozen
class ReadRows:
    """Rows `first_row` to `first_row + rows - 1`: each is in `forms` or has `errors` (one
    or more per rejected row), never both; `next_offset` is where the next chunk starts."""

    first_row: int
    rows: int
    forms: tuple[tuple[int, ApplicationForm], ...]
    errors: tuple[RowError, ...]
    next_offset: int

    @property
    def last_row(self) -> int:
        return self.first_row + self.rows - 1

    @property
    def accepted(self) -> int:
        return len(self.forms)

    @property
    def rejected(self) -> int:
        return self.rows - len(self.forms)

    def with_taken(self, taken: Mapping[str, str]) -> ReadRows:
        """These rows once those whose external id is `taken` (external id -> the id of the
        application that has it) are rejected: a lender's reference names one loan."""
        refused = [(row, form) for row, form in self.forms if form.external_id in taken]
        if not refused:
            return self
        errors = [
            RowError(
                row, "external_id", f"is already used by application {taken[form.external_id]}"
            )
            for row, form in refused
        ]
        return ReadRows(
            first_row=self.first_row,
            rows=self.rows,
            forms=tuple((row, form) for row, form in self.forms if form.external_id not in taken),
            errors=tuple(sorted((*self.errors, *errors), key=lambda error: error.row)),
            next_offset=self.next_offset,
        )


def read_rows(
    data: bytes,
    offset: int,
    *,
    first_row: int,
    limit: int,
    today: date,
    limits: FormLimits | None = None,
) -> ReadRows:
    """Up to `limit` rows of the batch file `data` from `offset`, numbered from `first_row`.

    The header is read again from the top of the file (it says which column is where); a
    header that does not fit raises `HeaderMismatch`, though an upload never stores one. A row
    repeating an earlier row's external id in the same chunk is rejected, naming that row.
    """
    layout = layout_of(read_header(data)[0])
    chunk = read_chunk(data, offset, limit)
    forms: list[tuple[int, ApplicationForm]] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for row, record in enumerate(chunk.records, start=first_row):
        if record.error is not None:
            errors.append(RowError(row, WHOLE_ROW, record.error))
            continue
        judged = row_form(layout, record.cells, today, limits)
        if not isinstance(judged, ApplicationForm):
            errors.extend(RowError(row, problem.column, problem.message) for problem in judged)
        elif judged.external_id in seen:
            message = f"repeats the external id of row {seen[judged.external_id]}"
            errors.append(RowError(row, "external_id", message))
        else:
            seen[judged.external_id] = row
            forms.append((row, judged))
    return ReadRows(first_row, len(chunk.records), tuple(forms), tuple(errors), chunk.next_offset)

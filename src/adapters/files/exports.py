"""Export files: CSV with the csv module, XLSX with openpyxl in write-only mode.

Both consume the rows as they come and write them straight into a spooled temporary file (in
memory up to `spool_bytes`, on disk beyond), so the rows are never all in memory at once, and
openpyxl's write-only workbook streams each sheet row to its own temporary file rather than
building the sheet in memory. Only the finished file is read back, to hand to the object store.

The cells arrive already guarded against formula injection (`domain.credit.exports`); here they
are only spelled: CSV as UTF-8 text with `\r\n` line ends (RFC 4180), XLSX with numbers as
numbers and moments as UTC dates, and with the control characters an XLSX file cannot hold
removed from text.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Sequence
from typing import IO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from domain.credit.export_rows import Cell, csv_text, sheet_value
from domain.credit.exports import ExportFormat

#: How large a file may grow in memory before it spills to a temporary file on disk.
SPOOL_BYTES = 8 * 1024 * 1024
SHEET_TITLE = "applications"


def _xlsx_value(cell: Cell) -> object:
    value = sheet_value(cell)
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


class SpreadsheetExportWriter:
    """Satisfies `application.credit.ports.exports.ExportFileWriter`."""

    def __init__(self, spool_bytes: int = SPOOL_BYTES) -> None:
        self._spool_bytes = spool_bytes

    def write(
        self, export_format: ExportFormat, header: Sequence[str], rows: Iterable[Sequence[Cell]]
    ) -> bytes:
        with tempfile.SpooledTemporaryFile(max_size=self._spool_bytes) as sink:
            if export_format is ExportFormat.CSV:
                _write_csv(sink, header, rows)
            else:
                _write_xlsx(sink, header, rows)
            sink.seek(0)
            return sink.read()


def _write_csv(sink: IO[bytes], header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
    text = io.TextIOWrapper(sink, encoding="utf-8", newline="")
    try:
        writer = csv.writer(text)
        writer.writerow(header)
        writer.writerows([csv_text(cell) for cell in cells] for cells in rows)
        text.flush()
    finally:
        text.detach()  # the sink stays open for the caller


def _write_xlsx(sink: IO[bytes], header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    sheet.append(list(header))
    for cells in rows:
        sheet.append([_xlsx_value(cell) for cell in cells])
    workbook.save(sink)

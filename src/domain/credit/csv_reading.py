"""Reading a CSV batch file: its encoding, its header, and its records a chunk at a time.

A batch is read by several jobs, each taking up to N records from a byte offset where the last
one stopped, so no job re-reads what another read and a file of any length costs one pass.
Offsets are in bytes of the stored file and always fall at the start of a line; the csv module
reads each record, so a quoted field may hold commas, quotes and newlines. Lines end with LF or
CRLF; blank lines are not records and are skipped.

A record the csv module cannot read (a quote left open, a field longer than the module's
limit) is not the end of the file: it is reported as a bad record, and reading goes on at the
next line, so one broken row costs one row.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from attrs import frozen

from domain.errors import Problem, ValidationFailed

BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class UnreadableFile(ValidationFailed):
    """The file is not a CSV batch creditdesk can read: empty, not UTF-8, no header."""

    def __init__(self, message: str) -> None:
        super().__init__((Problem("file", message),))


@frozen
class Record:
    """One record of the file: its cells, or why it could not be read (`error`)."""

    cells: tuple[str, ...]
    error: str | None = None


@frozen
class Chunk:
    """Records read from one offset, and the offset of the first byte after them."""

    records: tuple[Record, ...]
    next_offset: int


def check_encoding(data: bytes) -> None:
    """Refuse a file that is not UTF-8 (a BOM is allowed), naming where it goes wrong."""
    if data.startswith(_UTF16_BOMS):
        raise UnreadableFile("is UTF-16; save it as UTF-8 (with or without a BOM)")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise UnreadableFile(
            f"is not UTF-8: byte 0x{data[error.start]:02x} at offset {error.start} (line {line})"
            " cannot be read; save the file as UTF-8"
        ) from None


def data_start(data: bytes) -> int:
    """The offset of the first byte after a UTF-8 byte order mark, if the file has one."""
    return len(BOM) if data.startswith(BOM) else 0


def _lines(data: bytes, start: int, consumed: list[int]) -> Iterator[str]:
    """The lines of `data` from `start`, line ends kept; `consumed[0]` follows the end of the
    last line handed out, which is where the next record starts once the reader returns."""
    end_of_data = len(data)
    position = start
    while position < end_of_data:
        newline = data.find(b"\n", position)
        end = end_of_data if newline < 0 else newline + 1
        line = data[position:end]
        position = end
        consumed[0] = end
        yield line.decode("utf-8")


def _reason(error: csv.Error) -> str:
    text = str(error)
    if "unexpected end of data" in text:
        return "a quoted field is not closed before the end of the file"
    if "field larger than field limit" in text:
        return f"a field is longer than {csv.field_size_limit():,} characters"
    if "new-line character seen in unquoted field" in text:
        return "a line ends with a lone carriage return; end lines with LF or CRLF"
    return f"cannot be read as CSV: {text}"


def read_chunk(data: bytes, offset: int, limit: int) -> Chunk:
    """Up to `limit` records starting at `offset` (a line start), and where the next begin."""
    consumed = [offset]
    lines = _lines(data, offset, consumed)
    reader = csv.reader(lines, strict=True)
    records: list[Record] = []
    while len(records) < limit:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            records.append(Record((), _reason(error)))
            reader = csv.reader(lines, strict=True)  # go on at the next line
            continue
        if cells:  # a blank line is no record
            records.append(Record(tuple(cells)))
    return Chunk(tuple(records), consumed[0])


def chunk_starts(data: bytes, offset: int, rows_per_chunk: int) -> tuple[tuple[int, int], ...]:
    """Where each chunk of up to `rows_per_chunk` records from `offset` starts, and how many
    records it holds: (offset, records) per chunk, in order, as `read_chunk` will find them.

    One pass over the file, which only splits it into records, so that every chunk can then be
    read by its own job, in any order.
    """
    if rows_per_chunk < 1:
        raise ValueError("a chunk holds at least one record")
    consumed = [offset]
    lines = _lines(data, offset, consumed)
    reader = csv.reader(lines, strict=True)
    starts: list[tuple[int, int]] = []
    start, count = offset, 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            reader = csv.reader(lines, strict=True)  # a bad record is a record, as in read_chunk
            cells = ["(bad)"]
        if not cells:
            continue
        count += 1
        if count == rows_per_chunk:
            starts.append((start, count))
            start, count = consumed[0], 0
    if count:
        starts.append((start, count))
    return tuple(starts)


def read_header(data: bytes) -> tuple[tuple[str, ...], int]:
    """The header's column names, and the offset where the first record starts.

    Raises `UnreadableFile` for an empty file (nothing but a BOM and blank lines) or a header
    the csv module cannot read.
    """
    chunk = read_chunk(data, data_start(data), 1)
    if not chunk.records:
        raise UnreadableFile("is empty: a batch starts with a header line naming its columns")
    (header,) = chunk.records
    if header.error is not None:
        raise UnreadableFile(f"has a header line that cannot be read: {header.error}")
    return header.cells, chunk.next_offset

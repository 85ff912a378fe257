"""Reading a batch file: encoding, header, and chunks that resume exactly where the last stopped,
quoted newlines and broken records included."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.csv_reading import (
    BOM,
    Record,
    UnreadableFile,
    check_encoding,
    chunk_starts,
    read_chunk,
    read_header,
)


def _all_records(data: bytes, limit: int) -> list[Record]:
    """Every record of `data` after its header, read `limit` at a time from where the last
    read stopped, and again chunk by chunk as `chunk_starts` plans them: the same both ways."""
    _header, offset = read_header(data)
    first_offset = offset
    records: list[Record] = []
    while offset < len(data):
        chunk = read_chunk(data, offset, limit)
        assert chunk.next_offset > offset
        records.extend(chunk.records)
        offset = chunk.next_offset
    planned: list[Record] = []
    for start, count in chunk_starts(data, first_offset, limit):
        assert 1 <= count <= limit
        planned.extend(read_chunk(data, start, count).records)
    assert planned == records
    return records


def test_utf8_with_or_without_a_bom_is_accepted() -> None:
    check_encoding("name\nĐorđe Šćepanović\n".encode())
    check_encoding(BOM + b"name\n")


def test_latin1_is_refused_naming_the_byte_its_offset_and_line() -> None:
    with pytest.raises(UnreadableFile) as refused:
        check_encoding("name\nJosé\n".encode("latin-1"))
    assert str(refused.value) == (
        "file: is not UTF-8: byte 0xe9 at offset 8 (line 2) cannot be read; save the file as UTF-8"
    )


def test_utf16_is_refused_as_such() -> None:
    with pytest.raises(UnreadableFile, match="is UTF-16; save it as UTF-8"):
        check_encoding("name\n".encode("utf-16"))


@pytest.mark.parametrize("data", [b"", BOM, b"\r\n\n", BOM + b"\n"])
def test_an_empty_file_has_no_header(data: bytes) -> None:
    with pytest.raises(UnreadableFile, match="is empty: a batch starts with a header line"):
        read_header(data)


def test_the_header_skips_a_bom_and_says_where_the_rows_start() -> None:
    data = BOM + b"a,b\r\n1,2\r\n"
    assert read_header(data) == (("a", "b"), len(BOM) + 5)


def test_a_header_left_open_by_a_quote_is_unreadable() -> None:
    with pytest.raises(UnreadableFile, match="header line that cannot be read"):
        read_header(b'a,"b\n1,2\n')


def test_quoted_commas_quotes_and_newlines_stay_in_their_field() -> None:
    data = b'h1,h2\r\n"Bulevar 73, stan 4","line one\r\nline ""two"""\r\nx,y\r\n'
    assert _all_records(data, 10) == [
        Record(("Bulevar 73, stan 4", 'line one\r\nline "two"')),
        Record(("x", "y")),
    ]


def test_blank_lines_are_no_records() -> None:
    assert _all_records(b"h\n\n1\n\n\n2\n\n", 10) == [Record(("1",)), Record(("2",))]


def test_a_broken_record_costs_one_record_and_reading_goes_on() -> None:
    data = b'h1,h2\n"a"b,c\nd,e\n'
    assert _all_records(data, 10) == [
        Record((), "cannot be read as CSV: ',' expected after '\"'"),
        Record(("d", "e")),
    ]


def test_a_quote_left_open_swallows_the_rest_of_the_file_as_one_bad_record() -> None:
    data = b'h1,h2\nok,1\n"open,2\nmore,3\n'
    assert _all_records(data, 10) == [
        Record(("ok", "1")),
        Record((), "a quoted field is not closed before the end of the file"),
    ]


def test_a_lone_carriage_return_is_a_bad_record() -> None:
    assert _all_records(b"h1,h2\na,b\rc,d\ne,f\n", 10) == [
        Record((), "a line ends with a lone carriage return; end lines with LF or CRLF"),
        Record(("e", "f")),
    ]


def test_a_file_without_a_final_newline_ends_with_its_last_record() -> None:
    data = b"h\n1\n2"
    assert _all_records(data, 1) == [Record(("1",)), Record(("2",))]
    assert read_chunk(data, 4, 5).next_offset == len(data)


_cells = st.text(alphabet=st.sampled_from('ab ,"\n\r\u0111'), max_size=6)


@given(st.lists(st.lists(_cells, min_size=2, max_size=2), max_size=12), st.integers(1, 5))
def test_reading_in_chunks_of_any_size_gives_every_record_once_in_order(
    rows: list[list[str]], limit: int
) -> None:
    def quoted(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"'

    lines = ["h1,h2", *(",".join(quoted(cell) for cell in row) for row in rows)]
    data = "\r\n".join(lines).encode() + b"\r\n"
    assert _all_records(data, limit) == [Record(tuple(row)) for row in rows]

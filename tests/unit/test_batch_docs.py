"""docs/batch-csv.md and samples/batch.csv say what the code does: every column documented with
its kind and whether it is required, and the sample a valid batch from its first row to its last."""

from __future__ import annotations

import re
from pathlib import Path

from domain.credit.batch_rows import read_rows
from domain.credit.csv_layout import COLUMNS, Kind, layout_of
from domain.credit.csv_reading import check_encoding, read_header
from tests.builders import TODAY

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "batch-csv.md").read_text(encoding="utf-8")
_KIND_WORDS = {
    Kind.TEXT: "text",
    Kind.DATE: "date",
    Kind.DECIMAL: "number",
    Kind.WHOLE: "whole number",
    Kind.CHOICE: "one of",
}


def _documented() -> dict[str, list[str]]:
    rows = re.findall(r"^\| `([a-z_<>]+)` \|(.*)$", DOC, flags=re.MULTILINE)
    return {name: [cell.strip() for cell in rest.split("|")] for name, rest in rows}


def test_every_column_is_documented_with_its_kind_and_whether_it_is_required() -> None:
    documented = _documented()
    assert set(documented) == {column.name for column in COLUMNS} | {"attr_<name>"}
    for column in COLUMNS:
        kind, required, example, _rule = documented[column.name][:4]
        assert kind.startswith(_KIND_WORDS[column.kind]), column.name
        assert all(f"`{choice}`" in kind for choice in column.choices), column.name
        assert required == ("required" if column.required else "optional"), column.name
        assert example == f"`{column.example}`", column.name


def test_the_sample_is_a_valid_batch() -> None:
    data = (ROOT / "samples" / "batch.csv").read_bytes()
    check_encoding(data)
    header, first_row = read_header(data)
    layout = layout_of(header)
    assert layout.attributes, "the sample shows attribute columns"
    read = read_rows(data, first_row, first_row=1, limit=1_000, today=TODAY)
    assert read.errors == ()
    assert read.rows >= 8
    assert read.next_offset == len(data)

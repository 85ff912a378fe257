"""Domain values to the `record` column and back, through the one converter.

A row keeps its domain value whole, as `adapters.serialization.converter` unstructures it, and
reads it back with the same converter; the other columns of a row are projections of that value
for the database to filter, sort and constrain on. So what is read is exactly what was stored:
offsets of timestamps, exact decimals and an audit event's hashed content included.
"""

from __future__ import annotations

from typing import Any, TypeVar

from adapters.serialization import converter

T = TypeVar("T")


def to_record(value: object) -> Any:
    """The JSON-ready form of a domain value, as the one converter writes it."""
    return converter.unstructure(value)


def from_record(data: Any, cls: type[T]) -> T:
    """The domain value stored as `data`."""
    return converter.structure(data, cls)

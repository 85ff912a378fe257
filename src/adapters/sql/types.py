"""Column types that behave the same on SQLite and PostgreSQL.

SQLite has no time zones and no exact decimals; PostgreSQL has both. These types make the two
answer alike: instants are stored as UTC (timestamptz on PostgreSQL, fixed-width UTC text on
SQLite, which sorts chronologically) and come back timezone-aware; JSON is stored as the
text written, so what is read back is exactly what was written.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Dialect, Integer, Numeric, String
from sqlalchemy.types import TypeDecorator, TypeEngine


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware instant, stored in UTC; naive datetimes are refused (they are bugs)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError("a stored instant must be timezone-aware")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


#: A JSON document, as written by the one converter. PostgreSQL's `json` (not `jsonb`) keeps
#: the text verbatim, so floats, key order and an audit event's hashed content survive intact;
#: SQLite keeps it as text.
Document: TypeEngine[Any] = JSON(none_as_null=True)


#: Exact amounts for sorting, filtering and CHECK constraints (the value itself lives in the
#: record, so no precision is lost on SQLite, which stores NUMERIC as a float here).
Amount: TypeEngine[Any] = Numeric(asdecimal=False)

#: A 64-bit counter on PostgreSQL; SQLite auto-increments only an INTEGER PRIMARY KEY.
RowId: TypeEngine[int] = BigInteger().with_variant(Integer(), "sqlite")

Id = String(64)
Key = String(200)

"""What the backup tests compare: every table of a database, as a row count and a digest.

A digest covers every column of every row, in an order that does not depend on how the
database returns them (rows are serialized as sorted JSON text and the texts sorted), so two
databases with the same fingerprints hold the same data, row for row.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sqlalchemy import URL, MetaData, select

from adapters.sql import create_engine_for

Fingerprints = dict[str, tuple[int, str]]


def fingerprints(database: str | URL | Path) -> Fingerprints:
    """Table name -> (row count, SHA-256 of the sorted rows)."""
    engine = create_engine_for(database)
    try:
        tables = MetaData()
        tables.reflect(engine)
        found: Fingerprints = {}
        with engine.connect() as connection:
            for name, table in sorted(tables.tables.items()):
                rows = sorted(
                    json.dumps(dict(row._mapping), sort_keys=True, default=str)
                    for row in connection.execute(select(table))
                )
                digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
                found[name] = (len(rows), digest)
        return found
    finally:
        engine.dispose()


def assert_same_data(restored: Fingerprints, original: Fingerprints) -> None:
    """Every table of `original`, with the same rows, and no table more; the seeded data
    really is there (a comparison of two empty databases proves nothing)."""
    assert sorted(restored) == sorted(original)
    differing = [name for name in original if restored[name] != original[name]]
    assert differing == [], differing
    assert sum(count for count, _digest in original.values()) > 100
    for name in ("applications", "audit_events", "users", "tenants"):
        assert original[name][0] > 0, name

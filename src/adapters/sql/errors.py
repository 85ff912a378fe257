"""What the database refused, in the words of the ports.

A unique key the database protects becomes `AlreadyExists` and a missing parent row
`RecordNotFound`; anything else (a CHECK constraint) is a bug in the caller and propagates.
"""

from __future__ import annotations

import enum

from sqlalchemy.exc import IntegrityError

from application.ports import AlreadyExists, RecordNotFound

_SQLITE_CODES = {
    1555: "unique",  # SQLITE_CONSTRAINT_PRIMARYKEY
    2067: "unique",  # SQLITE_CONSTRAINT_UNIQUE
    787: "foreign_key",  # SQLITE_CONSTRAINT_FOREIGNKEY
    275: "check",  # SQLITE_CONSTRAINT_CHECK
}
_POSTGRESQL_STATES = {"23505": "unique", "23503": "foreign_key", "23514": "check"}


class Violation(enum.StrEnum):
    UNIQUE = "unique"
    FOREIGN_KEY = "foreign_key"
    CHECK = "check"
    OTHER = "other"


def violation(error: IntegrityError) -> Violation:
    """Which kind of constraint the database enforced."""
    original = error.orig
    state = getattr(original, "sqlstate", None)
    if isinstance(state, str):
        return Violation(_POSTGRESQL_STATES.get(state, "other"))
    code = getattr(original, "sqlite_errorcode", None)
    if isinstance(code, int):
        return Violation(_SQLITE_CODES.get(code, "other"))
    return Violation.OTHER


def translated(error: IntegrityError, what: str) -> Exception:
    """The port's error for a write of `what` that the database refused."""
    kind = violation(error)
    if kind is Violation.UNIQUE:
        return AlreadyExists(f"{what} already exists")
    if kind is Violation.FOREIGN_KEY:
        return RecordNotFound(f"{what} refers to a tenant or application that does not exist")
    return error

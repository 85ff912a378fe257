"""The metadata every table joins, and the helpers their constraints share.

Constraint and index names follow one convention, so a migration can name what it drops and
Alembic's comparison of the migrated database with this metadata has nothing to guess.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKeyConstraint, MetaData, text

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


def quoted(values: type[StrEnum] | tuple[str, ...]) -> str:
    """`'a', 'b'` for an IN list of literal values."""
    return ", ".join(f"'{value}'" for value in values)


def one_of(column: str, values: type[StrEnum], name: str | None = None) -> CheckConstraint:
    """The column holds one of the enum's values, and nothing else."""
    return CheckConstraint(f"{column} IN ({quoted(values)})", name=name or f"{column}_known")


def partial(condition: str) -> dict[str, Any]:
    """The keyword arguments of an `Index` that covers only the rows meeting `condition`."""
    return {"postgresql_where": text(condition), "sqlite_where": text(condition)}


def of_application() -> ForeignKeyConstraint:
    """The (tenant_id, application_id) reference every record about one application carries."""
    return ForeignKeyConstraint(
        ["tenant_id", "application_id"], ["applications.tenant_id", "applications.id"]
    )

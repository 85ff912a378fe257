"""Helpers the migration scripts share to spell tables the way the schema names things.

Only stable spellings live here (names, frozen column types); a script's tables, columns and
values are written out in the script itself, so that it keeps meaning what it meant.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

# The column types as the first revision spelled them. A later revision that changes a type
# spells the new one itself: a migration must mean tomorrow what it means today.
ID = sa.String(64)
KEY = sa.String(200)
INSTANT = sa.DateTime(timezone=True)
DOCUMENT = sa.JSON(none_as_null=True)
AMOUNT = sa.Numeric(asdecimal=False)
ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def one_of(table: str, column: str, *values: str) -> sa.CheckConstraint:
    listed = ", ".join(f"'{value}'" for value in values)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=op.f(f"ck_{table}_{column}_known"))


def check(table: str, name: str, sql: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(sql, name=op.f(f"ck_{table}_{name}"))


def pk(table: str, *columns: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint(*columns, name=op.f(f"pk_{table}"))


def fk(table: str, columns: list[str], parent: str, parent_columns: list[str]) -> Any:
    remote = [f"{parent}.{column}" for column in parent_columns]
    name = op.f(f"fk_{table}_{'_'.join(columns)}_{parent}")
    return sa.ForeignKeyConstraint(columns, remote, name=name)


def tenant_fk(table: str) -> Any:
    return fk(table, ["tenant_id"], "tenants", ["id"])


def application_fk(table: str) -> Any:
    return fk(table, ["tenant_id", "application_id"], "applications", ["tenant_id", "id"])


def col(name: str, type_: Any, *, null: bool = False, **options: Any) -> sa.Column[Any]:
    return sa.Column(name, type_, nullable=null, **options)


def index(table: str, name: str, *columns: str, where: str | None = None, **kw: Any) -> None:
    if where is not None:
        kw.update(postgresql_where=sa.text(where), sqlite_where=sa.text(where))
    op.create_index(name, table, list(columns), **kw)

"""Claims of periodic jobs' slots in SQL: the primary key (job, slot) decides who runs a slot.

Each claim is its own short transaction, committed before the job starts, outside any unit of
work: the job itself spans many transactions (one per tenant, one per case). Two schedulers
inserting the same key at once: on PostgreSQL the second insert waits for the first to commit,
then `ON CONFLICT DO NOTHING` inserts nothing; on SQLite the inserts take the write lock in
turn. Either way exactly one sees its row inserted.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, delete

from adapters.sql.schema import schedule_claims
from adapters.sql.transaction import Transaction
from application.credit.ports.schedules import ScheduleClaims
from application.ports import AlreadyExists

_c = schedule_claims.c


class SqlScheduleClaims:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def claim(self, job: str, slot: datetime, *, holder: str, at: datetime) -> bool:
        row = {"job": job, "slot": slot, "holder": holder, "claimed_at": at}
        with self._engine.connect() as connection:
            db = Transaction(connection)
            try:
                db.insert_new(schedule_claims, row, f"the claim of {job} at {slot.isoformat()}")
            except AlreadyExists:
                db.rollback()
                return False
            db.commit()
            return True

    def forget_before(self, slot: datetime) -> int:
        with self._engine.connect() as connection:
            db = Transaction(connection)
            removed = db.write().execute(delete(schedule_claims).where(_c.slot < slot)).rowcount
            db.commit()
            return int(removed)


def _conforms(engine: Engine) -> ScheduleClaims:
    """mypy checks here that the adapter satisfies its port."""
    return SqlScheduleClaims(engine)

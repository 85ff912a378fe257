"""Specs and suites of the test-generation context, as plain columns."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from adapters.sql.schema.testgen import testgen_specs, testgen_suites
from adapters.sql.transaction import Transaction
from application.testgen.ports import StoredSpec, StoredSuite
from application.testgen.views import ORIGINS, Origin
from domain.testgen.changes import SuiteChanges

_p = testgen_specs.c
_s = testgen_suites.c


def _origin(value: str) -> Origin:
    return next(origin for origin in ORIGINS if origin == value)


class SqlSpecRepository:
    def __init__(self, db: Transaction) -> None:
        self._db = db

    def add(self, spec: StoredSpec) -> None:
        values = {
            "tenant_id": spec.tenant_id,
            "spec_hash": spec.spec_hash,
            "title": spec.title,
            "version": spec.version,
            "document": dict(spec.document),
            "origin": spec.origin,
            "source": spec.source,
            "created_at": spec.created_at,
            "created_by": spec.created_by,
        }
        self._db.insert_new(testgen_specs, values, f"spec {spec.spec_hash}")

    def get(self, tenant_id: str, spec_hash: str) -> StoredSpec | None:
        statement = select(testgen_specs).where(
            _p.tenant_id == tenant_id, _p.spec_hash == spec_hash
        )
        row = self._db.execute(statement).first()
        if row is None:
            return None
        return StoredSpec(
            tenant_id=row.tenant_id,
            spec_hash=row.spec_hash,
            title=row.title,
            version=row.version,
            document=row.document,
            origin=_origin(row.origin),
            source=row.source,
            created_at=row.created_at,
            created_by=row.created_by,
        )


def _changes_json(suite: StoredSuite) -> dict[str, list[str]] | None:
    """The changes by case id, and the removed tests' function names beside them."""
    changes = suite.changes
    if changes is None:
        return None
    return {
        "new": list(changes.new),
        "changed": list(changes.changed),
        "removed": list(changes.removed),
        "removed_names": list(suite.removed),
    }


def _changes(data: Any) -> tuple[SuiteChanges | None, tuple[str, ...]]:
    if data is None:
        return None, ()
    changes = SuiteChanges(
        new=tuple(data["new"]), changed=tuple(data["changed"]), removed=tuple(data["removed"])
    )
    return changes, tuple(data["removed_names"])


_SUITES: Select[Any] = select(testgen_suites, _p.origin, _p.source).join(
    testgen_specs, (_p.tenant_id == _s.tenant_id) & (_p.spec_hash == _s.spec_hash)
)


def _suite(row: Any) -> StoredSuite:
    changes, removed = _changes(row.changes)
    return StoredSuite(
        tenant_id=row.tenant_id,
        id=row.id,
        spec_hash=row.spec_hash,
        title=row.title,
        api_version=row.api_version,
        origin=_origin(row.origin),
        source=row.source,
        previous_id=row.previous_id,
        changes=changes,
        cases=row.cases,
        created_at=row.created_at,
        created_by=row.created_by,
        removed=removed,
    )


class SqlSuiteRepository:
    def __init__(self, db: Transaction) -> None:
        self._db = db

    def add(self, suite: StoredSuite) -> None:
        values = {
            "tenant_id": suite.tenant_id,
            "id": suite.id,
            "spec_hash": suite.spec_hash,
            "title": suite.title,
            "api_version": suite.api_version,
            "previous_id": suite.previous_id,
            "changes": _changes_json(suite),
            "cases": suite.cases,
            "created_at": suite.created_at,
            "created_by": suite.created_by,
        }
        self._db.insert_new(testgen_suites, values, f"suite {suite.id}")

    def _one(self, statement: Select[Any]) -> StoredSuite | None:
        row = self._db.execute(statement).first()
        return None if row is None else _suite(row)

    def get(self, tenant_id: str, suite_id: str) -> StoredSuite | None:
        return self._one(_SUITES.where(_s.tenant_id == tenant_id, _s.id == suite_id))

    def lock(self, tenant_id: str, suite_id: str) -> StoredSuite | None:
        self._db.write()  # on SQLite, the database's write lock
        statement = _SUITES.where(_s.tenant_id == tenant_id, _s.id == suite_id)
        if self._db.is_postgresql:
            statement = statement.with_for_update(of=testgen_suites)
        return self._one(statement)

    def of_spec(self, tenant_id: str, spec_hash: str) -> StoredSuite | None:
        return self._one(_SUITES.where(_s.tenant_id == tenant_id, _s.spec_hash == spec_hash))

    def latest_of_title(self, tenant_id: str, title: str) -> StoredSuite | None:
        statement = (
            _SUITES.where(_s.tenant_id == tenant_id, _s.title == title)
            .order_by(_s.created_at.desc(), _s.id.desc())
            .limit(1)
        )
        return self._one(statement)

    def list(self, tenant_id: str) -> list[StoredSuite]:
        statement = _SUITES.where(_s.tenant_id == tenant_id).order_by(
            _s.created_at.desc(), _s.id.desc()
        )
        return [_suite(row) for row in self._db.execute(statement)]

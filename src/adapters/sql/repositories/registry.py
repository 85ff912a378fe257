"""The model registry's versions: their stage, and which one is the tenant's champion."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select, update

from adapters.sql.records import from_record, to_record
from adapters.sql.schema import model_versions
from adapters.sql.transaction import Transaction
from domain.credit.model_registry import ModelStage, ModelVersion

_m = model_versions.c


def to_row(version: ModelVersion) -> dict[str, Any]:
    return {
        "tenant_id": version.tenant_id,
        "version": version.version,
        "stage": version.stage.value,
        "created_at": version.created_at,
        "record": to_record(version),
    }


def _what(version: ModelVersion) -> str:
    """How errors name the row: a champion can clash with the tenant's other champion."""
    role = "as champion" if version.stage is ModelStage.CHAMPION else "of"
    return f"model version {version.version} {role} tenant {version.tenant_id}"


def _newest_first(tenant_id: str) -> Select[tuple[Any]]:
    return (
        select(_m.record)
        .where(_m.tenant_id == tenant_id)
        .order_by(_m.created_at.desc(), _m.version.desc())
    )


class SqlModelRegistry:
    def __init__(self, db: Transaction) -> None:
        self._db = db

    def add(self, version: ModelVersion) -> None:
        self._db.insert_new(model_versions, to_row(version), _what(version))

    def get(self, tenant_id: str, version: str) -> ModelVersion | None:
        record = self._db.execute(
            select(_m.record).where(_m.tenant_id == tenant_id, _m.version == version)
        ).scalar_one_or_none()
        return None if record is None else from_record(record, ModelVersion)

    def update(self, version: ModelVersion) -> None:
        values = to_row(version)
        del values["tenant_id"], values["version"]
        statement = (
            update(model_versions)
            .where(_m.tenant_id == version.tenant_id, _m.version == version.version)
            .values(**values)
        )
        self._db.update_existing(statement, _what(version))

    def champion(self, tenant_id: str) -> ModelVersion | None:
        found = self._read(_newest_first(tenant_id).where(_m.stage == ModelStage.CHAMPION.value))
        return found[0] if found else None

    def challengers(self, tenant_id: str) -> list[ModelVersion]:
        return self._read(_newest_first(tenant_id).where(_m.stage == ModelStage.CHALLENGER.value))

    def _read(self, statement: Select[tuple[Any]]) -> list[ModelVersion]:
        return [
            from_record(record, ModelVersion) for record in self._db.execute(statement).scalars()
        ]

    def list(self, tenant_id: str) -> list[ModelVersion]:
        return self._read(_newest_first(tenant_id))

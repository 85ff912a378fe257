"""Routing-policy versions, their review, and which one is in force."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from adapters.sql.records import from_record, to_record
from adapters.sql.schema import active_policies, policy_versions
from adapters.sql.transaction import Transaction
from application.ports import RecordNotFound
from domain.credit.policy_versions import PolicyVersion
from domain.credit.routing import RoutingPolicy

_v = policy_versions.c
_active = active_policies.c


def to_row(version: PolicyVersion) -> dict[str, Any]:
    return {
        "tenant_id": version.tenant_id,
        "version": version.version,
        "status": version.status.value,
        "proposed_by": version.proposed_by,
        "proposed_at": version.proposed_at,
        "record": to_record(version),
    }


class SqlRoutingPolicyRepository:
    def __init__(self, db: Transaction) -> None:
        self._db = db

    def add(self, version: PolicyVersion) -> None:
        what = f"routing policy version {version.version} of tenant {version.tenant_id}"
        self._db.insert_new(policy_versions, to_row(version), what)

    def get(self, tenant_id: str, version: int) -> PolicyVersion | None:
        record = self._db.execute(
            select(_v.record).where(_v.tenant_id == tenant_id, _v.version == version)
        ).scalar_one_or_none()
        return None if record is None else from_record(record, PolicyVersion)

    def update(self, version: PolicyVersion) -> None:
        values = to_row(version)
        del values["tenant_id"], values["version"]
        statement = (
            update(policy_versions)
            .where(_v.tenant_id == version.tenant_id, _v.version == version.version)
            .values(**values)
        )
        self._db.update_existing(statement, f"routing policy version {version.version}")

    def versions(self, tenant_id: str) -> list[PolicyVersion]:
        records = self._db.execute(
            select(_v.record).where(_v.tenant_id == tenant_id).order_by(_v.version.desc())
        ).scalars()
        return [from_record(record, PolicyVersion) for record in records]

    def active(self, tenant_id: str) -> RoutingPolicy | None:
        record = self._db.execute(
            select(_v.record)
            .join(
                active_policies,
                (_active.tenant_id == _v.tenant_id) & (_active.version == _v.version),
            )
            .where(_active.tenant_id == tenant_id)
        ).scalar_one_or_none()
        return None if record is None else from_record(record, PolicyVersion).policy

    def activate(self, tenant_id: str, version: int) -> None:
        if self.get(tenant_id, version) is None:
            raise RecordNotFound(f"routing policy version {version} does not exist")
        self._db.upsert(
            active_policies, {"tenant_id": tenant_id, "version": version}, ("tenant_id",)
        )

"""Challengers' shadow scores: append-only, one per (tenant, application, model version)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select

from adapters.sql.records import from_record, to_record
from adapters.sql.schema import shadow_scores
from adapters.sql.transaction import Transaction
from domain.credit.scoring import ShadowScore

_s = shadow_scores.c


def to_row(shadow: ShadowScore) -> dict[str, Any]:
    return {
        "tenant_id": shadow.tenant_id,
        "application_id": shadow.application_id,
        "model_version": shadow.model.model_version,
        "champion_version": shadow.champion_version,
        "scored_at": shadow.scored_at,
        "probability_of_default": shadow.model.probability_of_default,
        "score": shadow.model.score,
        "record": to_record(shadow),
    }


class SqlShadowScoreRepository:
    def __init__(self, db: Transaction) -> None:
        self._db = db

    def add(self, shadow: ShadowScore) -> None:
        what = (
            f"a shadow score of application {shadow.application_id} "
            f"by model version {shadow.model.model_version}"
        )
        self._db.insert_new(shadow_scores, to_row(shadow), what)

    def add_many(self, shadows: Sequence[ShadowScore]) -> None:
        self._db.insert_many_new(
            shadow_scores,
            [to_row(shadow) for shadow in shadows],
            lambda row: (
                f"a shadow score of application {row['application_id']} "
                f"by model version {row['model_version']}"
            ),
        )

    def for_application(self, tenant_id: str, application_id: str) -> list[ShadowScore]:
        return self._read(
            select(_s.record)
            .where(_s.tenant_id == tenant_id, _s.application_id == application_id)
            .order_by(_s.scored_at, _s.model_version)
        )

    def for_model(self, tenant_id: str, model_version: str, *, limit: int) -> list[ShadowScore]:
        if limit <= 0:
            return []
        return self._read(
            select(_s.record)
            .where(_s.tenant_id == tenant_id, _s.model_version == model_version)
            .order_by(_s.scored_at.desc(), _s.application_id)
            .limit(limit)
        )

    def _read(self, statement: Select[tuple[Any]]) -> list[ShadowScore]:
        return [
            from_record(record, ShadowScore) for record in self._db.execute(statement).scalars()
        ]

"""Scoring results: append-only evidence, the latest one mirrored on its application."""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, or_, select, update

from adapters.sql.records import from_record, to_record
from adapters.sql.schema import applications, scoring_results
from adapters.sql.transaction import Transaction
from application.credit.queries import SimilarCase
from domain.credit.features import Features
from domain.credit.scoring import ScoringResult
from domain.credit.status import ApplicationStatus

_r = scoring_results.c
_a = applications.c

#: The features `similar` measures, with the factor each is scaled by.
SIMILARITY_FEATURES: tuple[tuple[str, float], ...] = (
    ("debt_to_income", 1.0),
    ("payment_to_income", 1.0),
    ("loan_to_income", 1.0),
    ("savings_ratio", 1.0),
    ("existing_debt_ratio", 1.0),
    ("employment_stability", 0.1),
)
_DECIDED = (ApplicationStatus.APPROVED.value, ApplicationStatus.DECLINED.value)


def to_row(result: ScoringResult) -> dict[str, Any]:
    features = result.features
    return {
        "tenant_id": result.tenant_id,
        "application_id": result.application_id,
        "model_version": result.model.model_version,
        "policy_version": result.routing.policy_version,
        "scored_at": result.scored_at,
        "score": result.model.score,
        "probability_of_default": result.model.probability_of_default,
        "routing_outcome": result.routing.outcome.value,
        **{name: float(getattr(features, name)) for name, _scale in SIMILARITY_FEATURES},
        "record": to_record(result),
    }


def _newest(column: ColumnElement[Any]) -> ScalarSelect[Any]:
    """`column` of the application's newest result (the latest `scored_at`, then the last
    added), for an UPDATE of the application."""
    return (
        select(column)
        .where(_r.tenant_id == _a.tenant_id, _r.application_id == _a.id)
        .order_by(_r.scored_at.desc(), _r.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def distance(features: Features, other: dict[str, float]) -> float:
    """Euclidean distance over the similarity features, each scaled."""
    return math.sqrt(
        math.fsum(
            ((float(getattr(features, name)) - other[name]) * scale) ** 2
            for name, scale in SIMILARITY_FEATURES
        )
    )


class SqlScoringResultRepository:
    def __init__(self, db: Transaction) -> None:
        self._db = db

    def add(self, result: ScoringResult) -> None:
        what = f"a scoring result of application {result.application_id}"
        result_id = self._db.insert(scoring_results, to_row(result), what)
        # The newest result (the last added among equals) is the application's score.
        self._db.write().execute(
            update(applications)
            .where(
                _a.tenant_id == result.tenant_id,
                _a.id == result.application_id,
                or_(_a.scored_at.is_(None), _a.scored_at <= result.scored_at),
            )
            .values(
                score=result.model.score, scored_at=result.scored_at, latest_result_id=result_id
            )
        )

    def add_many(self, results: Sequence[ScoringResult]) -> None:
        """The results in one executemany, then one UPDATE of their applications' scores.

        `add` one by one leaves on each application its newest result (the last added among
        equals), which is what the UPDATE reads back from the table, by the index of
        `latest`, for every application at once.
        """
        if not results:
            return
        what = f"{len(results)} scoring results"
        self._db.insert_many(scoring_results, [to_row(result) for result in results], what)
        scored: dict[str, set[str]] = {}
        for result in results:
            scored.setdefault(result.tenant_id, set()).add(result.application_id)
        for tenant_id, application_ids in scored.items():
            self._db.write().execute(
                update(applications)
                .where(_a.tenant_id == tenant_id, _a.id.in_(sorted(application_ids)))
                .values(
                    score=_newest(_r.score),
                    scored_at=_newest(_r.scored_at),
                    latest_result_id=_newest(_r.id),
                )
            )

    def latest(self, tenant_id: str, application_id: str) -> ScoringResult | None:
        return self._newest(_r.tenant_id == tenant_id, _r.application_id == application_id)

    def for_model(
        self, tenant_id: str, application_id: str, model_version: str
    ) -> ScoringResult | None:
        return self._newest(
            _r.tenant_id == tenant_id,
            _r.application_id == application_id,
            _r.model_version == model_version,
        )

    def for_model_many(
        self, tenant_id: str, application_ids: Collection[str], model_version: str
    ) -> dict[str, ScoringResult]:
        if not application_ids:
            return {}
        records = self._db.execute(
            select(_r.record)
            .where(
                _r.tenant_id == tenant_id,
                _r.application_id.in_(list(application_ids)),
                _r.model_version == model_version,
            )
            .order_by(_r.scored_at, _r.id)
        ).scalars()
        # Oldest first, so each application keeps its newest result.
        found = (from_record(record, ScoringResult) for record in records)
        return {result.application_id: result for result in found}

    def similar(
        self, tenant_id: str, features: Features, *, exclude_application_id: str, limit: int
    ) -> list[SimilarCase]:
        if limit <= 0:
            return []
        terms = [
            (_r[name] - float(getattr(features, name))) * scale
            for name, scale in SIMILARITY_FEATURES
        ]
        squared = functools.reduce(operator.add, (term * term for term in terms))
        rows = self._db.execute(
            select(
                _a.id,
                _a.external_id,
                _a.status,
                _r.score,
                *(_r[name] for name, _scale in SIMILARITY_FEATURES),
            )
            .join(scoring_results, _r.id == _a.latest_result_id)
            .where(
                _a.tenant_id == tenant_id,
                _a.status.in_(_DECIDED),
                _a.id != exclude_application_id,
            )
            .order_by(squared, _a.id)
            .limit(limit)
        ).all()
        found = [
            SimilarCase(
                application_id=row.id,
                external_id=row.external_id,
                status=ApplicationStatus(row.status),
                score=row.score,
                distance=distance(features, row._asdict()),
            )
            for row in rows
        ]
        return sorted(found, key=lambda case: (case.distance, case.application_id))

    def _newest(self, *conditions: ColumnElement[bool]) -> ScoringResult | None:
        record = self._db.execute(
            select(_r.record)
            .where(*conditions)
            .order_by(_r.scored_at.desc(), _r.id.desc())
            .limit(1)
        ).scalar_one_or_none()
        return None if record is None else from_record(record, ScoringResult)

"""The model-serving surface: predict for one form or a batch, and describe a model.

A prediction is a what-if: it scores a form without storing an application, routing it or
deciding anything (that is `ScoreApplication`), so a lender can price a quote, backtest a batch
or see how a model reads an applicant. It uses the tenant's champion unless a registered
version is named, and explains itself as a decision would: the reasons a decline would cite
(`reasons.adverse_action_reasons`) and the factors in plain words, both ways
(`factors.principal_factors`).
"""

from __future__ import annotations

from collections.abc import Sequence

from attrs import field, frozen

from application.credit.model_promotions import load_model
from application.credit.ports import ModelLoader, ServingModel, UnitOfWork
from application.errors import NoChampion
from domain.credit.application import ApplicationForm
from domain.credit.factors import Factor, principal_factors
from domain.credit.model_registry import ModelVersion
from domain.credit.reasons import (
    DEFAULT_REASON_CODES,
    AdverseReason,
    ReasonCodeTable,
    adverse_action_reasons,
)
from domain.credit.scoring import ModelScore, RiskBands, RiskCategory
from domain.errors import Problem, ValidationFailed
from domain.identity import Permission, Principal, authorize

#: The most forms one batch request may carry.
MAX_BATCH = 10_000


@frozen
class Prediction:
    """A model's reading of one form: its score, and why, in codes and in words."""

    score: ModelScore
    risk_category: RiskCategory
    reasons: tuple[AdverseReason, ...]
    factors: tuple[Factor, ...]
    strengths: tuple[Factor, ...]


@frozen
class ModelDescription:
    """What the registry knows of a version and what the model itself says it reads."""

    version: ModelVersion
    feature_names: tuple[str, ...]
    importance: tuple[tuple[str, float], ...]


def _serving(
    uow: UnitOfWork, models: ModelLoader, tenant_id: str, version: str | None
) -> tuple[ModelVersion, ServingModel]:
    with uow:
        if version is None:
            record = uow.models.champion(tenant_id)
            if record is None:
                raise NoChampion()
        else:
            record = load_model(uow, tenant_id, version)
    return record, models.load(record)


@frozen
class Predict:
    """Score forms with the champion (or a named version); store and decide nothing."""

    uow: UnitOfWork
    models: ModelLoader
    reason_codes: ReasonCodeTable = DEFAULT_REASON_CODES
    risk_bands: RiskBands = field(factory=RiskBands)
    factor_limit: int = 4

    def one(
        self, principal: Principal, form: ApplicationForm, *, version: str | None = None
    ) -> Prediction:
        return self.batch(principal, [form], version=version)[0]

    def batch(
        self,
        principal: Principal,
        forms: Sequence[ApplicationForm],
        *,
        version: str | None = None,
        explain: bool = True,
    ) -> list[Prediction]:
        """Every form's prediction, in order; `explain=False` leaves out the factors (faster
        on large batches; the reasons are always given)."""
        authorize(principal, Permission.APPLICATION_SCORE)
        if not forms or len(forms) > MAX_BATCH:
            raise ValidationFailed(
                (Problem("forms", f"a batch holds 1 to {MAX_BATCH:,} forms, not {len(forms):,}"),)
            )
        _record, model = _serving(self.uow, self.models, principal.tenant_id, version)
        return [
            self._predict(model, form, score, explain)
            for form, score in zip(forms, model.score_batch(forms), strict=True)
        ]

    def _predict(
        self, model: ServingModel, form: ApplicationForm, score: ModelScore, explain: bool
    ) -> Prediction:
        contributions = score.contribution_map()
        factors: tuple[Factor, ...] = ()
        strengths: tuple[Factor, ...] = ()
        if explain:
            readings = model.readings(form)
            factors, strengths = (
                principal_factors(
                    contributions,
                    readings,
                    self.reason_codes,
                    limit=self.factor_limit,
                    toward_default=toward,
                )
                for toward in (True, False)
            )
        return Prediction(
            score=score,
            risk_category=self.risk_bands.categorize(score.probability_of_default),
            reasons=adverse_action_reasons(contributions, self.reason_codes),
            factors=factors,
            strengths=strengths,
        )


@frozen
class DescribeModel:
    """Model information and feature importance, of the champion or a named version."""

    uow: UnitOfWork
    models: ModelLoader

    def __call__(self, principal: Principal, version: str | None = None) -> ModelDescription:
        authorize(principal, Permission.ANALYTICS_VIEW)
        record, model = _serving(self.uow, self.models, principal.tenant_id, version)
        importance = sorted(model.feature_importance().items(), key=lambda p: (-p[1], p[0]))
        return ModelDescription(record, model.feature_names, tuple(importance))

"""`/api/v1/models` and `/api/v1/monitoring`: the model registry, what-if predictions, and the
champion's drift and data quality.

A version moves between stages four eyes at a time: one administrator asks (`promote`), another
approves or rejects. A prediction scores forms without storing or deciding anything. The
permission of each route is the one its use case checks: the registry and monitoring runs are
config:manage, reading a model and its reports analytics:view, predicting application:score.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

from attrs import frozen
from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, SkipValidation

from adapters.serialization import structure, unstructure
from application.credit.model_promotions import (
    ApprovePromotion,
    ListModels,
    RejectPromotion,
    RequestPromotion,
)
from application.credit.model_serving import MAX_BATCH, DescribeModel, ModelDescription, Predict
from application.credit.monitor_model import ListMonitoringReports, MonitorModel
from domain.credit.application import ApplicationForm
from domain.credit.model_registry import ModelStage
from domain.credit.validation import problems
from domain.errors import Problem, ValidationFailed
from domain.identity import Permission
from entrypoints.http.auth import AppDeps, CurrentPrincipal, requires
from entrypoints.http.openapi_docs import DocumentedJSON, UpTo100, also_answers

BASE = "/api/v1/models"
_P = Permission

if TYPE_CHECKING:
    FormBatch: TypeAlias = Any
else:
    #: Parsed JSON, documented as a list of 1 to `MAX_BATCH` forms (as `DocumentedJSON`).
    FormBatch = Annotated[
        SkipValidation[list[ApplicationForm]],
        Body(media_type=RequestEncodingType.JSON, min_items=1, max_items=MAX_BATCH),
    ]


@frozen
class PromotionAsked:
    target: ModelStage
    reason: str


@frozen
class PromotionRejected:
    comment: str


def acceptable_forms(
    forms: Sequence[ApplicationForm], today: date, *, indexed: bool
) -> Sequence[ApplicationForm]:
    """`forms` when intake would accept each; otherwise a 422 listing every problem of every
    form (`[2].loan.term_months` in a batch), as intake lists them. A model scores only a form
    intake would take: a term of 0 months or incomes in two currencies have no score."""
    found = [
        Problem(f"[{index}].{problem.path}" if indexed else problem.path, problem.message)
        for index, form in enumerate(forms)
        for problem in problems(form, today)
    ]
    if found:
        raise ValidationFailed(tuple(found))
    return forms


def description_json(described: ModelDescription, *, importance: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model": unstructure(described.version),
        "feature_names": list(described.feature_names),
    }
    if importance:
        body["importance"] = [
            {"feature": name, "importance": value} for name, value in described.importance
        ]
    return body


class ModelsController(Controller):
    path = BASE
    tags = ["models"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @get(summary="Every model version of the tenant", operation_id="listModels",
         sync_to_thread=True, **requires(_P.CONFIG_MANAGE))  # fmt: skip
    def list_models(self, deps: AppDeps, principal: CurrentPrincipal) -> dict[str, Any]:
        return {"items": [unstructure(model) for model in ListModels(deps.uow())(principal)]}

    @get("/champion/info", summary="The champion and the features it reads",
         operation_id="describeChampion", sync_to_thread=True,
         **requires(_P.ANALYTICS_VIEW))  # fmt: skip
    def champion(self, deps: AppDeps, principal: CurrentPrincipal) -> dict[str, Any]:
        described = DescribeModel(deps.uow(), deps.models)(principal)
        return description_json(described, importance=True)

    @get("/{version:str}", summary="One model version", operation_id="getModel",
         sync_to_thread=True, **requires(_P.ANALYTICS_VIEW))  # fmt: skip
    def model(
        self, deps: AppDeps, principal: CurrentPrincipal, version: FromPath[str]
    ) -> dict[str, Any]:
        described = DescribeModel(deps.uow(), deps.models)(principal, version)
        return description_json(described, importance=False)

    @get("/{version:str}/importance", summary="A model's feature importance",
         operation_id="getModelImportance", sync_to_thread=True,
         **requires(_P.ANALYTICS_VIEW))  # fmt: skip
    def importance(
        self, deps: AppDeps, principal: CurrentPrincipal, version: FromPath[str]
    ) -> dict[str, Any]:
        described = DescribeModel(deps.uow(), deps.models)(principal, version)
        return description_json(described, importance=True)

    @post("/{version:str}/promote", summary="Ask to move a version to another stage",
          operation_id="requestPromotion", status_code=202, sync_to_thread=True,
          **requires(_P.CONFIG_MANAGE))  # fmt: skip
    def promote(
        self,
        deps: AppDeps,
        principal: CurrentPrincipal,
        version: FromPath[str],
        data: DocumentedJSON[PromotionAsked],
    ) -> dict[str, Any]:
        asked = structure(data, PromotionAsked)
        requested = RequestPromotion(deps.uow(), deps.clock, deps.ids)(
            principal, version, asked.target, asked.reason
        )
        body: dict[str, Any] = unstructure(requested)
        return body

    @post("/{version:str}/approve-promotion", summary="Approve the requested move",
          operation_id="approvePromotion", status_code=200, sync_to_thread=True,
          **requires(_P.CONFIG_MANAGE))  # fmt: skip
    def approve(
        self, deps: AppDeps, principal: CurrentPrincipal, version: FromPath[str]
    ) -> dict[str, Any]:
        moved = ApprovePromotion(deps.uow(), deps.clock, deps.ids)(principal, version)
        body: dict[str, Any] = unstructure(moved)
        return body

    @post("/{version:str}/reject-promotion", summary="Reject the requested move",
          operation_id="rejectPromotion", status_code=200, sync_to_thread=True,
          **requires(_P.CONFIG_MANAGE))  # fmt: skip
    def reject(
        self,
        deps: AppDeps,
        principal: CurrentPrincipal,
        version: FromPath[str],
        data: DocumentedJSON[PromotionRejected],
    ) -> dict[str, Any]:
        comment = structure(data, PromotionRejected).comment
        rejected = RejectPromotion(deps.uow(), deps.clock, deps.ids)(principal, version, comment)
        body: dict[str, Any] = unstructure(rejected)
        return body

    @post("/predict", summary="Score one form (what-if: nothing is stored)",
          operation_id="predict", status_code=200, sync_to_thread=True,
          **requires(_P.APPLICATION_SCORE))  # fmt: skip
    def predict(
        self,
        deps: AppDeps,
        principal: CurrentPrincipal,
        data: DocumentedJSON[ApplicationForm],
        version: FromQuery[str | None] = None,
    ) -> dict[str, Any]:
        form = structure(data, ApplicationForm)
        acceptable_forms([form], deps.clock.now().date(), indexed=False)
        body: dict[str, Any] = unstructure(
            Predict(deps.uow(), deps.models).one(principal, form, version=version)
        )
        return body

    @post("/predict/batch", summary="Score a list of forms (what-if: nothing is stored)",
          operation_id="predictBatch", status_code=200, sync_to_thread=True,
          # MAX_BATCH forms of long text can pass the server's body limit: 413 says so.
          **also_answers(requires(_P.APPLICATION_SCORE), 413))  # fmt: skip
    def predict_batch(
        self,
        deps: AppDeps,
        principal: CurrentPrincipal,
        data: FormBatch,
        version: FromQuery[str | None] = None,
        explain: FromQuery[bool] = True,
    ) -> dict[str, Any]:
        forms = structure(data, list[ApplicationForm])
        acceptable_forms(forms, deps.clock.now().date(), indexed=True)
        found = Predict(deps.uow(), deps.models).batch(
            principal, forms, version=version, explain=explain
        )
        return {"items": [unstructure(prediction) for prediction in found]}


class MonitoringController(Controller):
    path = "/api/v1/monitoring"
    tags = ["monitoring"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @get("/reports", summary="The latest drift and data quality reports",
         operation_id="listMonitoringReports", sync_to_thread=True,
         **requires(_P.ANALYTICS_VIEW))  # fmt: skip
    def reports(
        self, deps: AppDeps, principal: CurrentPrincipal, limit: UpTo100 = 20
    ) -> dict[str, Any]:
        found = ListMonitoringReports(deps.uow())(principal, limit=limit)
        return {"items": [unstructure(report) for report in found]}

    @post("/check", summary="Monitor the champion now", operation_id="runMonitoring",
          status_code=201, sync_to_thread=True, **requires(_P.CONFIG_MANAGE))  # fmt: skip
    def check(self, deps: AppDeps, principal: CurrentPrincipal) -> dict[str, Any]:
        report = MonitorModel(deps.uow(), deps.models, deps.clock, deps.ids)(principal)
        body: dict[str, Any] = unstructure(report)
        return body

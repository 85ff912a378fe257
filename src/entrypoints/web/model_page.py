"""The models page: the registry's versions with their evaluation metrics, the champion's
feature importance as a chart, and promotion four eyes at a time.

It reads through the use cases of `/api/v1/models`: everyone who may see analytics sees the
champion (`DescribeModel`); those who manage configuration see every version (`ListModels`)
and get the controls to request, approve or reject a move, which the page's script sends to
the API. The feature importance is drawn here from the model's numbers; the evaluation
report's plots are the trainer's own images, which the browser loads from the API
(`/api/v1/models/{version}/report/{name}`) with the session's cookie: the champion's for
everyone, and each version's for those who manage configuration.
"""

from __future__ import annotations

from typing import Any

from attrs import frozen
from litestar import Controller, get

from application.credit.model_promotions import ListModels
from application.credit.model_serving import DescribeModel, ModelDescription
from application.errors import NoChampion
from domain.credit.model_registry import ALLOWED_MOVES, ModelStage, ModelVersion
from domain.identity import Permission, Principal, can
from entrypoints.composition import Deps
from entrypoints.http.auth import AppDeps, CurrentPrincipal
from entrypoints.web.guards import page
from entrypoints.web.layout import page_context
from entrypoints.web.model_report_view import report_view
from entrypoints.web.rendering import render

#: The metrics a trained model records, in the order and with the names a reader expects.
METRIC_LABELS = (
    ("auc", "AUC"),
    ("gini", "Gini"),
    ("ks", "KS"),
    ("brier", "Brier score"),
    ("default_rate", "Default rate"),
    ("rows", "Training rows"),
)
_KNOWN = dict(METRIC_LABELS)


@frozen
class MetricCell:
    name: str
    label: str
    text: str


def metric_cells(version: ModelVersion) -> list[MetricCell]:
    """The version's metrics, known ones first in a fixed order, counts as whole numbers."""
    values = dict(version.metrics)
    names = [n for n, _ in METRIC_LABELS if n in values] + sorted(set(values) - set(_KNOWN))
    return [
        MetricCell(n, _KNOWN.get(n, n), f"{values[n]:,.0f}" if n == "rows" else f"{values[n]:.3f}")
        for n in names
    ]


@frozen
class Bar:
    label: str
    value: float
    y: float
    width: float


@frozen
class BarChart:
    bars: tuple[Bar, ...]
    height: float
    label_width: float
    bar_height: float


def importance_chart(
    importance: tuple[tuple[str, float], ...], *, top: int = 12, plot_width: float = 420
) -> BarChart:
    """Horizontal bars for the `top` most important features, the largest `plot_width` long."""
    shown = sorted(importance, key=lambda pair: -pair[1])[:top]
    largest = max((value for _, value in shown), default=0.0)
    bar_height, gap = 18.0, 6.0
    bars = tuple(
        Bar(name, value, i * (bar_height + gap),
            min(plot_width, plot_width * value / largest) if largest > 0 else 0.0)
        for i, (name, value) in enumerate(shown)
    )  # fmt: skip
    return BarChart(bars, max(len(bars) * (bar_height + gap), bar_height), 190.0, bar_height)


def _champion(deps: Deps, principal: Principal) -> ModelDescription | None:
    try:
        return DescribeModel(deps.uow(), deps.models)(principal)
    except NoChampion:
        return None


class ModelsPage(Controller):
    include_in_schema = False

    @get("/app/models", **page(Permission.ANALYTICS_VIEW))
    def models(self, deps: AppDeps, principal: CurrentPrincipal) -> Any:
        champion = _champion(deps, principal)
        manage = can(principal, Permission.CONFIG_MANAGE)
        if manage:
            versions = ListModels(deps.uow())(principal)
        else:
            versions = [champion.version] if champion is not None else []
        rows = [
            (v, metric_cells(v), sorted(ALLOWED_MOVES[v.stage], key=list(ModelStage).index))
            for v in versions
        ]
        chart = importance_chart(champion.importance) if champion is not None else None
        champion_report = report_view(champion.version) if champion is not None else None
        reports = [
            (v, found)
            for v in versions
            if manage and (champion is None or v.version != champion.version.version)
            if (found := report_view(v)) is not None
        ]
        return render(
            "models.html",
            page_context(
                deps, principal, "models",
                champion=champion, rows=rows, manage=manage, chart=chart, me=principal.user_id,
                metric_labels=METRIC_LABELS, champion_report=champion_report, reports=reports,
            ),
        )  # fmt: skip

"""The evaluation report of one model version: an HTML page and its PNG plots, in one folder.

The figures are cross-validated (out-of-fold predictions, see `training.cross_validate`): ROC
curve, calibration (predicted against observed default rate), the score distribution of goods
and bads, and a SHAP summary (mean absolute contribution of each feature on the training rows).
The folder is stored beside the model, so the evidence for a version travels with it.

Plots are drawn on bare matplotlib `Figure`s (the Agg canvas), never through pyplot, so no global
backend or window is involved and reports can be written from worker threads.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import NDArray
from sklearn.metrics import roc_curve  # type: ignore[import-untyped]

from adapters.ml.features import feature_matrix
from adapters.ml.model import LoadedModel, TrainedModel
from adapters.ml.training import CrossValidation
from domain.credit.application import ApplicationForm
from domain.credit.defaults import DEFAULT_SCALE
from domain.credit.scorecard import ScoreScale

TOP_FEATURES = 20
PLOTS = ("roc.png", "calibration.png", "scores.png", "contributions.png")


def mean_abs_contributions(
    model: TrainedModel, forms: Sequence[ApplicationForm]
) -> dict[str, float]:
    """Mean |contribution| per feature over `forms`, largest first: the SHAP summary."""
    explained = LoadedModel(model).explain(feature_matrix(forms, model.schema))
    means = np.abs(explained.contributions).mean(axis=0)
    pairs = sorted(zip(model.schema.names, means.tolist(), strict=True), key=lambda p: -p[1])
    return dict(pairs)


def _save(figure: Figure, path: Path) -> None:
    figure.tight_layout()
    figure.savefig(path, format="png", dpi=100)


def _roc(evaluation: CrossValidation, path: Path) -> None:
    fpr, tpr, _ = roc_curve(evaluation.defaulted.astype(np.int64), evaluation.probabilities)
    figure = Figure(figsize=(5, 5))
    axes = figure.add_subplot()
    axes.plot(fpr, tpr, label=f"AUC {evaluation.metrics.auc:.3f}")
    axes.plot([0, 1], [0, 1], linestyle="--", color="grey")
    axes.set(xlabel="False positive rate", ylabel="True positive rate", title="ROC (out of fold)")
    axes.legend(loc="lower right")
    _save(figure, path)


def _calibration(evaluation: CrossValidation, path: Path) -> None:
    table = evaluation.metrics.calibration
    figure = Figure(figsize=(5, 5))
    axes = figure.add_subplot()
    axes.plot([0, 1], [0, 1], linestyle="--", color="grey")
    axes.plot([b.mean_predicted for b in table], [b.observed_rate for b in table], marker="o")
    axes.set(
        xlabel="Predicted probability of default",
        ylabel="Observed default rate",
        title="Calibration (out of fold)",
    )
    _save(figure, path)


def _scores(evaluation: CrossValidation, scale: ScoreScale, path: Path) -> None:
    scores: NDArray[np.float64] = np.array(
        [scale.score_from_pd(p) for p in evaluation.probabilities.tolist()]
    )
    bad = evaluation.defaulted
    figure = Figure(figsize=(6, 4))
    axes = figure.add_subplot()
    bins = np.linspace(scale.min_score, scale.max_score, 45).tolist()
    axes.hist(scores[~bad], bins=bins, alpha=0.6, density=True, label="repaid")
    axes.hist(scores[bad], bins=bins, alpha=0.6, density=True, label="defaulted")
    axes.set(xlabel="Score", ylabel="Density", title="Score distribution by outcome")
    axes.legend()
    _save(figure, path)


def _contributions(contributions: Mapping[str, float], path: Path) -> None:
    top = sorted(contributions.items(), key=lambda p: -p[1])[:TOP_FEATURES][::-1]
    figure = Figure(figsize=(6, 0.3 * len(top) + 1.2))
    axes = figure.add_subplot()
    axes.barh([name for name, _ in top], [value for _, value in top])
    axes.set(xlabel="Mean |contribution| to log-odds of default", title="Feature contributions")
    _save(figure, path)


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    def cell(value: object) -> str:
        text = f"{value:.4f}" if isinstance(value, float) else str(value)
        return html.escape(text)

    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in r) + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _html(model: TrainedModel, evaluation: CrossValidation) -> str:
    m = evaluation.metrics
    summary = _table(
        ["rows", "default rate", "AUC", "Gini", "KS", "Brier"],
        [[m.count, m.default_rate, m.auc, m.gini, m.ks, m.brier]],
    )
    folds = _table(
        ["fold", "AUC", "XGBoost alone", "WOE scorecard alone", "depth", "trees", "XGB share"],
        [
            [
                f.fold,
                f.auc,
                f.auc_xgboost,
                f.auc_scorecard if f.auc_scorecard is not None else "-",
                f.model.params.max_depth,
                f.model.params.n_trees,
                f.model.blend_weight,
            ]
            for f in evaluation.folds
        ],
    )
    cutoffs = _table(
        ["PD threshold", "flagged share", "precision", "recall", "F1"],
        [[t.threshold, t.flagged_share, t.precision, t.recall, t.f1] for t in m.thresholds],
    )
    calibration = _table(
        ["PD from", "PD to", "rows", "mean predicted", "observed"],
        [[b.lower, b.upper, b.count, b.mean_predicted, b.observed_rate] for b in m.calibration],
    )
    p = model.params
    about = _table(
        [
            "version",
            "training rows",
            "training data SHA-256",
            "depth",
            "learning rate",
            "trees",
            "XGB share",
            "calibration",
        ],
        [
            [
                model.version,
                model.training_rows,
                model.training_data_hash,
                p.max_depth,
                p.learning_rate,
                p.n_trees,
                model.blend_weight,
                model.calibrator.method.value,
            ]
        ],
    )
    images = "".join(f'<img src="{name}" alt="{name}">' for name in PLOTS)
    title = html.escape(f"Model {model.version}: evaluation report")
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
        "<style>table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;"
        "padding:2px 8px;text-align:right}img{max-width:32%}</style></head><body>"
        f"<h1>{title}</h1>{about}<h2>Cross-validated performance</h2>{summary}"
        f"<h2>Folds</h2>{folds}<h2>Routing thresholds</h2>{cutoffs}"
        f"<h2>Calibration</h2>{calibration}<h2>Plots</h2>{images}</body></html>"
    )


def write_report(
    directory: Path,
    model: TrainedModel,
    evaluation: CrossValidation,
    contributions: Mapping[str, float],
    *,
    scale: ScoreScale = DEFAULT_SCALE,
) -> dict[str, Path]:
    """Write report.html and the PNG plots into `directory`; returns file name -> path."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = {name: directory / name for name in (*PLOTS, "report.html")}
    _roc(evaluation, paths["roc.png"])
    _calibration(evaluation, paths["calibration.png"])
    _scores(evaluation, scale, paths["scores.png"])
    _contributions(contributions, paths["contributions.png"])
    paths["report.html"].write_text(_html(model, evaluation), encoding="utf-8")
    return paths

"""A model version's evaluation report as the models page shows it: the plots and the page.

The files come from the API (`GET /api/v1/models/{version}/report/{name}`), which the browser
calls with the session's cookie, so the page itself fetches nothing from the store. Each
plot carries a text alternative that says what the figure shows and, where the registry
holds it, the figure's headline number, so a reader who cannot see it loses little.
"""

from __future__ import annotations

from urllib.parse import quote

from attrs import frozen

from application.credit.model_reports import REPORT_PLOTS
from application.credit.train_model import REPORT_PAGE
from domain.credit.model_registry import ModelVersion

#: Each plot's title, and what it shows (the start of its text alternative).
PLOT_TEXTS: dict[str, tuple[str, str]] = {
    "roc.png": (
        "ROC curve",
        "ROC curve, out of fold: the share of defaults caught against the share of repaid "
        "loans flagged, at every cut-off",
    ),
    "calibration.png": (
        "Calibration",
        "Calibration, out of fold: the predicted probability of default against the "
        "default rate observed, by band; the closer to the diagonal, the truer",
    ),
    "scores.png": (
        "Score distribution",
        "Distribution of scores of repaid and of defaulted loans, out of fold; the less "
        "they overlap, the better the model separates them",
    ),
    "contributions.png": (
        "Feature contributions",
        "Mean absolute contribution of each feature to the log-odds of default, on the "
        "training rows, largest at the top",
    ),
}
#: The metric that sums a plot up, where there is one.
_HEADLINE = {"roc.png": ("auc", "AUC"), "calibration.png": ("brier", "Brier score")}


@frozen
class ReportPlot:
    name: str
    url: str
    title: str
    alt: str


@frozen
class ReportView:
    """Where a version's report page is, and its plots in reading order."""

    version: str
    page_url: str
    plots: tuple[ReportPlot, ...]


def report_url(version: str, name: str) -> str:
    """The API path of file `name` of `version`'s report (the version quoted as one segment)."""
    return f"/api/v1/models/{quote(version, safe='')}/report/{quote(name, safe='')}"


def _alt(version: ModelVersion, name: str) -> str:
    text = f"{PLOT_TEXTS[name][1]}, of model {version.version}"
    headline = _HEADLINE.get(name)
    value = None if headline is None else version.metric(headline[0])
    if headline is not None and value is not None:
        text += f" ({headline[1]} {value:.3f})"
    return text + "."


def report_view(version: ModelVersion) -> ReportView | None:
    """The version's report as the page links to it; None when it was trained without one."""
    if version.report_key is None:
        return None
    plots = tuple(
        ReportPlot(
            name, report_url(version.version, name), PLOT_TEXTS[name][0], _alt(version, name)
        )
        for name in REPORT_PLOTS
    )
    return ReportView(version.version, report_url(version.version, REPORT_PAGE), plots)

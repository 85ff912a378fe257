"""The models page's report links: every plot from the API route, each with words for it."""

from __future__ import annotations

import attrs
from hypothesis import given
from hypothesis import strategies as st

from application.credit.model_reports import REPORT_PLOTS
from entrypoints.web.model_report_view import report_url, report_view
from tests.builders import a_model_version


def test_every_plot_comes_from_the_report_route_with_its_headline_number() -> None:
    view = report_view(a_model_version("xgb-7"))  # measured: AUC 0.81, Brier 0.16

    assert view is not None
    assert view.page_url == "/api/v1/models/xgb-7/report/report.html"
    assert [plot.url for plot in view.plots] == [
        f"/api/v1/models/xgb-7/report/{name}" for name in REPORT_PLOTS
    ]
    alts = {plot.name: plot.alt for plot in view.plots}
    assert alts["roc.png"].startswith("ROC curve")
    assert alts["roc.png"].endswith("of model xgb-7 (AUC 0.810).")
    assert alts["calibration.png"].endswith("(Brier score 0.160).")
    assert alts["scores.png"].endswith("of model xgb-7.")
    assert len({plot.title for plot in view.plots}) == len(REPORT_PLOTS)


def test_a_version_without_a_report_has_nothing_to_show() -> None:
    assert report_view(attrs.evolve(a_model_version(), report_key=None)) is None


def test_an_unmeasured_headline_is_left_out() -> None:
    view = report_view(attrs.evolve(a_model_version("xgb-8"), metrics=()))
    assert view is not None
    assert view.plots[0].alt.endswith("of model xgb-8.")


@given(st.text(min_size=1))
def test_a_version_is_always_one_segment_of_the_path(version: str) -> None:
    url = report_url(version, "roc.png")
    prefix, suffix = "/api/v1/models/", "/report/roc.png"
    assert url.startswith(prefix)
    assert url.endswith(suffix)
    assert "/" not in url.removeprefix(prefix).removesuffix(suffix)

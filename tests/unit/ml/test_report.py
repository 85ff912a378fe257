"""The evaluation report: an HTML page and four PNG plots, written to one folder."""

from __future__ import annotations

from pathlib import Path

from adapters.ml.model import TrainedModel
from adapters.ml.report import PLOTS, mean_abs_contributions, write_report
from adapters.ml.training import CrossValidation
from tests.unit.ml.conftest import History

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_the_report_writes_its_page_and_plots(
    tmp_path: Path,
    blended_model: TrainedModel,
    cross_validation: CrossValidation,
    history: History,
) -> None:
    forms, _ = history
    summary = mean_abs_contributions(blended_model, forms[:200])
    paths = write_report(tmp_path / "report", blended_model, cross_validation, summary)
    assert set(paths) == {*PLOTS, "report.html"}
    for name in PLOTS:
        content = paths[name].read_bytes()
        assert content.startswith(PNG_SIGNATURE)
        assert len(content) > 5_000
    page = paths["report.html"].read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    assert all(f'src="{name}"' in page for name in PLOTS)
    assert f"{cross_validation.metrics.auc:.4f}" in page
    assert blended_model.training_data_hash in page


def test_the_shap_summary_ranks_every_feature(
    blended_model: TrainedModel, history: History
) -> None:
    forms, _ = history
    summary = mean_abs_contributions(blended_model, forms[:200])
    assert tuple(sorted(summary)) == tuple(sorted(blended_model.schema.names))
    values = list(summary.values())
    assert values == sorted(values, reverse=True)
    # The burden of the loan drives the synthetic risk: it must rank above, say, the purpose.
    assert summary["payment_to_income"] > summary["loan_purpose"]

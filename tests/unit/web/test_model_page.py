"""The models page's numbers: metrics in a fixed order and format, and the importance chart's
bars in proportion to the largest."""

from __future__ import annotations

import attrs
from hypothesis import given
from hypothesis import strategies as st

from entrypoints.web.model_page import importance_chart, metric_cells
from tests.builders import a_model_version


def test_known_metrics_come_first_in_their_order_and_unknown_ones_after_by_name() -> None:
    version = attrs.evolve(
        a_model_version(),
        metrics=(("zeta", 1.0), ("rows", 4454.0), ("brier", 0.1391), ("auc", 0.84449)),
    )
    cells = metric_cells(version)
    assert [(c.label, c.text) for c in cells] == [
        ("AUC", "0.844"),
        ("Brier score", "0.139"),
        ("Training rows", "4,454"),
        ("zeta", "1.000"),
    ]


def test_the_largest_feature_gets_the_whole_width_and_the_rest_their_share() -> None:
    chart = importance_chart((("b", 0.05), ("a", 0.2), ("c", 0.1)), plot_width=400)
    assert [(bar.label, bar.width) for bar in chart.bars] == [("a", 400), ("c", 200), ("b", 100)]
    assert [bar.y for bar in chart.bars] == sorted(bar.y for bar in chart.bars)


@given(st.lists(st.floats(min_value=0, max_value=10), max_size=30), st.integers(1, 15))
def test_bars_never_overflow_the_plot_and_at_most_top_are_drawn(
    values: list[float], top: int
) -> None:
    chart = importance_chart(tuple((f"f{i}", v) for i, v in enumerate(values)), top=top)
    assert len(chart.bars) == min(top, len(values))
    assert all(0 <= bar.width <= 420 for bar in chart.bars)
    assert all(bar.y + chart.bar_height <= chart.height for bar in chart.bars)


def test_no_importance_draws_no_bar() -> None:
    assert importance_chart(()).bars == ()

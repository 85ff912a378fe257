"""The geometry of the server-drawn charts: every shape inside its plot, sizes proportional to
values, round axes that reach the largest value, and nothing broken for no data or zeros."""

from __future__ import annotations

import math
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from entrypoints.web.charts import (
    MAX_LABELS,
    BarChart,
    Datum,
    Frame,
    Series,
    axis_values,
    column_chart,
    line_chart,
    nice_step,
    number_label,
    row_chart,
)

FRAME = Frame()
WIDE = Frame(width=640, height=200, left=170, right=16, top=8, bottom=28)
values = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)
data = st.lists(st.builds(Datum, st.text(max_size=8), values), max_size=60)
EPSILON = 1e-6


def inside(chart: BarChart) -> bool:
    frame = chart.frame
    return all(
        frame.plot_left - EPSILON <= bar.x
        and bar.x + bar.width <= frame.plot_right + EPSILON
        and frame.plot_top - EPSILON <= bar.y
        and bar.y + bar.height <= frame.plot_bottom + EPSILON
        and bar.width >= 0
        and bar.height >= 0
        for bar in chart.bars
    )


@given(data)
def test_every_column_lies_inside_the_plot_and_stands_on_its_base(found: list[Datum]) -> None:
    chart = column_chart(found, FRAME)
    assert len(chart.bars) == len(found)
    assert inside(chart)
    assert all(math.isclose(bar.y + bar.height, FRAME.plot_bottom) for bar in chart.bars)


@given(data)
def test_every_row_lies_inside_the_plot_and_starts_at_its_left_edge(found: list[Datum]) -> None:
    chart = row_chart(found, WIDE)
    assert inside(chart)
    assert all(bar.x == WIDE.plot_left for bar in chart.bars)


@given(data)
def test_bar_sizes_are_proportional_to_their_values(found: list[Datum]) -> None:
    upright, lying = column_chart(found, FRAME), row_chart(found, WIDE)
    top = upright.ticks[-1].value
    for bar, datum in zip(upright.bars, found, strict=True):
        assert math.isclose(bar.height / FRAME.plot_height, datum.value / top, abs_tol=1e-9)
    for bar, datum in zip(lying.bars, found, strict=True):
        assert math.isclose(bar.width / WIDE.plot_width, datum.value / top, abs_tol=1e-9)


@given(st.lists(values, min_size=1, max_size=40), st.integers(min_value=1, max_value=3))
def test_every_point_of_a_line_lies_inside_the_plot(found: list[float], lines: int) -> None:
    labels = [str(index) for index in range(len(found))]
    series = [Series(f"s{n}", tuple(v / (n + 1) for v in found)) for n in range(lines)]
    chart = line_chart(labels, series, FRAME)
    top = chart.ticks[-1].value
    for line, one in zip(chart.lines, series, strict=True):
        assert len(line.points) == len(found)
        xs = [x for x, _ in line.points]
        assert xs == sorted(xs)
        for (x, y), value in zip(line.points, one.values, strict=True):
            assert FRAME.plot_left <= x <= FRAME.plot_right
            assert FRAME.plot_top - EPSILON <= y <= FRAME.plot_bottom + EPSILON
            assert math.isclose(
                FRAME.plot_bottom - y, FRAME.plot_height * value / top, abs_tol=1e-9
            )


@given(st.floats(min_value=1e-6, max_value=1e12))
def test_the_axis_is_round_reaches_the_largest_value_and_wastes_little(largest: float) -> None:
    ticks = axis_values(largest)
    assert ticks[0] == 0
    assert ticks[-1] >= largest * (1 - 1e-9)
    steps = [b - a for a, b in pairwise(ticks)]
    assert all(math.isclose(step, steps[0], rel_tol=1e-6) for step in steps)
    assert 2 <= len(ticks) <= 6
    assert ticks[-1] - steps[0] < largest


def test_round_steps_are_one_two_or_five_times_a_power_of_ten() -> None:
    assert [nice_step(raw) for raw in (0.7, 1, 1.2, 3, 7, 45, 180)] == [1, 1, 2, 5, 10, 50, 200]
    assert axis_values(37) == (0, 10, 20, 30, 40)
    assert axis_values(4454) == (0, 2000, 4000, 6000)
    assert axis_values(3) == (0, 1, 2, 3)


@pytest.mark.parametrize("chart", [column_chart([]), row_chart([], WIDE)])
def test_no_data_draws_no_bar_but_keeps_a_scale(chart: BarChart) -> None:
    assert chart.bars == ()
    assert [tick.label for tick in chart.ticks] == ["0", "1"]


def test_only_zeros_draw_flat_bars_on_the_base_line() -> None:
    chart = column_chart([Datum("a", 0), Datum("b", 0)])
    assert [bar.height for bar in chart.bars] == [0, 0]
    assert {bar.y for bar in chart.bars} == {FRAME.plot_bottom}
    assert line_chart([], [Series("empty", ())]).lines[0].svg_points == ""


def test_ticks_run_up_the_plot_from_zero_at_its_base() -> None:
    chart = column_chart([Datum("a", 30), Datum("b", 12)])
    assert [tick.label for tick in chart.ticks] == ["0", "10", "20", "30"]
    assert chart.ticks[0].position == FRAME.plot_bottom
    assert chart.ticks[-1].position == FRAME.plot_top
    assert chart.bars[0].y == FRAME.plot_top


def test_many_categories_get_evenly_spaced_labels_never_more_than_fit() -> None:
    days = [Datum(f"d{index}", index) for index in range(30)]
    labels = column_chart(days).labels
    assert len(labels) <= MAX_LABELS
    assert [label.text for label in labels][:2] == ["d0", "d4"]
    assert [label.text for label in column_chart(days[:5]).labels] == [f"d{i}" for i in range(5)]


def test_a_line_is_drawn_through_the_middle_of_each_category() -> None:
    chart = line_chart(["a", "b"], [Series("n", (0, 4))], Frame(width=148, left=48, right=0))
    assert chart.lines[0].svg_points == f"73.0,{FRAME.plot_bottom:.1f} 123.0,{FRAME.plot_top:.1f}"


def test_a_series_must_have_a_value_for_each_category() -> None:
    with pytest.raises(ValueError, match="2 values for 3"):
        line_chart(["a", "b", "c"], [Series("short", (1, 2))])


@pytest.mark.parametrize("bad", [-1, math.nan, math.inf])
def test_a_chart_refuses_negative_or_unmeasurable_values(bad: float) -> None:
    with pytest.raises(ValueError, match="finite values of zero or more"):
        Datum("x", bad)
    with pytest.raises(ValueError, match="finite values of zero or more"):
        Series("x", (1, bad))


def test_tick_labels_are_short() -> None:
    assert [number_label(v) for v in (0, 2000, 0.5, 0.25, 1234567)] == [
        "0", "2,000", "0.5", "0.25", "1,234,567",
    ]  # fmt: skip

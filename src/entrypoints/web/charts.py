"""The geometry of the workbench's charts: numbers in, shapes ready for SVG out.

Charts are drawn on the server as SVG (no client library, nothing fetched), so a template only
places what these functions computed: bars, the points of a line, axis ticks and labels, all
in the coordinates of a `Frame` (SVG's y grows downwards). Every value axis starts at zero and
ends at a round number at or above the largest value, so a bar's height is proportional to its
value and no shape leaves the plot. Counts are never negative; a chart of nothing (no data,
or only zeros) still has a frame and a zero tick, and draws no shape of negative size.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from attrs import field, frozen

#: At most this many category labels under a chart; more would overlap at tablet width.
MAX_LABELS = 8


def _count(_instance: object, _attribute: object, value: float) -> None:
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"a chart draws finite values of zero or more, not {value}")


@frozen
class Frame:
    """The drawing (`width` by `height`) and the margins around its plot, which hold labels."""

    width: float = 640.0
    height: float = 240.0
    left: float = 48.0
    right: float = 12.0
    top: float = 12.0
    bottom: float = 32.0

    @property
    def plot_left(self) -> float:
        return self.left

    @property
    def plot_right(self) -> float:
        return self.width - self.right

    @property
    def plot_top(self) -> float:
        return self.top

    @property
    def plot_bottom(self) -> float:
        return self.height - self.bottom

    @property
    def plot_width(self) -> float:
        return self.plot_right - self.plot_left

    @property
    def plot_height(self) -> float:
        return self.plot_bottom - self.plot_top


@frozen
class Datum:
    """One category of a bar chart and its value."""

    label: str
    value: float = field(validator=_count)


@frozen
class Series:
    """One line of a line chart: a value per category, in the categories' order."""

    name: str
    values: tuple[float, ...] = field()

    @values.validator
    def _counts(self, attribute: object, values: tuple[float, ...]) -> None:
        for value in values:
            _count(self, attribute, value)


@frozen
class Tick:
    """A gridline of the value axis: at `position` (y, or x for a horizontal chart)."""

    value: float
    position: float
    label: str


@frozen
class Label:
    """A category label, anchored at (`x`, `y`)."""

    x: float
    y: float
    text: str


@frozen
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: float
    label: str


@frozen
class BarChart:
    """Bars with their value axis; `horizontal` bars grow rightwards and their ticks are x
    positions, upright bars grow upwards and their ticks are y positions."""

    frame: Frame
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    labels: tuple[Label, ...]
    horizontal: bool = False


@frozen
class Line:
    name: str
    points: tuple[tuple[float, float], ...]

    @property
    def svg_points(self) -> str:
        """The `points` attribute of an SVG polyline."""
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in self.points)


@frozen
class LineChart:
    frame: Frame
    lines: tuple[Line, ...]
    ticks: tuple[Tick, ...]
    labels: tuple[Label, ...]


def number_label(value: float) -> str:
    """A tick's text: whole numbers with thousands separators, others as short as they go."""
    return f"{round(value):,}" if value == round(value) else f"{value:.3g}"


def nice_step(raw: float) -> float:
    """The smallest of 1, 2, 5 times a power of ten that is at least `raw` (> 0)."""
    power = 10.0 ** math.floor(math.log10(raw))
    for multiple in (1.0, 2.0, 5.0, 10.0):
        if multiple * power >= raw * (1 - 1e-12):
            return multiple * power
    return 10.0 * power  # pragma: no cover - 10 x power is always at least raw


#: Below this a maximum is nothing to show (and a step worked out from it could underflow).
NOTHING = 1e-9


def axis_values(maximum: float, intervals: int = 4) -> tuple[float, ...]:
    """Round values from zero to at least `maximum`, about `intervals` steps apart; (0, 1)
    when there is nothing to show, so an empty chart still has a scale."""
    if maximum <= NOTHING:
        return (0.0, 1.0)
    step = nice_step(maximum / intervals)
    steps = math.ceil(maximum / step - 1e-9)
    return tuple(float(f"{step * index:.10g}") for index in range(steps + 1))


def _value_ticks(values: tuple[float, ...], frame: Frame) -> tuple[Tick, ...]:
    top = values[-1]
    return tuple(
        Tick(value, frame.plot_bottom - frame.plot_height * value / top, number_label(value))
        for value in values
    )


def _shown(index: int, count: int) -> bool:
    """Whether category `index` of `count` gets a label: every one up to MAX_LABELS, else
    evenly spaced ones, the first always."""
    return index % max(1, math.ceil(count / MAX_LABELS)) == 0


def column_chart(data: Sequence[Datum], frame: Frame = Frame()) -> BarChart:
    """Vertical bars, one per datum, side by side across the plot."""
    values = axis_values(max((datum.value for datum in data), default=0.0))
    top = values[-1]
    slot = frame.plot_width / max(len(data), 1)
    bars, labels = [], []
    for index, datum in enumerate(data):
        height = frame.plot_height * datum.value / top
        x = frame.plot_left + slot * index
        bars.append(
            Bar(x + slot * 0.1, frame.plot_bottom - height, slot * 0.8, height,
                datum.value, datum.label)
        )  # fmt: skip
        if _shown(index, len(data)):
            labels.append(Label(x + slot / 2, frame.plot_bottom + 16, datum.label))
    return BarChart(frame, tuple(bars), _value_ticks(values, frame), tuple(labels))


def row_chart(data: Sequence[Datum], frame: Frame) -> BarChart:
    """Horizontal bars, one per datum, top to bottom; the labels sit in the left margin and
    the ticks' positions are x coordinates."""
    values = axis_values(max((datum.value for datum in data), default=0.0))
    top = values[-1]
    slot = frame.plot_height / max(len(data), 1)
    bars, labels = [], []
    for index, datum in enumerate(data):
        y = frame.plot_top + slot * index
        bars.append(
            Bar(frame.plot_left, y + slot * 0.15, frame.plot_width * datum.value / top,
                slot * 0.7, datum.value, datum.label)
        )  # fmt: skip
        labels.append(Label(frame.plot_left - 6, y + slot / 2 + 4, datum.label))
    ticks = tuple(
        Tick(value, frame.plot_left + frame.plot_width * value / top, number_label(value))
        for value in values
    )
    return BarChart(frame, tuple(bars), ticks, tuple(labels), horizontal=True)


def line_chart(
    categories: Sequence[str], series: Sequence[Series], frame: Frame = Frame()
) -> LineChart:
    """One line per series over the categories, each point at the middle of its category."""
    for one in series:
        if len(one.values) != len(categories):
            raise ValueError(f"{one.name} has {len(one.values)} values for {len(categories)}")
    values = axis_values(max((v for one in series for v in one.values), default=0.0))
    top = values[-1]
    slot = frame.plot_width / max(len(categories), 1)

    def point(index: int, value: float) -> tuple[float, float]:
        x = frame.plot_left + slot * (index + 0.5)
        return (x, frame.plot_bottom - frame.plot_height * value / top)

    lines = tuple(
        Line(one.name, tuple(point(i, v) for i, v in enumerate(one.values))) for one in series
    )
    labels = tuple(
        Label(frame.plot_left + slot * (index + 0.5), frame.plot_bottom + 16, text)
        for index, text in enumerate(categories)
        if _shown(index, len(categories))
    )
    return LineChart(frame, lines, _value_ticks(values, frame), labels)

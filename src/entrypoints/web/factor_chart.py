"""The geometry of the workbench's factor chart: what pushed one score up or down, as bars.

A model's per-feature contributions (SHAP values on the log-odds of default) are signed: a
positive one pushed the application toward default, a negative one toward repayment. The chart
draws them as horizontal bars from a shared zero line, toward default to the right and toward
repayment to the left, strongest first, each bar's length in proportion to its size against the
strongest. The two sides share one scale, so a short red bar and a long green bar compare as the
numbers do. Only numbers are computed here; the template places them as SVG.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from attrs import frozen

#: How many factors the chart shows: more would not fit a tablet's width legibly.
MAX_BARS = 8
WIDTH = 640.0
LABEL_WIDTH = 210.0
ROW_HEIGHT = 26.0
BAR_HEIGHT = 16.0
TOP = 8.0
BOTTOM = 24.0
RIGHT = 12.0


@frozen
class FactorInput:
    """One feature's part in the score, as the chart receives it."""

    feature: str
    label: str
    statement: str
    contribution: float


@frozen
class FactorBar:
    """One bar in SVG coordinates: `x` is its left edge, `width` never negative."""

    feature: str
    label: str
    statement: str
    contribution: float
    x: float
    y: float
    width: float
    height: float
    label_y: float

    @property
    def toward_default(self) -> bool:
        return self.contribution > 0


@frozen
class FactorChart:
    width: float
    height: float
    zero_x: float
    plot_top: float
    plot_bottom: float
    bars: tuple[FactorBar, ...]

    @property
    def caption_y(self) -> float:
        return self.height - 6.0

    @property
    def left_caption_x(self) -> float:
        return LABEL_WIDTH

    @property
    def right_caption_x(self) -> float:
        return self.width - RIGHT


def strongest(factors: Sequence[FactorInput], limit: int = MAX_BARS) -> tuple[FactorInput, ...]:
    """The `limit` largest contributions by size, largest first; ties by feature name, so the
    same score always draws the same chart. Zero contributions say nothing and are left out."""
    broken = [f.feature for f in factors if not math.isfinite(f.contribution)]
    if broken:
        raise ValueError(f"contributions must be finite numbers; not so for {broken}")
    chosen = sorted(
        (f for f in factors if f.contribution != 0.0),
        key=lambda f: (-abs(f.contribution), f.feature),
    )
    return tuple(chosen[:limit])


def factor_chart(factors: Sequence[FactorInput], limit: int = MAX_BARS) -> FactorChart:
    """Bars for the strongest factors; an empty chart (no bars) when there is nothing to show."""
    shown = strongest(factors, limit)
    plot_left, plot_right = LABEL_WIDTH + 8.0, WIDTH - RIGHT
    zero_x = (plot_left + plot_right) / 2
    half = (plot_right - plot_left) / 2
    largest = max((abs(f.contribution) for f in shown), default=0.0)
    bars = []
    for row, factor in enumerate(shown):
        length = half * abs(factor.contribution) / largest if largest > 0 else 0.0
        top = TOP + row * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
        bars.append(
            FactorBar(
                feature=factor.feature,
                label=factor.label,
                statement=factor.statement,
                contribution=factor.contribution,
                x=round(zero_x if factor.contribution > 0 else zero_x - length, 2),
                y=round(top, 2),
                width=round(length, 2),
                height=BAR_HEIGHT,
                label_y=round(top + BAR_HEIGHT - 4.0, 2),
            )
        )
    plot_bottom = TOP + max(len(shown), 1) * ROW_HEIGHT
    return FactorChart(
        width=WIDTH,
        height=plot_bottom + BOTTOM,
        zero_x=zero_x,
        plot_top=TOP,
        plot_bottom=plot_bottom,
        bars=tuple(bars),
    )

"""The dashboard's headline cards: each figure of the period as a person reads it, beside the
previous period.

The figures are the API's (`DashboardSummary`, and the analyst report's override rate), never
recomputed here: this module only words them. A figure with nothing to measure (a rate whose
denominator is zero) reads "—", never 0 %, and so does a change with no side to compare.
Whether a rise is good news depends on the figure (a longer review is not), so each card says
which way is better, and the arrow alone never carries the meaning: the text says it too.
"""

from __future__ import annotations

from enum import StrEnum

from attrs import frozen

from domain.credit.analytics import Comparison

NOTHING = "—"


class Kind(StrEnum):
    COUNT = "count"
    RATE = "rate"
    DURATION = "duration"


class Better(StrEnum):
    """Which way of a figure is good news (NEITHER: it depends on the book)."""

    HIGHER = "higher"
    LOWER = "lower"
    NEITHER = "neither"


def count_text(value: float) -> str:
    return f"{round(value):,}"


def rate_text(value: float) -> str:
    return f"{value * 100:.1f}%"


def duration_text(seconds: float) -> str:
    """`45 s`, `12 min 5 s`, `3 h 20 min`: to the second under an hour, the minute above."""
    whole = round(abs(seconds))
    sign = "-" if seconds < 0 and whole else ""
    if whole < 60:
        return f"{sign}{whole} s"
    minutes, rest = divmod(whole, 60)
    if minutes < 60:
        return f"{sign}{minutes} min {rest} s" if rest else f"{sign}{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{sign}{hours} h {minutes} min" if minutes else f"{sign}{hours} h"


def figure_text(value: float | None, kind: Kind) -> str:
    if value is None:
        return NOTHING
    if kind is Kind.RATE:
        return rate_text(value)
    if kind is Kind.DURATION:
        return duration_text(value)
    return count_text(value)


def difference_text(change: float, kind: Kind) -> str:
    """The absolute change, signed: `+3`, `+5.0 pts` (percentage points), `-2 min`."""
    sign = "+" if change > 0 else ""
    if kind is Kind.RATE:
        return f"{sign}{change * 100:.1f} pts"
    if kind is Kind.DURATION:
        return sign + duration_text(change)
    return f"{sign}{round(change):,}"


@frozen
class MetricCard:
    """One headline figure as the page shows it; `current` is the API's number as given."""

    key: str
    label: str
    current: float | None
    value: str
    previous: str
    arrow: str  # ▲ ▼ ■, or "" with nothing to compare; shown, never read out
    change: str  # the relative change (and the difference), or "—"
    direction: str  # up, down, flat, or none (nothing to compare)
    tone: str  # better, worse or neutral: the change read against `Better`

    @property
    def direction_words(self) -> str:
        """What the arrow says, for a screen reader."""
        return {"up": "Up", "down": "Down", "flat": "Unchanged", "none": "No comparison"}[
            self.direction
        ]


ARROWS = {"up": "▲", "down": "▼", "flat": "■", "none": ""}


def _direction(change: float | None) -> str:
    if change is None:
        return "none"
    return "up" if change > 0 else "down" if change < 0 else "flat"


def _tone(direction: str, better: Better) -> str:
    if better is Better.NEITHER or direction in ("none", "flat"):
        return "neutral"
    good = "up" if better is Better.HIGHER else "down"
    return "better" if direction == good else "worse"


def change_text(comparison: Comparison, kind: Kind) -> str:
    """The relative change (`+12.5%`), with the difference for a rate (`+12.5% (+5.0 pts)`),
    the difference alone when the previous value was zero (growth from nothing has no ratio),
    and "—" with nothing to compare."""
    if comparison.change is None:
        return NOTHING
    difference = difference_text(comparison.change, kind)
    if comparison.change_ratio is None:
        return difference
    sign = "+" if comparison.change_ratio > 0 else ""
    relative = f"{sign}{comparison.change_ratio * 100:.1f}%"
    return f"{relative} ({difference})" if kind is Kind.RATE else relative


def metric_card(
    key: str, label: str, comparison: Comparison, kind: Kind, better: Better
) -> MetricCard:
    direction = _direction(comparison.change)
    return MetricCard(
        key=key,
        label=label,
        current=comparison.current,
        value=figure_text(comparison.current, kind),
        previous=figure_text(comparison.previous, kind),
        arrow=ARROWS[direction],
        change=change_text(comparison, kind),
        direction=direction,
        tone=_tone(direction, better),
    )

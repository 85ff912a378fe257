"""The factors behind a score, in plain words, for the applicant, the analyst and the examiner.

Reason codes (`reasons.adverse_action_reasons`) say *which* reasons apply; factors say *how much*:
"Debt-to-income 47%: higher than 80% of approved applicants". A factor joins three things about
one feature the model read: its contribution to the log-odds of default (from the model's exact
explanation), the value it read from the application, and where that value stands among the
applicants the model learnt from. Those applicants all received a loan, so they are the
"approved applicants" of the sentence; the model's adapter measures the percentile against the
reference it keeps from training, and this module only chooses and words the factors.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from attrs import frozen

from domain.credit.reasons import ReasonCodeTable, describe_factor, factor_label


@frozen
class FeatureReading:
    """What the model read for one feature of one application.

    `value` is the number it read (None when the application did not give one); `category` the
    text of a categorical input (its number is only a code, meaningless to a person);
    `percentile` the share (0 to 100) of training applicants with a lower value, for numbers.
    """

    value: float | None
    category: str | None = None
    percentile: float | None = None

    def __attrs_post_init__(self) -> None:
        if self.value is not None and not math.isfinite(self.value):
            raise ValueError("a reading's value is a finite number or None")
        if self.percentile is not None and not 0 <= self.percentile <= 100:
            raise ValueError("a percentile lies between 0 and 100")


@frozen
class Factor:
    """One feature's part in a score, strongest first in the lists this module builds."""

    feature: str
    contribution: float
    reading: FeatureReading

    @property
    def toward_default(self) -> bool:
        return self.contribution > 0

    @property
    def statement(self) -> str:
        """The factor in one sentence (`describe_factor` for numbers)."""
        reading = self.reading
        if reading.category is not None:
            return f"{factor_label(self.feature)}: {reading.category}"
        if reading.value is None:
            return f"{factor_label(self.feature)} not given"
        return describe_factor(self.feature, reading.value, reading.percentile)


def principal_factors(
    contributions: Mapping[str, float],
    readings: Mapping[str, FeatureReading],
    table: ReasonCodeTable,
    *,
    limit: int = 4,
    toward_default: bool = True,
) -> tuple[Factor, ...]:
    """The `limit` strongest factors pushing toward default (or, if not, toward repayment).

    The same rules as adverse-action reasons: protected features are never named, ties go by
    feature name so the same score always reads the same, a feature with no reading is skipped
    (there is nothing to say about it), and a non-finite contribution is refused.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    broken = sorted(f for f, c in contributions.items() if not math.isfinite(c))
    if broken:
        raise ValueError(f"contributions must be finite numbers; not so for {broken}")
    sign = 1.0 if toward_default else -1.0
    chosen = sorted(
        (
            (-sign * contribution, feature)
            for feature, contribution in contributions.items()
            if sign * contribution > 0 and feature in readings and not table.is_protected(feature)
        )
    )[:limit]
    return tuple(Factor(feature, -sign * key, readings[feature]) for key, feature in chosen)

"""The rule-based "traditional" score: a points table over feature bins.

Each characteristic (a feature such as debt-to-income) is cut into bins, and each bin carries a
contribution to the log-odds of a good outcome. The contributions add up with an intercept and are
scaled by points-to-double-odds onto a familiar range (300-850 by default): every `pdo` points
double the odds of repayment. Because the table is in log-odds, a table fitted by a logistic
regression on weight-of-evidence bins drops straight in, and the score maps exactly to a
probability of default and back.

Every rule that moved the score leaves a justification line, so an analyst can see why.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from enum import StrEnum

from attrs import field, frozen

from domain.errors import DomainError


class InvalidScorecard(DomainError):
    """A points table that is not contiguous, or that breaks the monotonicity it declares."""


class MissingFeature(DomainError):
    """The scorecard needs a feature the input does not have."""


class Monotonicity(StrEnum):
    """What a characteristic promises about its points as the feature value rises."""

    INCREASING = "increasing"  # more of it is never worse (savings)
    DECREASING = "decreasing"  # more of it is never better (debt-to-income)
    NONE = "none"


@frozen
class Bin:
    """A half-open range [lower, upper); None means unbounded on that side."""

    lower: float | None
    upper: float | None
    log_odds: float

    def contains(self, value: float) -> bool:
        above = self.lower is None or value >= self.lower
        below = self.upper is None or value < self.upper
        return above and below

    def label(self) -> str:
        if self.lower is None and self.upper is None:
            return "any value"
        if self.lower is None:
            return f"below {self.upper:g}"
        if self.upper is None:
            return f"{self.lower:g} or more"
        return f"{self.lower:g} to under {self.upper:g}"


def _check_bins(characteristic: Characteristic, _attribute: object, bins: tuple[Bin, ...]) -> None:
    name = characteristic.feature
    if not bins:
        raise InvalidScorecard(f"{name}: needs at least one bin")
    if bins[0].lower is not None or bins[-1].upper is not None:
        raise InvalidScorecard(f"{name}: the first bin must start and the last end unbounded")
    for left, right in itertools.pairwise(bins):
        if left.upper is None or right.lower is None or left.upper != right.lower:
            raise InvalidScorecard(f"{name}: bins must be contiguous and in order")
    points = [b.log_odds for b in bins]
    pairs = list(itertools.pairwise(points))
    if characteristic.monotonicity is Monotonicity.INCREASING and any(a > b for a, b in pairs):
        raise InvalidScorecard(f"{name}: declared increasing but its points fall somewhere")
    if characteristic.monotonicity is Monotonicity.DECREASING and any(a < b for a, b in pairs):
        raise InvalidScorecard(f"{name}: declared decreasing but its points rise somewhere")


@frozen
class Characteristic:
    feature: str
    label: str
    monotonicity: Monotonicity
    bins: tuple[Bin, ...] = field(validator=_check_bins)

    def bin_for(self, value: float) -> Bin:
        if math.isnan(value):
            raise MissingFeature(f"{self.feature} is not a number")
        return next(b for b in self.bins if b.contains(value))


@frozen
class ScoreScale:
    """Points-to-double-odds scaling: `base_score` stands for good:bad odds of `base_odds`."""

    points_to_double_odds: float = 20.0
    base_score: float = 600.0
    base_odds: float = 50.0
    min_score: float = 300.0
    max_score: float = 850.0

    @property
    def factor(self) -> float:
        return self.points_to_double_odds / math.log(2)

    @property
    def offset(self) -> float:
        return self.base_score - self.factor * math.log(self.base_odds)

    def clamp(self, score: float) -> float:
        return min(max(score, self.min_score), self.max_score)

    def score_from_log_odds(self, log_odds_good: float) -> float:
        return self.clamp(self.offset + self.factor * log_odds_good)

    def score_from_pd(self, probability_of_default: float) -> float:
        """The score for a probability of default in (0, 1), clamped to the range."""
        pd = probability_of_default
        if not 0.0 < pd < 1.0:
            raise ValueError("a probability of default must lie strictly between 0 and 1")
        return self.score_from_log_odds(math.log((1.0 - pd) / pd))

    def pd_from_score(self, score: float) -> float:
        """The probability of default a score stands for (the inverse of `score_from_pd`)."""
        log_odds_good = (self.clamp(score) - self.offset) / self.factor
        return 1.0 / (1.0 + math.exp(log_odds_good))


@frozen
class JustificationLine:
    """One rule's effect: which bin the feature fell in and how many points it moved."""

    feature: str
    label: str
    value: float
    bin_label: str
    points: float

    def __str__(self) -> str:
        sign = "+" if self.points >= 0 else "-"
        return (
            f"{self.label} {self.value:.2f} ({self.bin_label}): {sign}{abs(self.points):.0f} points"
        )


@frozen
class ScorecardResult:
    scorecard_version: str
    score: float
    probability_of_default: float
    log_odds_good: float
    lines: tuple[JustificationLine, ...]


@frozen
class Scorecard:
    version: str
    intercept: float
    characteristics: tuple[Characteristic, ...]
    scale: ScoreScale = ScoreScale()

    def score(self, features: Mapping[str, float]) -> ScorecardResult:
        """Score the features; lines are listed for every rule that moved the score."""
        missing = [c.feature for c in self.characteristics if c.feature not in features]
        if missing:
            raise MissingFeature(f"the scorecard needs {', '.join(missing)}")
        total = self.intercept
        lines = []
        for characteristic in self.characteristics:
            value = features[characteristic.feature]
            chosen = characteristic.bin_for(value)
            total += chosen.log_odds
            if chosen.log_odds != 0.0:
                lines.append(
                    JustificationLine(
                        feature=characteristic.feature,
                        label=characteristic.label,
                        value=value,
                        bin_label=chosen.label(),
                        points=self.scale.factor * chosen.log_odds,
                    )
                )
        score = self.scale.score_from_log_odds(total)
        return ScorecardResult(
            scorecard_version=self.version,
            score=score,
            probability_of_default=self.scale.pd_from_score(score),
            log_odds_good=total,
            lines=tuple(lines),
        )

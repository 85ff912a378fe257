"""creditdesk's starting configuration: a scorecard and a routing policy a lender can begin with.

These are values, not code paths: a tenant replaces them through new versions (a fitted scorecard,
an approved routing policy). The bins follow common affordability practice: debt service above
about 40-45% of income is stretched, savings that cover a large part of the loan are a strong sign,
and stable employment counts for more the longer it lasts.
"""

from __future__ import annotations

import math
from decimal import Decimal

from domain.credit.application import LoanPurpose
from domain.credit.routing import RoutingPolicy
from domain.credit.scorecard import Bin, Characteristic, Monotonicity, Scorecard, ScoreScale

_DOWN = Monotonicity.DECREASING
_UP = Monotonicity.INCREASING


def _bins(edges: tuple[float, ...], log_odds: tuple[float, ...]) -> tuple[Bin, ...]:
    """Bins from interior edges: len(log_odds) must be len(edges) + 1."""
    bounds: list[float | None] = [None, *edges, None]
    return tuple(
        Bin(lower, upper, points)
        for lower, upper, points in zip(bounds[:-1], bounds[1:], log_odds, strict=True)
    )


#: 600 points stand for repayment odds of 12:1 (a 7.7% probability of default); every 40 points
#: double the odds. With the default policy, auto-approval then means a probability of default of
#: about 2% or less, and auto-decline about 14% or more.
DEFAULT_SCALE = ScoreScale(points_to_double_odds=40, base_score=600, base_odds=12)

DEFAULT_SCORECARD = Scorecard(
    version="default-2026.1",
    intercept=math.log(DEFAULT_SCALE.base_odds),
    scale=DEFAULT_SCALE,
    characteristics=(
        Characteristic(
            "debt_to_income",
            "Debt-to-income",
            _DOWN,
            _bins((0.20, 0.35, 0.45, 0.60), (0.6, 0.3, 0.0, -0.5, -1.1)),
        ),
        Characteristic(
            "payment_to_income",
            "Payment-to-income",
            _DOWN,
            _bins((0.10, 0.20, 0.30), (0.3, 0.15, -0.15, -0.5)),
        ),
        Characteristic(
            "loan_to_income",
            "Loan-to-income",
            _DOWN,
            _bins((0.25, 0.50, 1.00), (0.25, 0.1, -0.15, -0.45)),
        ),
        Characteristic(
            "employment_stability",
            "Employment stability",
            _UP,
            _bins((1.0, 3.0, 7.0), (-0.45, -0.1, 0.15, 0.35)),
        ),
        Characteristic(
            "savings_ratio",
            "Savings-to-loan",
            _UP,
            _bins((0.05, 0.25, 0.75), (-0.2, 0.0, 0.2, 0.4)),
        ),
        Characteristic(
            "existing_debt_ratio",
            "Existing debt-to-loan",
            _DOWN,
            _bins((0.10, 0.50, 1.50), (0.15, 0.0, -0.2, -0.45)),
        ),
    ),
)

DEFAULT_ROUTING_POLICY = RoutingPolicy(
    version=1,
    auto_decline_max=560.0,
    auto_approve_min=680.0,
    currency="EUR",
    max_loan_amount_auto=Decimal(50_000),
    max_term_months_auto=84,
    review_purposes=frozenset({LoanPurpose.BUSINESS}),
)

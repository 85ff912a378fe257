from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.factors import Factor, FeatureReading, principal_factors
from domain.credit.reasons import (
    DEFAULT_REASON_CODES,
    ReasonCode,
    ReasonCodeTable,
    describe_factor,
    factor_label,
)

_DERIVED = (
    "debt_to_income",
    "payment_to_income",
    "loan_to_income",
    "employment_stability",
    "savings_ratio",
    "existing_debt_ratio",
    "disposable_income",
)
_FEATURES = (
    *_DERIVED,
    *sorted(DEFAULT_REASON_CODES.protected),
    "Age",
    "SEX",
    "credit_history_months",
    "open_accounts",
    "loan_purpose",
)
_names = st.one_of(st.sampled_from(_FEATURES), st.text(min_size=1, max_size=8))
_finite = st.floats(allow_nan=False, allow_infinity=False)
_percentiles = st.floats(min_value=0, max_value=100)
# A few repeated magnitudes make ties in strength common, which is where the order goes wrong.
_contributions = st.dictionaries(
    _names,
    st.one_of(_finite, st.sampled_from([0.5, -0.5, 0.0, 1.0, -1.0])),
    max_size=16,
)
_readings = st.builds(
    FeatureReading,
    value=st.none() | _finite,
    category=st.none() | st.sampled_from(["car", "home", "education"]),
    percentile=st.none() | _percentiles,
)
_limits = st.integers(1, 8)
_directions = st.booleans()


@st.composite
def _tables(draw: st.DrawFn) -> ReasonCodeTable:
    protected = draw(st.frozensets(st.sampled_from(_FEATURES), max_size=6))
    return ReasonCodeTable(codes={}, fallback=ReasonCode("Z", "Other factors"), protected=protected)


_any_table = st.one_of(st.just(DEFAULT_REASON_CODES), _tables())


@st.composite
def _explanations(draw: st.DrawFn) -> tuple[dict[str, float], dict[str, FeatureReading]]:
    """Contributions, and readings for some of their features (and a few others)."""
    contributions = draw(_contributions)
    read = draw(
        st.sets(st.sampled_from(sorted(contributions))) if contributions else st.just(set())
    )
    extra = draw(st.sets(_names, max_size=3))
    readings = {feature: draw(_readings) for feature in sorted(read | extra)}
    return contributions, readings


def _eligible(
    contributions: dict[str, float],
    readings: dict[str, FeatureReading],
    table: ReasonCodeTable,
    toward_default: bool,
) -> dict[str, float]:
    folded = {p.casefold() for p in table.protected}
    return {
        f: c
        for f, c in contributions.items()
        if (c > 0 if toward_default else c < 0) and f in readings and f.casefold() not in folded
    }


# --- principal_factors: properties ------------------------------------------------------------


@given(_explanations(), _any_table, _limits, _directions)
def test_there_are_no_more_factors_than_the_limit_or_the_eligible_features(
    explanation: tuple[dict[str, float], dict[str, FeatureReading]],
    table: ReasonCodeTable,
    limit: int,
    toward_default: bool,
) -> None:
    contributions, readings = explanation
    factors = principal_factors(
        contributions, readings, table, limit=limit, toward_default=toward_default
    )
    eligible = _eligible(contributions, readings, table, toward_default)
    assert len(factors) == min(limit, len(eligible))


@given(_explanations(), _any_table, _limits, _directions)
def test_factors_point_the_way_asked_and_carry_the_input_figures(
    explanation: tuple[dict[str, float], dict[str, FeatureReading]],
    table: ReasonCodeTable,
    limit: int,
    toward_default: bool,
) -> None:
    contributions, readings = explanation
    for factor in principal_factors(
        contributions, readings, table, limit=limit, toward_default=toward_default
    ):
        assert factor.toward_default is toward_default
        assert (factor.contribution > 0) if toward_default else (factor.contribution < 0)
        assert factor.contribution == contributions[factor.feature]
        assert factor.reading is readings[factor.feature]


@given(_explanations(), _any_table, _limits, _directions)
def test_no_protected_feature_and_no_unread_feature_is_ever_a_factor(
    explanation: tuple[dict[str, float], dict[str, FeatureReading]],
    table: ReasonCodeTable,
    limit: int,
    toward_default: bool,
) -> None:
    contributions, readings = explanation
    folded = {p.casefold() for p in table.protected}
    for factor in principal_factors(
        contributions, readings, table, limit=limit, toward_default=toward_default
    ):
        assert factor.feature.casefold() not in folded
        assert factor.feature in readings


@given(_explanations(), _any_table, _limits, _directions)
def test_factors_come_strongest_first_and_ties_go_by_name(
    explanation: tuple[dict[str, float], dict[str, FeatureReading]],
    table: ReasonCodeTable,
    limit: int,
    toward_default: bool,
) -> None:
    contributions, readings = explanation
    factors = principal_factors(
        contributions, readings, table, limit=limit, toward_default=toward_default
    )
    keys = [(-abs(f.contribution), f.feature) for f in factors]
    assert keys == sorted(keys)
    assert len({f.feature for f in factors}) == len(factors)


@given(_explanations(), _any_table, _limits, _directions)
def test_no_eligible_feature_left_out_outranks_one_chosen(
    explanation: tuple[dict[str, float], dict[str, FeatureReading]],
    table: ReasonCodeTable,
    limit: int,
    toward_default: bool,
) -> None:
    contributions, readings = explanation
    factors = principal_factors(
        contributions, readings, table, limit=limit, toward_default=toward_default
    )
    chosen = {f.feature for f in factors}
    left_out = {
        f: c
        for f, c in _eligible(contributions, readings, table, toward_default).items()
        if f not in chosen
    }
    if left_out:
        weakest = factors[-1]
        assert all(
            (-abs(weakest.contribution), weakest.feature) < (-abs(c), f)
            for f, c in left_out.items()
        )


@given(_explanations(), _any_table, _limits, _directions, st.data())
def test_factors_do_not_depend_on_the_order_of_the_mappings(
    explanation: tuple[dict[str, float], dict[str, FeatureReading]],
    table: ReasonCodeTable,
    limit: int,
    toward_default: bool,
    data: st.DataObject,
) -> None:
    contributions, readings = explanation
    shuffled_contributions = dict(data.draw(st.permutations(list(contributions.items()))))
    shuffled_readings = dict(data.draw(st.permutations(list(readings.items()))))
    assert principal_factors(
        shuffled_contributions,
        shuffled_readings,
        table,
        limit=limit,
        toward_default=toward_default,
    ) == principal_factors(
        contributions, readings, table, limit=limit, toward_default=toward_default
    )


@given(_explanations(), _any_table, _limits)
def test_a_feature_is_a_factor_one_way_at_most(
    explanation: tuple[dict[str, float], dict[str, FeatureReading]],
    table: ReasonCodeTable,
    limit: int,
) -> None:
    contributions, readings = explanation
    against = principal_factors(contributions, readings, table, limit=limit)
    toward = principal_factors(contributions, readings, table, limit=limit, toward_default=False)
    assert not {f.feature for f in against} & {f.feature for f in toward}


@given(
    _explanations(),
    _any_table,
    _directions,
    st.sampled_from(_FEATURES),
    st.sampled_from([math.nan, math.inf, -math.inf]),
)
def test_a_broken_contribution_is_refused_wherever_it_is(
    explanation: tuple[dict[str, float], dict[str, FeatureReading]],
    table: ReasonCodeTable,
    toward_default: bool,
    broken_feature: str,
    broken: float,
) -> None:
    # Even on a protected or unread feature: a broken explanation is refused, not skipped.
    contributions, readings = explanation
    contributions = {**contributions, broken_feature: broken}
    with pytest.raises(ValueError, match=broken_feature):
        principal_factors(contributions, readings, table, toward_default=toward_default)


@given(_explanations(), st.integers(max_value=0), _directions)
def test_the_limit_must_allow_a_factor(
    explanation: tuple[dict[str, float], dict[str, FeatureReading]],
    limit: int,
    toward_default: bool,
) -> None:
    contributions, readings = explanation
    with pytest.raises(ValueError, match="limit"):
        principal_factors(
            contributions,
            readings,
            DEFAULT_REASON_CODES,
            limit=limit,
            toward_default=toward_default,
        )


# --- principal_factors: examples --------------------------------------------------------------


def _read(value: float, percentile: float | None = None) -> FeatureReading:
    return FeatureReading(value, percentile=percentile)


_CONTRIBUTIONS = {
    "age": 0.9,  # the strongest, and protected
    "Nationality": -0.8,  # protected too, whatever its case
    "debt_to_income": 0.5,
    "savings_ratio": 0.3,
    "loan_to_income": 0.3,  # ties with savings_ratio: the name decides
    "open_accounts": 0.4,  # strong, but the model read nothing for it
    "disposable_income": 0.05,  # beyond the limit
    "employment_stability": -0.2,
    "existing_debt_ratio": -0.2,  # ties with employment_stability
    "payment_to_income": 0.0,  # pushes neither way
}
_READINGS = {
    "age": _read(23.0),
    "Nationality": FeatureReading(1.0, category="foreign"),
    "debt_to_income": _read(0.47, 80.0),
    "savings_ratio": _read(0.05, 10.0),
    "loan_to_income": _read(2.5),
    "disposable_income": _read(310.0, 20.0),
    "employment_stability": _read(6.0, 75.0),
    "existing_debt_ratio": FeatureReading(None),
    "payment_to_income": _read(0.2, 50.0),
}


def test_the_principal_factors_toward_default_in_order_and_in_words() -> None:
    factors = principal_factors(_CONTRIBUTIONS, _READINGS, DEFAULT_REASON_CODES, limit=3)
    assert factors == (
        Factor("debt_to_income", 0.5, _READINGS["debt_to_income"]),
        Factor("loan_to_income", 0.3, _READINGS["loan_to_income"]),
        Factor("savings_ratio", 0.3, _READINGS["savings_ratio"]),
    )
    assert [f.statement for f in factors] == [
        "Debt-to-income 47%: higher than 80% of approved applicants",
        "Loan-to-income 250%",
        "Savings compared with the loan 5%: lower than 90% of approved applicants",
    ]


def test_the_principal_factors_toward_repayment() -> None:
    factors = principal_factors(
        _CONTRIBUTIONS, _READINGS, DEFAULT_REASON_CODES, toward_default=False
    )
    assert factors == (
        Factor("employment_stability", -0.2, _READINGS["employment_stability"]),
        Factor("existing_debt_ratio", -0.2, _READINGS["existing_debt_ratio"]),
    )
    assert [f.toward_default for f in factors] == [False, False]
    assert factors[0].statement == (
        "Employment stability 6.0 years: higher than 75% of approved applicants"
    )


def test_the_default_limit_is_four() -> None:
    contributions = {f"feature_{i}": float(i) for i in range(1, 7)}
    readings = {feature: _read(1.0) for feature in contributions}
    factors = principal_factors(contributions, readings, DEFAULT_REASON_CODES)
    assert [f.feature for f in factors] == ["feature_6", "feature_5", "feature_4", "feature_3"]


def test_nothing_to_say_gives_no_factors() -> None:
    assert principal_factors({}, {}, DEFAULT_REASON_CODES) == ()
    assert principal_factors({"debt_to_income": 0.4}, {}, DEFAULT_REASON_CODES) == ()
    assert (
        principal_factors(
            {"debt_to_income": 0.4},
            {"debt_to_income": _read(0.3)},
            DEFAULT_REASON_CODES,
            toward_default=False,
        )
        == ()
    )


@pytest.mark.parametrize("broken", [math.nan, math.inf, -math.inf])
def test_a_broken_contribution_is_named(broken: float) -> None:
    with pytest.raises(ValueError, match="savings_ratio"):
        principal_factors(
            {"savings_ratio": broken, "debt_to_income": 0.2},
            {"savings_ratio": _read(0.1), "debt_to_income": _read(0.3)},
            DEFAULT_REASON_CODES,
        )


def test_the_limit_of_zero_is_refused() -> None:
    with pytest.raises(ValueError, match="limit must be at least 1"):
        principal_factors({}, {}, DEFAULT_REASON_CODES, limit=0)


# --- Factor.statement -----------------------------------------------------------------------


@given(
    st.sampled_from(_FEATURES) | st.text(min_size=1, max_size=12),
    _finite,
    st.none() | _percentiles,
    _finite,
)
def test_a_number_is_stated_as_describe_factor_states_it(
    feature: str, value: float, percentile: float | None, contribution: float
) -> None:
    factor = Factor(feature, contribution, FeatureReading(value, percentile=percentile))
    assert factor.statement == describe_factor(feature, value, percentile)


@given(st.sampled_from(_FEATURES), st.none() | _finite, st.text(min_size=1, max_size=12))
def test_a_category_is_stated_by_its_text_not_its_code(
    feature: str, value: float | None, category: str
) -> None:
    statement = Factor(feature, 0.1, FeatureReading(value, category=category)).statement
    assert statement == f"{factor_label(feature)}: {category}"


@pytest.mark.parametrize(
    ("factor", "text"),
    [
        (
            Factor("debt_to_income", 0.5, FeatureReading(0.47, percentile=80.0)),
            "Debt-to-income 47%: higher than 80% of approved applicants",
        ),
        (
            Factor("payment_to_income", 0.1, FeatureReading(0.31, percentile=99.6)),
            "Payment-to-income 31%: higher than 99% of approved applicants",
        ),
        (
            Factor("disposable_income", -0.3, FeatureReading(1234.4)),
            "Monthly disposable income 1,234",
        ),
        (
            Factor("credit_history_months", 0.2, FeatureReading(36.0, percentile=25.0)),
            "Credit history months 36: lower than 75% of approved applicants",
        ),
        (Factor("loan_purpose", 0.2, FeatureReading(2.0, category="car")), "Loan purpose: car"),
        (
            Factor("housing", -0.1, FeatureReading(None, category="own")),
            "Housing: own",
        ),
        (
            Factor("credit_history_months", 0.2, FeatureReading(None)),
            "Credit history months not given",
        ),
        (Factor("loan_purpose", 0.2, FeatureReading(None)), "Loan purpose not given"),
    ],
)
def test_statements(factor: Factor, text: str) -> None:
    assert factor.statement == text


@given(st.sampled_from(_FEATURES) | st.text(min_size=1, max_size=12))
def test_a_missing_value_is_stated_as_not_given(feature: str) -> None:
    statement = Factor(feature, 0.1, FeatureReading(None)).statement
    assert statement == f"{factor_label(feature)} not given"


@pytest.mark.parametrize(
    ("feature", "text"),
    [
        ("debt_to_income", "Debt-to-income not given"),
        ("employment_stability", "Employment stability not given"),
        ("credit_history_months", "Credit history months not given"),
    ],
)
def test_a_missing_value_is_named_as_its_figure_would_be(feature: str, text: str) -> None:
    assert Factor(feature, 0.1, FeatureReading(None)).statement == text


# --- FeatureReading -------------------------------------------------------------------------


@given(st.none() | _finite, st.none() | st.text(max_size=8), st.none() | _percentiles)
def test_a_reading_of_finite_figures_is_accepted(
    value: float | None, category: str | None, percentile: float | None
) -> None:
    reading = FeatureReading(value, category=category, percentile=percentile)
    assert (reading.value, reading.category, reading.percentile) == (value, category, percentile)


@given(st.sampled_from([math.nan, math.inf, -math.inf]), st.none() | _percentiles)
def test_a_reading_refuses_a_value_that_is_not_a_number(
    value: float, percentile: float | None
) -> None:
    with pytest.raises(ValueError, match="finite"):
        FeatureReading(value, percentile=percentile)


@given(st.none() | _finite, st.floats().filter(lambda p: not 0 <= p <= 100))
def test_a_reading_refuses_a_percentile_outside_0_to_100(
    value: float | None, percentile: float
) -> None:
    with pytest.raises(ValueError, match="percentile"):
        FeatureReading(value, percentile=percentile)


@pytest.mark.parametrize("percentile", [0.0, 100.0])
def test_a_percentile_may_be_either_end(percentile: float) -> None:
    assert FeatureReading(0.5, percentile=percentile).percentile == percentile

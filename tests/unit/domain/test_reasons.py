from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.reasons import (
    DEFAULT_REASON_CODES,
    AdverseReason,
    ReasonCode,
    ReasonCodeTable,
    adverse_action_reasons,
    describe_factor,
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
)
_contributions = st.dictionaries(
    st.one_of(st.sampled_from(_FEATURES), st.text(min_size=1, max_size=8)),
    st.one_of(
        st.floats(allow_nan=False, allow_infinity=False), st.sampled_from([0.5, -0.5, 0.0, 1.0])
    ),
    max_size=16,
)
_limits = st.integers(1, 8)


@st.composite
def _tables(draw: st.DrawFn) -> ReasonCodeTable:
    protected = draw(st.frozensets(st.sampled_from(_FEATURES), max_size=6))
    folded = {p.casefold() for p in protected}
    citable = [f for f in _FEATURES if f.casefold() not in folded]
    codes = draw(st.dictionaries(st.sampled_from(citable), st.sampled_from(["A", "B", "C", "D"])))
    return ReasonCodeTable(
        codes={feature: ReasonCode(code, f"Statement {code}") for feature, code in codes.items()},
        fallback=ReasonCode("Z", "Other factors"),
        protected=protected,
    )


_any_table = st.one_of(st.just(DEFAULT_REASON_CODES), _tables())


def _eligible(contributions: dict[str, float], table: ReasonCodeTable) -> dict[str, float]:
    folded = {p.casefold() for p in table.protected}
    return {f: c for f, c in contributions.items() if c > 0 and f.casefold() not in folded}


# --- properties ------------------------------------------------------------------------------


@given(_contributions, _any_table, _limits)
def test_no_protected_feature_is_ever_cited(
    contributions: dict[str, float], table: ReasonCodeTable, limit: int
) -> None:
    folded = {p.casefold() for p in table.protected}
    reasons = adverse_action_reasons(contributions, table, limit=limit)
    assert not [r for r in reasons if r.feature.casefold() in folded]


@given(_contributions, _any_table, _limits)
def test_there_are_no_more_reasons_than_the_limit_or_the_eligible_features(
    contributions: dict[str, float], table: ReasonCodeTable, limit: int
) -> None:
    reasons = adverse_action_reasons(contributions, table, limit=limit)
    assert len(reasons) <= limit
    assert len(reasons) <= len(_eligible(contributions, table))


@given(_contributions, _any_table, _limits)
def test_reasons_come_strongest_first(
    contributions: dict[str, float], table: ReasonCodeTable, limit: int
) -> None:
    reasons = adverse_action_reasons(contributions, table, limit=limit)
    strengths = [r.contribution for r in reasons]
    assert strengths == sorted(strengths, reverse=True)
    assert [r.rank for r in reasons] == list(range(1, len(reasons) + 1))


@given(_contributions, _any_table, _limits, st.data())
def test_reasons_do_not_depend_on_the_order_of_the_mapping(
    contributions: dict[str, float], table: ReasonCodeTable, limit: int, data: st.DataObject
) -> None:
    shuffled = dict(data.draw(st.permutations(list(contributions.items()))))
    assert adverse_action_reasons(shuffled, table, limit=limit) == adverse_action_reasons(
        contributions, table, limit=limit
    )


@given(_contributions, _any_table, _limits)
def test_every_cited_contribution_is_positive_and_the_input_one(
    contributions: dict[str, float], table: ReasonCodeTable, limit: int
) -> None:
    for reason in adverse_action_reasons(contributions, table, limit=limit):
        assert reason.contribution > 0
        assert reason.contribution == contributions[reason.feature]


@given(_contributions, _any_table, _limits)
def test_codes_are_unique_in_the_result(
    contributions: dict[str, float], table: ReasonCodeTable, limit: int
) -> None:
    codes = [r.code for r in adverse_action_reasons(contributions, table, limit=limit)]
    assert len(codes) == len(set(codes))


@given(_contributions, _any_table)
def test_the_principal_reason_is_the_strongest_eligible_feature(
    contributions: dict[str, float], table: ReasonCodeTable
) -> None:
    eligible = _eligible(contributions, table)
    reasons = adverse_action_reasons(contributions, table, limit=1)
    if not eligible:
        assert reasons == ()
    else:
        assert reasons[0].contribution == max(eligible.values())


# --- examples --------------------------------------------------------------------------------


def test_a_declined_applicant_gets_the_principal_lawful_reasons() -> None:
    contributions = {
        "age": 0.9,  # the strongest, and protected
        "debt_to_income": 0.5,
        "existing_debt_ratio": 0.4,  # same code as debt_to_income: not cited twice
        "savings_ratio": 0.3,
        "loan_to_income": 0.3,  # ties with savings_ratio: the name decides
        "employment_stability": -0.2,  # helped the application
        "open_accounts": 0.1,  # no code of its own
        "disposable_income": 0.05,  # beyond the limit
    }
    assert adverse_action_reasons(contributions, DEFAULT_REASON_CODES) == (
        AdverseReason(
            1, "debt_to_income", "R01", "Excessive obligations in relation to income", 0.5
        ),
        AdverseReason(
            2, "loan_to_income", "R03", "Income insufficient for amount of credit requested", 0.3
        ),
        AdverseReason(3, "savings_ratio", "R05", "Insufficient savings or assets", 0.3),
        AdverseReason(4, "open_accounts", "R99", "Other factors in the application", 0.1),
    )


def test_features_without_a_code_share_the_fallback_once() -> None:
    reasons = adverse_action_reasons({"x": 2.0, "y": 1.0}, DEFAULT_REASON_CODES)
    assert [(r.feature, r.code) for r in reasons] == [("x", "R99")]


def test_protection_ignores_case() -> None:
    reasons = adverse_action_reasons({"Age": 3.0, "Nationality": 2.0}, DEFAULT_REASON_CODES)
    assert reasons == ()


def test_an_approval_leaning_explanation_gives_no_reasons() -> None:
    assert (
        adverse_action_reasons({"debt_to_income": -0.4, "savings_ratio": 0.0}, DEFAULT_REASON_CODES)
        == ()
    )


def test_the_limit_must_allow_a_reason() -> None:
    with pytest.raises(ValueError, match="limit"):
        adverse_action_reasons({"debt_to_income": 1.0}, DEFAULT_REASON_CODES, limit=0)


@pytest.mark.parametrize("broken", [math.nan, math.inf])
def test_a_broken_contribution_is_refused(broken: float) -> None:
    with pytest.raises(ValueError, match="savings_ratio"):
        adverse_action_reasons({"savings_ratio": broken}, DEFAULT_REASON_CODES)


def test_a_code_carries_one_statement() -> None:
    with pytest.raises(ValueError, match="R01"):
        ReasonCodeTable(
            codes={"a": ReasonCode("R01", "One thing"), "b": ReasonCode("R01", "Another")},
            fallback=ReasonCode("R99", "Other"),
        )
    with pytest.raises(ValueError, match="R99"):
        ReasonCodeTable(
            codes={"a": ReasonCode("R99", "One thing")}, fallback=ReasonCode("R99", "Other")
        )


def test_a_protected_feature_cannot_have_a_code() -> None:
    with pytest.raises(ValueError, match="age"):
        ReasonCodeTable(
            codes={"age": ReasonCode("R01", "Too young")},
            fallback=ReasonCode("R99", "Other"),
            protected=frozenset({"Age"}),
        )


def test_a_reason_code_needs_words() -> None:
    with pytest.raises(ValueError, match="statement"):
        ReasonCode("R01", " ")


def test_the_table_is_not_changed_through_its_source() -> None:
    source = {"a": ReasonCode("R01", "One thing")}
    table = ReasonCodeTable(codes=source, fallback=ReasonCode("R99", "Other"))
    source["b"] = ReasonCode("R02", "Another")
    assert set(table.codes) == {"a"}
    assert hash(table) == hash(ReasonCodeTable(codes=dict(table.codes), fallback=table.fallback))


def test_the_default_table_covers_the_derived_features_and_protects_the_rest() -> None:
    assert set(DEFAULT_REASON_CODES.codes) == set(_DERIVED)
    assert DEFAULT_REASON_CODES.fallback.statement == "Other factors in the application"
    assert {"sex", "marital_status", "age", "nationality", "foreign_worker"} <= (
        DEFAULT_REASON_CODES.protected
    )


# --- describe_factor -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("feature", "value", "percentile", "text"),
    [
        (
            "debt_to_income",
            0.47,
            80,
            "Debt-to-income 47%: higher than 80% of approved applicants",
        ),
        (
            "savings_ratio",
            0.05,
            10,
            "Savings compared with the loan 5%: lower than 90% of approved applicants",
        ),
        (
            "payment_to_income",
            0.31,
            99.6,
            "Payment-to-income 31%: higher than 99% of approved applicants",
        ),
        ("employment_stability", 4.5, None, "Employment stability 4.5 years"),
        ("disposable_income", 1234.4, None, "Monthly disposable income 1,234"),
        ("loan_to_income", 2.5, None, "Loan-to-income 250%"),
        ("credit_history_months", 36, None, "Credit history months 36"),
    ],
)
def test_describe_factor(feature: str, value: float, percentile: float | None, text: str) -> None:
    assert describe_factor(feature, value, percentile) == text


@pytest.mark.parametrize(("value", "percentile"), [(0.5, 101), (0.5, -1), (math.nan, None)])
def test_describe_factor_refuses_nonsense(value: float, percentile: float | None) -> None:
    with pytest.raises(ValueError, match=r"."):
        describe_factor("debt_to_income", value, percentile)

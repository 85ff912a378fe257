"""Adverse-action reasons: the principal reasons a declined applicant must be told.

Lending law (ECOA and Regulation B in the US, the Consumer Credit Directive in the EU) gives a
declined applicant the right to the specific principal reasons, in plain words, and forbids
basing a decision on protected characteristics. This module turns any model's per-feature
contributions into those reasons, so the rule lives in one place whatever the model.

Sign convention: a positive contribution pushed the application toward default and decline, a
negative one toward approval (SHAP values of a model of the probability of default have this sign;
so do scorecard penalties). Only positive contributions can be reasons for a decline.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType

from attrs import field, frozen


@frozen
class ReasonCode:
    """A reason as the applicant reads it: a stable code for systems, a statement for people."""

    code: str
    statement: str

    def __attrs_post_init__(self) -> None:
        if not self.code.strip() or not self.statement.strip():
            raise ValueError("a reason code needs a code and a statement")


def _frozen_codes(codes: Mapping[str, ReasonCode]) -> Mapping[str, ReasonCode]:
    return MappingProxyType(dict(codes))


@frozen
class ReasonCodeTable:
    """Which reason each feature is cited under, and which features may never be cited.

    Several features may share a code (two measures of the same burden give the applicant one
    reason), but a code must always carry the same statement, or what "R01" means would depend
    on which feature raised it. `codes` is excluded from the hash because a mapping is unhashable;
    equality still compares it.
    """

    codes: Mapping[str, ReasonCode] = field(converter=_frozen_codes, hash=False)
    fallback: ReasonCode
    protected: frozenset[str] = frozenset()

    def __attrs_post_init__(self) -> None:
        statements: dict[str, str] = {}
        for reason in (*self.codes.values(), self.fallback):
            if statements.setdefault(reason.code, reason.statement) != reason.statement:
                raise ValueError(f"reason code {reason.code} carries two different statements")
        cited_protected = sorted(f for f in self.codes if self.is_protected(f))
        if cited_protected:
            raise ValueError(f"protected features cannot have a reason code: {cited_protected}")

    def is_protected(self, feature: str) -> bool:
        """Case-insensitive, so "Age" from one model is as protected as "age" from another."""
        return feature.casefold() in {p.casefold() for p in self.protected}

    def reason_for(self, feature: str) -> ReasonCode:
        return self.codes.get(feature, self.fallback)


@frozen
class AdverseReason:
    """One cited reason: its rank (1 = principal), the feature behind it and how strongly."""

    rank: int
    feature: str
    code: str
    statement: str
    contribution: float


def adverse_action_reasons(
    contributions: Mapping[str, float], table: ReasonCodeTable, *, limit: int = 4
) -> tuple[AdverseReason, ...]:
    """The principal reasons for a decline, strongest first, at most `limit` of them.

    Only positive contributions count, and a protected feature is skipped even when it is the
    strongest: citing it would admit to an unlawful basis. Ties in contribution are broken by
    feature name, so the same contributions always give the same letter whatever the order of
    the mapping. A code already cited (through a stronger feature) is not cited again. A NaN or
    infinite contribution means the explanation is broken, and is refused rather than skipped.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    broken = sorted(f for f, c in contributions.items() if not math.isfinite(c))
    if broken:
        raise ValueError(f"contributions must be finite numbers; not so for {broken}")
    candidates = sorted(
        (
            (contribution, feature)
            for feature, contribution in contributions.items()
            if contribution > 0 and not table.is_protected(feature)
        ),
        key=lambda pair: (-pair[0], pair[1]),
    )
    reasons: list[AdverseReason] = []
    cited: set[str] = set()
    for contribution, feature in candidates:
        reason = table.reason_for(feature)
        if reason.code in cited:
            continue
        cited.add(reason.code)
        reasons.append(
            AdverseReason(len(reasons) + 1, feature, reason.code, reason.statement, contribution)
        )
        if len(reasons) == limit:
            break
    return tuple(reasons)


_OBLIGATIONS = ReasonCode("R01", "Excessive obligations in relation to income")

DEFAULT_REASON_CODES = ReasonCodeTable(
    codes={
        "debt_to_income": _OBLIGATIONS,
        # Existing loans are the same burden seen from another side: one reason, not two.
        "existing_debt_ratio": _OBLIGATIONS,
        "payment_to_income": ReasonCode(
            "R02", "Income insufficient for the monthly payment requested"
        ),
        "loan_to_income": ReasonCode("R03", "Income insufficient for amount of credit requested"),
        "employment_stability": ReasonCode("R04", "Length of employment"),
        "savings_ratio": ReasonCode("R05", "Insufficient savings or assets"),
        "disposable_income": ReasonCode(
            "R06", "Income remaining after obligations and living costs is insufficient"
        ),
    },
    fallback=ReasonCode("R99", "Other factors in the application"),
    protected=frozenset(
        {
            "sex",
            "marital_status",
            "age",
            "nationality",
            "foreign_worker",
            "personal_status_and_sex",
            "date_of_birth",
            "religion",
            "ethnicity",
        }
    ),
)

_PERCENT = "{:.0%}"
# feature -> (label, format of its value); ratios read as percentages.
_FACTOR_PRESENTATION: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "debt_to_income": ("Debt-to-income", _PERCENT),
        "payment_to_income": ("Payment-to-income", _PERCENT),
        "loan_to_income": ("Loan-to-income", _PERCENT),
        "savings_ratio": ("Savings compared with the loan", _PERCENT),
        "existing_debt_ratio": ("Existing debt compared with the loan", _PERCENT),
        "employment_stability": ("Employment stability", "{:.1f} years"),
        "disposable_income": ("Monthly disposable income", "{:,.0f}"),
    }
)


def factor_label(feature: str) -> str:
    """How a feature is named to people: "Debt-to-income", else its name in words."""
    presentation = _FACTOR_PRESENTATION.get(feature)
    return presentation[0] if presentation else feature.replace("_", " ").capitalize()


def describe_factor(
    feature: str, value: float, percentile_among_approved: float | None = None
) -> str:
    """One factor in plain words, for example "Debt-to-income 47%: higher than 80% of approved
    applicants".

    `percentile_among_approved` (0 to 100) is the share of approved applicants with a lower value.
    Below the 50th percentile the sentence turns round ("lower than 90% of ...") so it states the
    larger, more telling share, and shares are rounded down so the sentence is never an
    overstatement. A feature without a label is named after itself.
    """
    if not math.isfinite(value):
        raise ValueError("a factor's value must be a finite number")
    label, template = factor_label(feature), _FACTOR_PRESENTATION.get(feature, ("", "{:,.4g}"))[1]
    text = f"{label} {template.format(value)}"
    if percentile_among_approved is None:
        return text
    if not 0 <= percentile_among_approved <= 100:
        raise ValueError("a percentile lies between 0 and 100")
    if percentile_among_approved >= 50:
        comparison, share = "higher", percentile_among_approved
    else:
        comparison, share = "lower", 100 - percentile_among_approved
    return f"{text}: {comparison} than {math.floor(share)}% of approved applicants"

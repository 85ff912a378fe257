"""The prompt a second opinion is asked with: the numbers of a case, and nothing about a person.

What goes in is what an analyst decides on: the derived affordability features, the loan
(amount, term, purpose, rate), the model's score and probability of default with its strongest
contributions, and the scorecard's result. What never goes in is anything that identifies
someone: no name, birth date, contact data, address, employer, national id, the lender's
reference or free-text attributes, and no id of the application, tenant or applicant. The
builder takes only those values, not the form, so there is no path for personal data to leak
through, and a test holds that the prompt of a form full of personal data holds none of it.

The text is deterministic (sorted keys, rounded numbers), so the same case asks the same
question and the gateway's cache answers it without paying twice. Its wording is versioned by
`PROMPT_VERSION` in `domain.credit.second_opinion`.
"""

from __future__ import annotations

import json
import re

from attrs import frozen

from domain.credit.application import LoanRequest
from domain.credit.features import Features
from domain.credit.scorecard import ScorecardResult
from domain.credit.scoring import ModelScore
from domain.credit.second_opinion import MAX_FACTORS
from domain.pii import JsonValue

__all__ = ["SYSTEM_PROMPT", "TOP_CONTRIBUTIONS", "OpinionPrompt", "second_opinion_prompt"]

#: How many of the model's contributions (the largest by size) the prompt shows.
TOP_CONTRIBUTIONS = 5

SYSTEM_PROMPT = (
    "You are a credit risk analyst giving a second opinion on a consumer loan application "
    "that a statistical model and a scorecard have already assessed. You see only the "
    "application's figures, never who the applicant is. Weigh affordability, the model's "
    "probability of default and its strongest factors, and the scorecard's lines. Suggest "
    '"approve", "decline" or "review" (a person should look), rate the risk low, medium or '
    f"high, name 1 to {MAX_FACTORS} key factors, each with the figures that show it, and give "
    "your confidence from 0 to 1. Your opinion is advice to a human reviewer; answer only "
    "with JSON in the schema given."
)

# A feature name is a model's column name; anything else in it is dropped rather than sent.
_NAME = re.compile(r"[^A-Za-z0-9_.:=\- ]")
_MAX_NAME = 64


@frozen
class OpinionPrompt:
    system: str
    user: str


def _number(value: float, places: int = 4) -> float:
    return round(float(value), places)


def _feature_name(name: str) -> str:
    return _NAME.sub("", name)[:_MAX_NAME]


def second_opinion_prompt(
    features: Features,
    loan: LoanRequest,
    model: ModelScore,
    scorecard: ScorecardResult,
    *,
    top: int = TOP_CONTRIBUTIONS,
) -> OpinionPrompt:
    """The system and user texts for one scored application (see the module doc)."""
    strongest = sorted(model.contributions, key=lambda item: (-abs(item[1]), item[0]))[:top]
    facts: dict[str, JsonValue] = {
        "loan": {
            "amount": str(loan.amount.amount),
            "currency": loan.amount.currency,
            "term_months": loan.term_months,
            "purpose": loan.purpose.value,
            "annual_rate_percent": str(loan.annual_rate_percent),
        },
        "features": {name: _number(value) for name, value in features.as_mapping().items()},
        "model": {
            "score": _number(model.score, 1),
            "probability_of_default": _number(model.probability_of_default),
            "strongest_contributions": [
                {"feature": _feature_name(name), "log_odds_of_default": _number(value)}
                for name, value in strongest
            ],
            "note": "a positive contribution pushes toward default, a negative toward repayment",
        },
        "scorecard": {
            "score": _number(scorecard.score, 1),
            "probability_of_default": _number(scorecard.probability_of_default),
            "lines": [
                {
                    "feature": line.feature,
                    "value": _number(line.value),
                    "bin": line.bin_label,
                    "points": _number(line.points, 1),
                }
                for line in scorecard.lines
            ],
        },
    }
    text = json.dumps(facts, sort_keys=True, ensure_ascii=False, indent=1)
    return OpinionPrompt(SYSTEM_PROMPT, f"The application's figures, as JSON:\n{text}")

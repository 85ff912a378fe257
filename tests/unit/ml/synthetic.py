"""A small synthetic loan history with a known signal, for fast tests of training and scoring.

Default risk rises with the payment burden, a record of arrears and renting, and falls with
savings; the protected attributes (marital status, age) are drawn to be *predictive* too, so a
model that read them would gain by it: a test that they stay out of the schema is then
meaningful. Generated from a seeded `random.Random`, so every run sees the same history.
"""

from __future__ import annotations

import math
import random
from decimal import Decimal

from attrs import evolve

from domain.credit.application import ApplicationForm, LoanPurpose
from tests.builders import an_application_form, eur

HOMES = ("owner", "rent", "parents", "other")
HOME_RISK = {"owner": -0.6, "rent": 0.5, "parents": 0.0, "other": 0.3}
MARITAL = ("married", "single", "widow")


def synthetic_form(rng: random.Random, number: int) -> tuple[ApplicationForm, float]:
    """One form and its true log-odds of default."""
    income = rng.randint(900, 6_000)
    amount = rng.randint(1_000, 40_000)
    term = rng.choice((12, 24, 36, 48, 60, 72))
    savings = rng.randint(1, 30_000)
    price = int(amount * rng.uniform(1.0, 2.5))
    home = rng.choices(HOMES, weights=(5, 4, 2, 1))[0]
    records = rng.random() < 0.2
    marital = rng.choice(MARITAL)
    form = an_application_form(
        external_id=f"SYN-{number:05d}",
        amount=eur(amount),
        term_months=term,
        purpose=rng.choice((LoanPurpose.CAR, LoanPurpose.PERSONAL, LoanPurpose.EDUCATION)),
        net_monthly_income=eur(income),
        monthly_expenses=eur(rng.randint(300, 800)),
        existing_loan_payments=eur(rng.randint(1, 600)),
        savings=eur(savings),
        total_liabilities=eur(rng.randint(1, 20_000)),
        years_employed=Decimal(rng.randint(0, 30)),
    )
    attributes = {
        "home": home,
        "records": "yes" if records else "no",
        "purchase_price": str(price),
        "marital_status": marital,
        "age": str(rng.randint(19, 75)),
    }
    if rng.random() < 0.1:
        del attributes["home"]  # sometimes not recorded
    burden = (amount / term) / income
    log_odds = (
        -1.6
        + 4.0 * burden
        + 1.2 * records
        + HOME_RISK[home]
        - 0.4 * math.log1p(savings / 1_000)
        + 0.8 * (amount / price)
        + (0.7 if marital == "single" else 0.0)
    )
    return evolve(form, attributes=attributes), log_odds


def synthetic_history(size: int, seed: int = 7) -> tuple[list[ApplicationForm], list[bool]]:
    """`size` forms with outcomes drawn from their true risk."""
    rng = random.Random(seed)  # noqa: S311  # test data, not secrets
    forms: list[ApplicationForm] = []
    defaulted: list[bool] = []
    for number in range(size):
        form, log_odds = synthetic_form(rng, number)
        forms.append(form)
        defaulted.append(rng.random() < 1.0 / (1.0 + math.exp(-log_odds)))
    return forms, defaulted

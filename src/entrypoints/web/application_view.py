"""An application as the workbench's pages print it: amounts with their currency, labels for
codes, and the applicant's personal data masked.

Personal data is masked on the pages with the domain's own maskers (`domain.pii`, the ones the
audit trail and exports use): a reviewer tells applicants apart by the first letters of a
name, the year of birth, an email's domain, and decides on the financials, which are shown in
full. The unmasked record stays behind the API, where reading it is a deliberate request.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from attrs import frozen

from domain.credit.application import Applicant, ApplicationForm
from domain.credit.money import Money
from domain.pii import (
    mask_birth_date,
    mask_email,
    mask_fully,
    mask_name,
    mask_national_id,
    mask_phone,
)


def label(code: StrEnum | str | None) -> str:
    """`home_improvement` as "Home improvement"; nothing as a dash."""
    if code is None or code == "":
        return "—"
    text = str(code.value if isinstance(code, StrEnum) else code)
    return text.replace("_", " ").capitalize()


def money(value: Money | None) -> str:
    """`Money(12000, "EUR")` as "12,000.00 EUR"."""
    if value is None:
        return "—"
    return f"{value.amount.quantize(Decimal('0.01')):,} {value.currency}"


def masked_name(applicant: Applicant) -> str:
    personal = applicant.personal
    return f"{mask_name(personal.first_name)} {mask_name(personal.last_name)}"


@frozen
class MaskedApplicant:
    """The applicant's identity as a page shows it: enough to tell people apart, no more."""

    name: str
    date_of_birth: str
    email: str
    phone: str
    national_id: str
    street: str
    city: str
    postal_code: str
    country: str


def masked_applicant(form: ApplicationForm) -> MaskedApplicant:
    personal, address = form.applicant.personal, form.applicant.address
    return MaskedApplicant(
        name=masked_name(form.applicant),
        date_of_birth=mask_birth_date(personal.date_of_birth.isoformat()),
        email=mask_email(personal.email),
        phone=mask_phone(personal.phone),
        national_id=mask_national_id(personal.national_id),
        street=mask_fully(address.street),
        city=address.city,
        postal_code=address.postal_code,
        country=address.country,
    )


def financial_rows(form: ApplicationForm) -> tuple[tuple[str, str], ...]:
    """(label, amount) for each monthly flow and balance the applicant declared."""
    f = form.financials
    return (
        ("Net monthly income", money(f.net_monthly_income)),
        ("Other monthly income", money(f.other_monthly_income)),
        ("Monthly expenses", money(f.monthly_expenses)),
        ("Existing loan payments", money(f.existing_loan_payments)),
        ("Savings", money(f.savings)),
        ("Other assets", money(f.other_assets)),
        ("Total liabilities", money(f.total_liabilities)),
    )

"""How the pages print an application: personal data masked by the domain's maskers."""

from __future__ import annotations

from decimal import Decimal

from attrs import asdict

from domain.credit.application import LoanPurpose
from domain.credit.money import Money
from domain.credit.status import ApplicationStatus
from entrypoints.web.application_view import label, masked_applicant, money
from tests.builders import an_application_form


def test_no_personal_value_appears_in_the_clear() -> None:
    form = an_application_form(first_name="Ana", last_name="Marković")
    shown = masked_applicant(form)
    personal = form.applicant.personal
    clear = [
        personal.email, personal.phone, personal.national_id, personal.date_of_birth.isoformat(),
        form.applicant.address.street, "Ana", "Marković",
    ]  # fmt: skip
    printed = " ".join(asdict(shown).values())
    assert not [value for value in clear if value in printed]
    assert shown.email.endswith("@example.com")
    assert shown.date_of_birth.startswith("1988-")
    assert shown.city == "Beograd"


def test_amounts_keep_their_currency_and_cents() -> None:
    assert money(Money(Decimal("12000"), "EUR")) == "12,000.00 EUR"
    assert money(Money(Decimal("0.5"), "RSD")) == "0.50 RSD"
    assert money(None) == "—"


def test_codes_read_as_words() -> None:
    assert label(LoanPurpose.HOME_IMPROVEMENT) == "Home improvement"
    assert label(ApplicationStatus.REVIEW) == "Review"
    assert label(None) == "—"

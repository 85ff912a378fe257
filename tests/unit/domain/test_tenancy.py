from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.application import ApplicationForm, form_fingerprint
from domain.identity import Permission, Role
from domain.tenancy import User, tenant_problems, user_problems

from .strategies import forms


def test_a_user_acts_as_a_principal_without_name_or_email() -> None:
    user = User(
        id="u-1",
        tenant_id="t-1",
        email="ana@example.com",
        display_name="Ana",
        role=Role.ANALYST,
        password_hash="hash",
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        denials=frozenset({Permission.DECISION_OVERRIDE}),
    )
    principal = user.principal()
    assert (principal.user_id, principal.tenant_id, principal.role) == ("u-1", "t-1", Role.ANALYST)
    assert principal.denials == {Permission.DECISION_OVERRIDE}
    assert "ana@example.com" not in repr(principal)


def test_new_tenants_and_users_are_checked_whole() -> None:
    assert [p.path for p in tenant_problems("Bad Slug", " ")] == ["slug", "name"]
    assert tenant_problems("banka-intesa", "Banka") == ()
    assert [p.path for p in user_problems("nope", "", "short")] == [
        "email",
        "display_name",
        "password",
    ]
    assert user_problems("ana@example.com", "Ana", None) == ()


@given(forms())
def test_property_the_fingerprint_ignores_how_a_number_was_written(form: ApplicationForm) -> None:
    amount = form.loan.amount
    padded = evolve(amount, amount=amount.amount.quantize(Decimal("0.0001")))
    same = evolve(form, loan=evolve(form.loan, amount=padded))
    assert form_fingerprint(same) == form_fingerprint(form)


@given(forms(), st.integers(min_value=1, max_value=1000))
def test_property_the_fingerprint_changes_with_the_content(
    form: ApplicationForm, more: int
) -> None:
    bigger = evolve(form.loan.amount, amount=form.loan.amount.amount + more)
    changed = evolve(form, loan=evolve(form.loan, amount=bigger))
    assert form_fingerprint(changed) != form_fingerprint(form)

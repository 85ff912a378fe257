"""The one converter: strict structuring, every problem named, and lossless round trips."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

from adapters.serialization import structure, unstructure
from domain.credit.application import ApplicationForm
from domain.credit.decisions import Condition, ConditionType, Terms
from domain.credit.money import Money
from domain.errors import ValidationFailed
from tests.unit.domain.strategies import forms

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "applications.json"


def _sample() -> dict[str, Any]:
    first: dict[str, Any] = json.loads(SAMPLES.read_text(encoding="utf-8"))[0]
    return first


@given(forms())
def test_property_a_form_round_trips_through_json(form: ApplicationForm) -> None:
    text = json.dumps(unstructure(form))
    assert structure(json.loads(text), ApplicationForm) == form


def test_money_reads_both_forms_and_writes_the_long_one() -> None:
    assert structure("1234.50 EUR", Money) == Money(Decimal("1234.50"), "EUR")
    assert structure({"amount": "0.1", "currency": "EUR"}, Money) == Money(Decimal("0.1"), "EUR")
    assert structure({"amount": 0.1, "currency": "EUR"}, Money).amount == Decimal("0.1")
    assert unstructure(Money.of("7.50", "RSD")) == {"amount": "7.50", "currency": "RSD"}


def test_derived_fields_are_written_but_never_read_back() -> None:
    terms = Terms(Money.of(10_000, "EUR"), 12, Decimal(12))
    data = unstructure(terms)
    assert data["monthly_payment"] == {"amount": "888.49", "currency": "EUR"}
    del data["monthly_payment"]
    assert structure(data, Terms) == terms


def test_every_broken_field_is_named_with_its_path() -> None:
    body = _sample()
    body["external_id"] = 17
    body["applicant"]["personal"].pop("email")
    body["applicant"]["employment"]["employment_type"] = "astronaut"
    body["loan"]["term_months"] = 12.5
    body["loan"]["amount"] = "lots"
    body["financials"]["bonus"] = "1 EUR"
    with pytest.raises(ValidationFailed) as caught:
        structure(body, ApplicationForm)
    found = {p.path: p.message for p in caught.value.problems}
    assert found == {
        "external_id": "must be text",
        "applicant.personal.email": "is required",
        "applicant.employment.employment_type": (
            "must be one of: employed, self_employed, retired, student, unemployed"
        ),
        "loan.term_months": "must be a whole number",
        "loan.amount": 'must be money, {"amount": "1234.50", "currency": "EUR"}',
        "financials": "has unknown fields: bonus",
    }


def test_a_body_that_is_not_an_object_is_refused_plainly() -> None:
    with pytest.raises(ValidationFailed) as caught:
        structure(["not", "an", "application"], ApplicationForm)
    assert len(caught.value.problems) == 1


def test_nested_lists_report_their_index() -> None:
    good = unstructure(Condition(ConditionType.DOCUMENTATION, "Payslips"))
    with pytest.raises(ValidationFailed) as caught:
        structure([good, {**good, "condition_type": "prayer"}], list[Condition])
    assert [p.path for p in caught.value.problems] == ["[1].condition_type"]


def test_timestamps_must_carry_a_time_zone() -> None:
    assert structure("2026-11-22T09:30:00+00:00", datetime) == datetime(
        2026, 11, 22, 9, 30, tzinfo=UTC
    )
    with pytest.raises(ValidationFailed):
        structure("2026-11-22T09:30:00", datetime)


def test_the_sample_file_holds_valid_forms() -> None:
    forms_ = [structure(item, ApplicationForm) for item in json.loads(SAMPLES.read_text("utf-8"))]
    assert len(forms_) == 5
    assert [f.external_id for f in forms_] == [f"LND-2026-000{i}" for i in range(1, 6)]

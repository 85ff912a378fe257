from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

import pytest
from attrs import frozen

from application.credit.snapshots import application_snapshot, to_json, user_snapshot
from tests.builders import NOW, a_user, an_application


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


@frozen
class Inner:
    amount: Decimal
    day: date


@frozen
class Outer:
    colour: Colour
    inner: Inner
    tags: frozenset[str]
    pairs: tuple[tuple[str, float], ...]
    extra: dict[str, int]


def test_values_become_plain_json_with_exact_decimals_and_sorted_sets() -> None:
    value = Outer(
        Colour.RED,
        Inner(Decimal("12000.50"), date(2026, 11, 22)),
        frozenset({"b", "a", "c"}),
        (("debt_to_income", 0.4),),
        {"k": 1},
    )

    assert to_json(value) == {
        "colour": "red",
        "inner": {"amount": "12000.50", "day": "2026-11-22"},
        "tags": ["a", "b", "c"],
        "pairs": [["debt_to_income", 0.4]],
        "extra": {"k": 1},
    }
    assert to_json(NOW) == NOW.isoformat()


def test_a_value_with_no_json_form_is_refused() -> None:
    with pytest.raises(TypeError, match="bytes"):
        to_json(b"raw")


def test_an_application_snapshot_leaves_out_the_unmaskable_birth_date() -> None:
    found = application_snapshot(an_application())

    form = found["form"]
    assert isinstance(form, dict)
    applicant = form["applicant"]
    assert isinstance(applicant, dict)
    personal = applicant["personal"]
    assert isinstance(personal, dict)
    assert "date_of_birth" not in personal
    assert personal["first_name"] == "Ana"  # masked later, by domain.audit.record_event
    assert found["status"] == "pending"


def test_a_user_snapshot_never_holds_the_password_hash_nor_the_name() -> None:
    found = user_snapshot(a_user())

    assert "password_hash" not in found
    assert "display_name" not in found
    assert found["role"] == "analyst"

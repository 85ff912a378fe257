"""PII masking: what an audit log, a log line or a screen may show of a person."""

from __future__ import annotations

import string
from collections.abc import Callable

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from domain.pii import (
    JsonValue,
    calling_code,
    mask_email,
    mask_name,
    mask_national_id,
    mask_phone,
    mask_record,
)

from .json_strategies import MASKER_OF_KEY, records

# --- masking: examples -------------------------------------------------------------------


def test_masking_examples_from_the_specification() -> None:
    assert mask_email("marko.petrovic@example.com") == "***@example.com"
    assert mask_email("not an email") == "***"
    assert mask_phone("+381641234567") == "+381*******67"
    assert mask_phone("+381 64 123-45-67") == "+381*******67"
    assert mask_phone("(064) 123 4567") == "********67"
    assert mask_phone("+38112") == "+*****"
    assert mask_national_id("1503985710012") == "1503*********"
    assert mask_national_id("1503") == "****"
    assert mask_name("Marković") == "Ma*****ć"
    assert mask_name("Ana") == "A**"
    assert mask_name("Ana Marković") == "A** Ma*****ć"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("12025550100", "1"),
        ("74951234567", "7"),
        ("447911123456", "44"),
        ("4915112345678", "49"),
        ("201001234567", "20"),
        ("381641234567", "381"),
        ("385911234567", "385"),
        ("8613800138000", "86"),
        ("971501234567", "971"),
        ("212612345678", "212"),
    ],
)
def test_calling_code_follows_the_itu_plan(number: str, code: str) -> None:
    assert calling_code(number) == code


def test_mask_record_masks_nested_lists_and_spelling_variants() -> None:
    record: dict[str, JsonValue] = {
        "applicant": {
            "firstName": "Marko",
            "last_name": "Petrović",
            "contacts": [{"email": "m@example.com"}, {"mobile": 381641234567}],
            "address": {"street": "Knez Mihailova 5", "city": "Beograd"},
        },
        "phone": ["+381641234567", None],
        "amount": 250000,
        "name": {"given": "Ana", "email": "ana@example.com"},
    }
    assert mask_record(record) == {
        "applicant": {
            "firstName": "Ma**o",
            "last_name": "Pe*****ć",
            "contacts": [{"email": "***@example.com"}, {"mobile": "**********67"}],
            "address": {"street": "***", "city": "Beograd"},
        },
        "phone": ["+381*******67", None],
        "amount": 250000,
        "name": {"given": "A**", "email": "***@example.com"},
    }


# --- masking: properties -----------------------------------------------------------------


@given(st.emails())
def test_a_masked_email_keeps_the_domain_and_hides_the_local_part(email: str) -> None:
    local, _, domain = email.rpartition("@")
    masked = mask_email(email)
    assert masked == "***@" + domain
    assume(local not in "***@" + domain)
    assert local not in masked


@given(st.booleans(), st.text(alphabet=string.digits, min_size=1, max_size=15), st.data())
def test_a_masked_phone_keeps_country_and_last_two_digits_only(
    international: bool, digits: str, data: st.DataObject
) -> None:
    separators = data.draw(st.lists(st.sampled_from(["", " ", "-", "(", ")"]), min_size=15))
    plus = "+" if international else ""
    masked = mask_phone(plus + "".join(s + d for s, d in zip(separators, digits, strict=False)))
    code = calling_code(digits) if international else ""
    hidden = len(digits) - len(code) - 2
    assert set(masked) <= set(string.digits + "*+")
    assert masked.startswith(plus)
    if hidden >= 3:
        assert masked.startswith(plus + code)
        assert masked.endswith(digits[-2:])
        assert masked.count("*") == hidden
    else:
        assert masked == plus + "*" * len(digits)
    assert mask_phone(masked) == masked


@given(st.text(max_size=20))
def test_a_masked_national_id_shows_only_its_first_four_characters(national_id: str) -> None:
    masked = mask_national_id(national_id)
    assert len(masked) == len(national_id)
    kept = 4 if len(national_id) > 4 else 0
    assert masked[:kept] == national_id[:kept]
    assert set(masked[kept:]) <= {"*"}


@given(st.lists(st.text(st.characters(categories=["L"]), min_size=1, max_size=12), min_size=1))
def test_a_masked_name_hides_the_middle_of_every_word(words: list[str]) -> None:
    masked = mask_name(" ".join(words)).split(" ")
    assert len(masked) == len(words)
    for word, masked_word in zip(words, masked, strict=True):
        assert len(masked_word) == len(word)
        shown = [0] if len(word) <= 4 else [0, 1, len(word) - 1]
        for i, char in enumerate(masked_word):
            assert char == (word[i] if i in shown else "*")


@given(records)
def test_mask_record_is_idempotent(record: dict[str, JsonValue]) -> None:
    once = mask_record(record)
    assert mask_record(once) == once


def assert_masked(
    original: JsonValue, masked: JsonValue, masker: Callable[[str], str] | None
) -> None:
    if isinstance(original, dict):
        assert isinstance(masked, dict)
        assert masked.keys() == original.keys()
        for key, value in original.items():
            assert_masked(value, masked[key], MASKER_OF_KEY.get(key, masker))
    elif isinstance(original, list):
        assert isinstance(masked, list)
        assert len(masked) == len(original)
        for item, masked_item in zip(original, masked, strict=True):
            assert_masked(item, masked_item, masker)
    elif masker is None or original is None or isinstance(original, bool):
        assert masked == original
    else:
        assert masked == masker(original if isinstance(original, str) else str(original))


@given(records)
def test_mask_record_leaves_nothing_under_a_pii_key_unmasked(record: dict[str, JsonValue]) -> None:
    assert_masked(record, mask_record(record), None)


def test_birth_dates_keep_the_year_and_display_names_are_names() -> None:
    masked = mask_record({"date_of_birth": "1988-05-14", "display_name": "Ana Marković"})
    assert masked == {"date_of_birth": "1988-**-**", "display_name": "A** Ma*****ć"}
    assert mask_record({"birth_date": "14.05.1988"}) == {"birth_date": "***"}

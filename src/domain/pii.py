"""Masking of personal data before it reaches an audit trail, a log or an analyst's screen.

An audit trail is kept for years and read by many people; the personal data in it is needed by
almost none of them. Masking keeps just enough to tell records apart by eye (the email's domain,
a phone's country and last digits, a name's first letters) and hides the rest.

Every masker is idempotent: masking a masked value changes nothing. That lets `mask_record` be
applied at every boundary without worrying whether a value was already masked, and makes the
stored audit data a fixed point that a verifier can recompute.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from typing import TypeAlias

JsonValue: TypeAlias = bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"] | None
"""A value that survives a JSON round trip: what audit events and API payloads are made of."""

HIDDEN = "*"
FULLY_MASKED = "***"

_DIGITS = "0123456789"
_WHITESPACE = re.compile(r"(\s+)")

# ITU-T E.164 country calling codes form a prefix-free code: one digit for 1 and 7, two digits
# for these prefixes, three digits for every other prefix.
_TWO_DIGIT_CALLING_CODES = frozenset(
    {
        "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46",
        "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63",
        "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
    }
)  # fmt: skip
_PHONE_KEPT_TAIL = 2
_PHONE_MIN_HIDDEN = 3
_NATIONAL_ID_KEPT = 4
_SHORT_NAME = 4


def mask_email(email: str) -> str:
    """`marko.petrovic@example.com` -> `***@example.com`: the domain says which lender or
    provider, the local part says who."""
    _, at, domain = email.rpartition("@")
    return f"{FULLY_MASKED}@{domain}" if at else FULLY_MASKED


def calling_code(digits: str) -> str:
    """The country calling code that starts an international number given as bare digits."""
    if digits[:1] in ("1", "7"):
        return digits[:1]
    if digits[:2] in _TWO_DIGIT_CALLING_CODES:
        return digits[:2]
    return digits[:3]


def mask_phone(phone: str) -> str:
    """`+381641234567` -> `+381*******67`: keeps the country and the last two digits.

    Separators are dropped so the number of '*' is exactly the number of digits hidden. A '*'
    in the input counts as an already hidden digit, which keeps the function idempotent. A
    number with fewer than three digits left to hide is hidden entirely, since keeping its
    ends would give it away.
    """
    international = phone.lstrip().startswith("+")
    symbols = "".join(c for c in phone if c in _DIGITS or c == HIDDEN)
    if not symbols:
        return FULLY_MASKED
    plus = "+" if international else ""
    code = calling_code(symbols) if international else ""
    hidden = len(symbols) - len(code) - _PHONE_KEPT_TAIL
    tail = symbols[-_PHONE_KEPT_TAIL:]
    if hidden < _PHONE_MIN_HIDDEN or HIDDEN in code or HIDDEN in tail:
        return plus + HIDDEN * len(symbols)
    return plus + code + HIDDEN * hidden + tail


def mask_national_id(national_id: str) -> str:
    """`1503985710012` -> `1503*********`: the first digits (often a birth date) are kept so
    an analyst can match a record; an id of four characters or fewer is hidden entirely."""
    if len(national_id) <= _NATIONAL_ID_KEPT:
        return HIDDEN * len(national_id)
    return national_id[:_NATIONAL_ID_KEPT] + HIDDEN * (len(national_id) - _NATIONAL_ID_KEPT)


def _mask_word(word: str) -> str:
    if len(word) <= _SHORT_NAME:
        return word[:1] + HIDDEN * (len(word) - 1)
    return word[:2] + HIDDEN * (len(word) - 3) + word[-1]


def mask_name(name: str) -> str:
    """`Marković` -> `Ma*****ć`, word by word; short words keep only their first letter.

    Whitespace between words is kept as it was, so the shape of the name stays recognisable.
    """
    return "".join(
        part if _WHITESPACE.fullmatch(part) else _mask_word(part)
        for part in _WHITESPACE.split(name)
    )


def mask_birth_date(value: str) -> str:
    """Keep the year only ("1988-**-**"): enough for age-band analysis, too little to identify."""
    year, dash, _rest = value.partition("-")
    if not (dash and len(year) == 4 and year.isdigit()):
        return FULLY_MASKED
    return f"{year}-**-**"


def mask_fully(_: str) -> str:
    """Hide the whole value; used for address lines, where any fragment can identify a home."""
    return FULLY_MASKED


_MASKERS: Mapping[str, Callable[[str], str]] = {
    "email": mask_email,
    "phone": mask_phone,
    "phone_number": mask_phone,
    "mobile": mask_phone,
    "national_id": mask_national_id,
    "personal_id": mask_national_id,
    "tax_id": mask_national_id,
    "ssn": mask_national_id,
    "first_name": mask_name,
    "last_name": mask_name,
    "full_name": mask_name,
    "name": mask_name,
    "middle_name": mask_name,
    "display_name": mask_name,
    "date_of_birth": mask_birth_date,
    "birth_date": mask_birth_date,
    "street": mask_fully,
    "address_line": mask_fully,
    "address_line1": mask_fully,
    "address_line2": mask_fully,
}


def _normalise_key(key: str) -> str:
    return key.lower().replace("_", "").replace("-", "")


_MASKERS_BY_KEY = {_normalise_key(key): masker for key, masker in _MASKERS.items()}

PII_KEYS: frozenset[str] = frozenset(_MASKERS)
"""The keys `mask_record` recognises; `firstName` and `FIRST-NAME` match `first_name` too."""


@functools.lru_cache(maxsize=4096)
def masker_for(key: str) -> Callable[[str], str] | None:
    """The masker for values under `key`, ignoring case, '_' and '-'; None if it is not PII.

    Remembered per key: a trail masks the same few dozen keys millions of times.
    """
    return _MASKERS_BY_KEY.get(_normalise_key(key))


def _mask_value(value: JsonValue, masker: Callable[[str], str] | None) -> JsonValue:
    if isinstance(value, dict):
        return {key: _mask_value(item, masker_for(key) or masker) for key, item in value.items()}
    if isinstance(value, list):
        return [_mask_value(item, masker) for item in value]
    if masker is None or value is None or isinstance(value, bool):
        return value
    # A phone or id stored as a number is masked as its digits; the result is a string.
    return masker(value if isinstance(value, str) else str(value))


def mask_record(record: Mapping[str, JsonValue]) -> dict[str, JsonValue]:
    """A copy of `record` with every value under a recognised key masked, at any depth.

    Everything under a recognised key is masked with that key's masker (a list of phones, a
    dict of name parts), unless a deeper key names its own kind of data. `None` and booleans
    carry no identity and are kept. Idempotent: `mask_record(mask_record(r)) == mask_record(r)`.
    """
    return {key: _mask_value(value, masker_for(key)) for key, value in record.items()}


def mask_record_alike(
    record: Mapping[str, JsonValue], like: Mapping[str, JsonValue], masked: dict[str, JsonValue]
) -> dict[str, JsonValue]:
    """`mask_record(record)`, reusing `masked` (which is `mask_record(like)`) for each key whose
    value in `record` is the very object it is in `like`: a key's value is masked by the key
    and the value alone, so the part shared by an old and a new snapshot is masked once."""
    return {
        key: masked[key]
        if key in like and like[key] is value
        else _mask_value(value, masker_for(key))
        for key, value in record.items()
    }

"""Hypothesis strategies for JSON-like records, and the PII-key oracle of the masking tests."""

from __future__ import annotations

import string
from collections.abc import Callable

from hypothesis import strategies as st

from domain.pii import (
    JsonValue,
    mask_birth_date,
    mask_email,
    mask_name,
    mask_national_id,
    mask_phone,
)

# The oracle for mask_record, written out from the specification (including spelling variants).
MASKER_OF_KEY: dict[str, Callable[[str], str]] = {
    **dict.fromkeys(["email", "Email"], mask_email),
    **dict.fromkeys(["phone", "phone_number", "mobile", "PHONE_NUMBER"], mask_phone),
    **dict.fromkeys(["national_id", "personal_id", "tax_id", "ssn"], mask_national_id),
    **dict.fromkeys(
        [
            "first_name",
            "last_name",
            "full_name",
            "name",
            "middle_name",
            "firstName",
            "display_name",
        ],
        mask_name,
    ),
    **dict.fromkeys(["date_of_birth", "birth_date"], mask_birth_date),
    **dict.fromkeys(
        ["street", "address_line", "address_line1", "address_line2", "address-line1"],
        lambda _: "***",
    ),
}
# Keys the masker must leave alone; random keys use an alphabet that cannot spell a PII key.
keys = st.sampled_from([*MASKER_OF_KEY, "address", "amount", "status", "id"]) | st.text(
    alphabet=string.digits + "._ ", max_size=4
)
scalars: st.SearchStrategy[JsonValue] = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=16)
)
json_values: st.SearchStrategy[JsonValue] = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(keys, children, max_size=3),
    max_leaves=10,
)
records = st.dictionaries(keys, json_values, max_size=5)
optional_records = st.none() | records

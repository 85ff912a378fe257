from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.testgen.patterns import sample

COMMON = [
    r"^[A-Z]{2}$",
    r"^[a-z0-9-]+$",
    r"^\d{3}-\d{4}$",
    r"^\+?[1-9]\d{1,14}$",
    r"^(cat|dog)s?$",
    r"[^@\s]+@[^@\s]+\.[a-z]{2,}",
    r"^(?:[A-Z]{2})?[0-9]{5}$",
    r"^[A-Za-z][A-Za-z0-9_]*$",
    r"^APP-[0-9a-f]{8}$",
    r"^\w+(\.\w+)*$",
    r"^[^\s]{3,}$",
    r"^(?P<code>[A-Z]{3})-\d+$",
]


@pytest.mark.parametrize("pattern", COMMON)
def test_the_shortest_sample_matches_common_patterns(pattern: str) -> None:
    found = sample(pattern)
    assert found is not None
    assert re.search(pattern, found)


def test_samples_are_the_shortest_strings_described() -> None:
    assert sample(r"^[A-Z]{2}$") == "AA"
    assert sample(r"^\d{3}-\d{4}$") == "000-0000"
    assert sample(r"^(cat|dog)s?$") == "cat"


@pytest.mark.parametrize("pattern", [r"(?=a)b", r"(a)\1", r"[", r"a{2"])
def test_what_it_cannot_build_is_none_not_a_wrong_value(pattern: str) -> None:
    assert sample(pattern) is None


def test_an_exact_length_is_reached_or_refused() -> None:
    assert sample(r"^[a-z]+$", 5) == "aaaaa"
    assert sample(r"^[A-Z]{2}$", 3) is None
    assert sample(r"^[a-z]+-[0-9]+$", 4) == "aa-0"


@given(st.sampled_from(COMMON), st.integers(min_value=0, max_value=40))
def test_property_a_sample_of_a_length_matches_and_has_that_length(
    pattern: str, length: int
) -> None:
    found = sample(pattern, length)
    if found is not None:
        assert len(found) == length
        assert re.search(pattern, found)

"""A loan outcome names its source plainly and its moment with a time zone."""

from __future__ import annotations

from datetime import datetime

import pytest

from domain.credit.history import LoanOutcome, is_source_name
from tests.builders import NOW, TENANT


@pytest.mark.parametrize("name", ["credit_data", "german_credit", "servicing-2026.q3", "x"])
def test_plain_lowercase_names_are_source_names(name: str) -> None:
    assert is_source_name(name)
    assert LoanOutcome(TENANT, "app-1", False, NOW, name).source == name


@pytest.mark.parametrize("name", ["", "Credit", "credit data", "-x", "../x", "a" * 65, "ß"])
def test_other_names_are_refused(name: str) -> None:
    assert not is_source_name(name)
    with pytest.raises(ValueError, match="source name"):
        LoanOutcome(TENANT, "app-1", False, NOW, name)


def test_an_outcome_without_a_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        LoanOutcome(TENANT, "app-1", True, datetime(2026, 11, 22, 9, 30), "credit_data")  # noqa: DTZ001

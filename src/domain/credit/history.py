"""What became of a granted loan: the label every credit model learns from.

A model of the probability of default can only learn from loans whose outcome is known: granted,
then repaid or defaulted. A `LoanOutcome` records that outcome for one stored application, with
where it came from (`source`: a public data set's name, or a lender's servicing system), so a
training set can be chosen by source and traced back to it.
"""

from __future__ import annotations

import re
from datetime import datetime

from attrs import field, frozen

_SOURCE = re.compile(r"^[a-z0-9][a-z0-9_.\-]{0,63}$")


def is_source_name(name: str) -> bool:
    """A source is named like `credit_data` or `servicing-2026`: lowercase, at most 64 long."""
    return bool(_SOURCE.match(name))


def _check_source(_instance: object, _attribute: object, value: str) -> None:
    if not is_source_name(value):
        raise ValueError(f"{value[:70]!r} is not a source name like credit_data")


def _check_aware(_instance: object, _attribute: object, value: datetime) -> None:
    if value.utcoffset() is None:
        raise ValueError("observed_at must be timezone-aware")


@frozen
class LoanOutcome:
    """Whether the loan behind application `application_id` defaulted, as known at
    `observed_at` (when the outcome was recorded, or imported)."""

    tenant_id: str
    application_id: str
    defaulted: bool
    observed_at: datetime = field(validator=_check_aware)
    source: str = field(validator=_check_source)

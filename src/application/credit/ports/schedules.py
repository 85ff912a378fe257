"""Who runs a periodic job's slot when several schedulers are up (`domain.schedules`).

A scheduler claims the slot before running the job; the claim is a row with the key (job,
slot), so of any number of schedulers claiming at once exactly one wins and the others skip
the slot. A claim is durable when `claim` returns, before the job starts: a scheduler that
dies mid-job leaves its slot claimed, and the job runs again at its next slot (every job is
safe to run again, none is safe to run twice at once).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class ScheduleClaims(Protocol):
    """Claims of job slots, shared by every scheduler of a deployment; no tenant's data."""

    def claim(self, job: str, slot: datetime, *, holder: str, at: datetime) -> bool:
        """Take (job, slot) for `holder`: True for exactly one caller per pair, however many
        claim at once; False for every other. Committed before it returns."""
        ...

    def forget_before(self, slot: datetime) -> int:
        """Remove the claims of slots that started before `slot`; how many went."""
        ...

"""Where the known outcomes of granted loans live: the labels a credit model trains on."""

from __future__ import annotations

from typing import Protocol

from domain.credit.application import Application
from domain.credit.history import LoanOutcome


class OutcomeRepository(Protocol):
    """At most one outcome per application; an outcome names a stored application."""

    def add(self, outcome: LoanOutcome) -> None:
        """Store the outcome; `AlreadyExists` if the application has one already."""
        ...

    def get(self, tenant_id: str, application_id: str) -> LoanOutcome | None:
        """The tenant's outcome of this application, or None."""
        ...

    def labelled(
        self, tenant_id: str, source: str | None = None
    ) -> list[tuple[Application, LoanOutcome]]:
        """Every application of the tenant with a known outcome (only those of `source`, if
        given), each with its outcome, by application id: a training set, in a stable order."""
        ...

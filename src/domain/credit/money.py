"""Money as an exact decimal amount with its ISO 4217 currency.

Floats cannot represent cents exactly, and adding euros to dinars is a bug rather than arithmetic,
so every amount in an application is a `Money` and mixing currencies raises.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal

from attrs import frozen

from domain.errors import DomainError

CENT = Decimal("0.01")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


class CurrencyMismatch(DomainError):
    """Two amounts in different currencies were combined or compared."""


def is_currency_code(code: str) -> bool:
    """Whether `code` has the shape of an ISO 4217 code (three capital letters)."""
    return bool(_CURRENCY.match(code))


@frozen(order=False)
class Money:
    """An exact amount in one currency; arithmetic is exact, `rounded()` goes to cents."""

    amount: Decimal
    currency: str

    @classmethod
    def of(cls, amount: str | int | Decimal, currency: str) -> Money:
        """Build from a string or int without passing through a float."""
        return cls(Decimal(amount), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        return Money(self.amount * factor, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._same(other)
        return self.amount >= other.amount

    def rounded(self) -> Money:
        """To whole cents, banker's rounding (the convention of most ledgers)."""
        return Money(self.amount.quantize(CENT, rounding=ROUND_HALF_EVEN), self.currency)

    def __str__(self) -> str:
        return f"{self.rounded().amount:,.2f} {self.currency}"

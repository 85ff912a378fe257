"""Today's LLM use of the caller's tenant, for the dashboard: calls, spend against the daily
budget, cache hit and fallback rates, straight from the usage ledger (the budget's own book)."""

from __future__ import annotations

from datetime import UTC, date
from decimal import Decimal

from attrs import frozen

from application.llm.gateway import LlmGateway
from application.llm.ports import UsageSummary
from domain.identity import Permission, Principal, authorize

__all__ = ["LlmUsageToday", "ShowLlmUsage"]


@frozen
class LlmUsageToday:
    day: date
    configured: bool
    summary: UsageSummary
    #: The daily allowance (None: unlimited), as the gateway enforces it.
    token_budget: int | None
    cost_budget: Decimal | None

    @property
    def token_share(self) -> float | None:
        """The share of the token budget spent (None with no token budget)."""
        if not self.token_budget:
            return None
        return min(1.0, self.summary.spend.tokens / self.token_budget)

    @property
    def cost_share(self) -> float | None:
        if not self.cost_budget:
            return None
        return min(1.0, float(self.summary.spend.cost / self.cost_budget))


@frozen
class ShowLlmUsage:
    gateway: LlmGateway

    def __call__(self, principal: Principal) -> LlmUsageToday:
        authorize(principal, Permission.ANALYTICS_VIEW)
        today = self.gateway.clock.now().astimezone(UTC).date()
        return LlmUsageToday(
            day=today,
            configured=self.gateway.configured,
            summary=self.gateway.ledger.summary(principal.tenant_id, today),
            token_budget=self.gateway.budget.daily_tokens,
            cost_budget=self.gateway.budget.daily_cost,
        )

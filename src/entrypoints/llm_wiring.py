"""The LLM gateway of the settings: the OpenAI-compatible model (or none), the cattrs answer
reader, the SQL cache and ledger on the process's engine, the prices and daily budgets.

Built on each access of `Deps.llm` (cheap: no I/O), so a Deps evolved with another clock or
engine gets a gateway on those. The model's client is the expensive part (a connection pool),
so one is kept per distinct LLM settings for the life of the process and shared by threads.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from adapters.llm.answers import CattrsAnswerReader
from adapters.llm.openai_model import OpenAiModel
from adapters.sql.llm_ledger import SqlLlmCache, SqlUsageLedger
from application.llm.gateway import LlmBudget, LlmGateway, LlmPrices
from entrypoints.llm_settings import LlmSettings

if TYPE_CHECKING:
    from entrypoints.composition import Deps

__all__ = ["llm_budget", "llm_gateway", "openai_model"]


def llm_gateway(deps: Deps) -> LlmGateway:
    """The gateway every use case asks through; with no LLM configured its model is None and
    every question falls back at once (`NOT_CONFIGURED`)."""
    settings = deps.settings.llm
    return LlmGateway(
        model=openai_model(settings) if settings.enabled else None,
        reader=CattrsAnswerReader(),
        cache=SqlLlmCache(deps.engine),
        ledger=SqlUsageLedger(deps.engine),
        clock=deps.clock,
        budget=llm_budget(settings),
        prices=LlmPrices(
            input_per_million=settings.price_input_per_mtok,
            output_per_million=settings.price_output_per_mtok,
        ),
    )


def llm_budget(settings: LlmSettings) -> LlmBudget:
    """Each tenant's daily allowance, as the settings give it (None: unlimited)."""
    return LlmBudget(
        daily_tokens=settings.daily_token_budget, daily_cost=settings.daily_cost_budget
    )


@functools.lru_cache(maxsize=8)
def openai_model(settings: LlmSettings) -> OpenAiModel:
    """The model of enabled LLM settings, one client per distinct settings in this process."""
    if settings.base_url is None:
        raise ValueError("LLM use is not configured: CREDITDESK_LLM_BASE_URL is not set")
    return OpenAiModel(
        base_url=settings.base_url,
        model=settings.model,
        api_key=settings.api_key,
        timeout=settings.timeout,
        max_retries=settings.max_retries,
    )

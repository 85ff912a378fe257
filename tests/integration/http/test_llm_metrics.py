"""/metrics shows today's LLM calls by purpose, outcome and cause, each tenant's spend today,
and the configured daily budgets, read from the call ledger when scraped."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from attrs import evolve
from litestar.testing import TestClient

from adapters.sql.llm_ledger import SqlUsageLedger
from application.llm.ports import CallOutcome, FailureCause, LlmCall, LlmRequest
from entrypoints.composition import Deps
from entrypoints.settings import LlmSettings
from tests.builders import OTHER_TENANT, TENANT
from tests.integration.http.support import app_for

REQUEST = LlmRequest(
    purpose="credit.second_opinion",
    prompt_version="v1",
    system="You assess loan applications.",
    user="monthly income 3200",
    schema_name="verdict",
    json_schema={"type": "object"},
)


def test_metrics_show_todays_llm_calls_spend_and_budgets(deps: Deps) -> None:
    budgets = LlmSettings(daily_token_budget=50_000, daily_cost_budget=Decimal("2.5"))
    deps = evolve(deps, settings=evolve(deps.settings, llm=budgets))
    assert deps.llm.ask(TENANT, REQUEST, dict).call.cause is FailureCause.NOT_CONFIGURED
    now = deps.clock.now()
    ledger = SqlUsageLedger(deps.engine)

    def paid(tenant: str, **changes: object) -> LlmCall:
        call = LlmCall(
            tenant_id=tenant,
            purpose="testgen.unit",
            at=now,
            input_hash="h" * 64,
            outcome=CallOutcome.ANSWERED,
            model="gpt-4o-mini",
            prompt_version="v3",
            input_tokens=1_000,
            output_tokens=250,
            cost=Decimal("0.0003"),
        )
        return evolve(call, **changes)  # type: ignore[arg-type]

    ledger.record(paid(TENANT))
    ledger.record(paid(TENANT, outcome=CallOutcome.CACHED, input_tokens=0, output_tokens=0, cost=0))
    ledger.record(paid(OTHER_TENANT, input_tokens=10, output_tokens=5, cost=Decimal("0.25")))
    ledger.record(paid(TENANT, at=now - timedelta(days=1)))  # yesterday: not today's

    with TestClient(app_for(deps)) as client:
        text = client.get("/metrics").text

    assert (
        'creditdesk_llm_calls_today{cause="not_configured",outcome="fallback",'
        'purpose="credit.second_opinion"} 1.0'
    ) in text
    assert (
        'creditdesk_llm_calls_today{cause="",outcome="answered",purpose="testgen.unit"} 2.0' in text
    )
    assert (
        'creditdesk_llm_calls_today{cause="",outcome="cached",purpose="testgen.unit"} 1.0' in text
    )
    assert f'creditdesk_llm_tokens_today{{tenant="{TENANT}"}} 1250.0' in text
    assert f'creditdesk_llm_tokens_today{{tenant="{OTHER_TENANT}"}} 15.0' in text
    assert f'creditdesk_llm_cost_today{{tenant="{TENANT}"}} 0.0003' in text
    assert f'creditdesk_llm_cost_today{{tenant="{OTHER_TENANT}"}} 0.25' in text
    assert "creditdesk_llm_daily_token_budget 50000.0" in text
    assert "creditdesk_llm_daily_cost_budget 2.5" in text


def test_an_unlimited_budget_has_no_series_and_no_calls_show_empty(client: TestClient) -> None:  # type: ignore[type-arg]
    text = client.get("/metrics").text
    assert "# TYPE creditdesk_llm_calls_today gauge" in text
    assert "creditdesk_llm_calls_today{" not in text
    assert "creditdesk_llm_daily_token_budget" not in text
    assert "creditdesk_llm_daily_cost_budget" not in text

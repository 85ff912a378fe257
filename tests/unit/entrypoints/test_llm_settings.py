"""The LLM settings: off by default, every mistake named by its variable, the key never shown;
and the gateway the composition wires from them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from adapters.llm.openai_model import OpenAiModel
from application.llm.gateway import LlmBudget, LlmPrices
from domain.errors import ValidationFailed
from entrypoints.composition import build
from entrypoints.settings import LlmSettings, load

KEY = "sk-test-very-secret-key-0123456789"
ON = {
    "CREDITDESK_LLM_BASE_URL": "http://127.0.0.1:8000/v1",
    "CREDITDESK_LLM_MODEL": "qwen2.5-7b-instruct",
}


def _problems(env: dict[str, str]) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as refused:
        load(env)
    assert KEY not in str(refused.value)
    return {p.path.removeprefix("CREDITDESK_"): p.message for p in refused.value.problems}


def test_llm_use_is_off_by_default_with_no_budget() -> None:
    llm = load({}).llm
    assert llm == LlmSettings()
    assert not llm.enabled
    assert (llm.daily_token_budget, llm.daily_cost_budget) == (None, None)


def test_a_base_url_and_a_model_turn_it_on_with_twenty_seconds_and_two_retries() -> None:
    llm = load(ON).llm
    assert llm.enabled
    assert (llm.base_url, llm.model, llm.api_key) == (
        ON["CREDITDESK_LLM_BASE_URL"],
        ON["CREDITDESK_LLM_MODEL"],
        None,
    )
    assert (llm.timeout, llm.max_retries) == (20.0, 2)
    assert (llm.price_input_per_mtok, llm.price_output_per_mtok) == (Decimal(0), Decimal(0))


def test_every_setting_is_read_and_the_key_is_never_in_a_repr() -> None:
    llm = load(
        {
            **ON,
            "CREDITDESK_LLM_API_KEY": KEY,
            "CREDITDESK_LLM_TIMEOUT_SECONDS": "2.5",
            "CREDITDESK_LLM_MAX_RETRIES": "0",
            "CREDITDESK_LLM_PRICE_INPUT_PER_MTOK": "2.50",
            "CREDITDESK_LLM_PRICE_OUTPUT_PER_MTOK": "10",
            "CREDITDESK_LLM_DAILY_TOKEN_BUDGET": "200_000",
            "CREDITDESK_LLM_DAILY_COST_BUDGET": "1.25",
        }
    ).llm
    assert llm.api_key == KEY
    assert (llm.timeout, llm.max_retries) == (2.5, 0)
    assert (llm.price_input_per_mtok, llm.price_output_per_mtok) == (Decimal("2.50"), Decimal(10))
    assert (llm.daily_token_budget, llm.daily_cost_budget) == (200_000, Decimal("1.25"))
    assert KEY not in repr(llm)
    assert KEY not in repr(OpenAiModel(base_url="http://127.0.0.1:9/v1", model="m", api_key=KEY))


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("BASE_URL", "ftp://models.example/v1", "http:// or https://"),
        ("BASE_URL", f"https://user:{KEY}@models.example/v1", "must not hold credentials"),
        ("TIMEOUT_SECONDS", "soon", "seconds from 0.1 to 600"),
        ("TIMEOUT_SECONDS", "0", "seconds from 0.1 to 600"),
        ("MAX_RETRIES", "-1", "whole number from 0 to 10"),
        ("MAX_RETRIES", "2.5", "whole number from 0 to 10"),
        ("PRICE_INPUT_PER_MTOK", "-1", "decimal amount of 0 or more"),
        ("PRICE_OUTPUT_PER_MTOK", "ten", "decimal amount of 0 or more"),
        ("DAILY_TOKEN_BUDGET", "lots", "whole number"),
        ("DAILY_COST_BUDGET", "NaN", "decimal amount of 0 or more"),
    ],
)
def test_a_bad_value_is_named_by_its_variable(variable: str, value: str, message: str) -> None:
    problems = _problems({**ON, f"CREDITDESK_LLM_{variable}": value})
    assert list(problems) == [f"LLM_{variable}"]
    assert message in problems[f"LLM_{variable}"]


def test_a_base_url_needs_a_model() -> None:
    problems = _problems({"CREDITDESK_LLM_BASE_URL": "https://api.openai.com/v1"})
    assert problems == {"LLM_MODEL": "is required when CREDITDESK_LLM_BASE_URL is set"}


def test_settings_without_a_base_url_are_named_rather_than_ignored() -> None:
    problems = _problems({"CREDITDESK_LLM_API_KEY": KEY, "CREDITDESK_LLM_MODEL": "gpt-4o-mini"})
    assert problems == {
        "LLM_API_KEY": "is set, but CREDITDESK_LLM_BASE_URL is not",
        "LLM_MODEL": "is set, but CREDITDESK_LLM_BASE_URL is not",
    }


def test_the_composition_wires_no_model_when_off_and_the_settings_model_when_on(
    tmp_path: Path,
) -> None:
    off = build(load({"CREDITDESK_DATA_DIR": str(tmp_path / "off")}))
    on = build(
        load(
            {
                **ON,
                "CREDITDESK_DATA_DIR": str(tmp_path / "on"),
                "CREDITDESK_LLM_PRICE_INPUT_PER_MTOK": "2.50",
                "CREDITDESK_LLM_DAILY_TOKEN_BUDGET": "1000",
            }
        )
    )
    try:
        assert off.llm.model is None
        assert not off.llm.configured
        gateway = on.llm
        assert isinstance(gateway.model, OpenAiModel)
        assert gateway.model.model == "qwen2.5-7b-instruct"
        assert on.llm.model is gateway.model  # one client per settings, kept
        assert gateway.budget == LlmBudget(daily_tokens=1000)
        assert gateway.prices == LlmPrices(input_per_million=Decimal("2.50"))
    finally:
        off.close()
        on.close()

"""LLM settings: the OpenAI-compatible endpoint, its model and key, prices and daily budgets
(CREDITDESK_LLM_*).

Kept apart from `entrypoints.settings`, which reads them with the rest, as the email, auth and
HTTP settings are. LLM use is off unless CREDITDESK_LLM_BASE_URL is set: everything works
without it, and every question then falls back at once (`FailureCause.NOT_CONFIGURED`).
"""

from __future__ import annotations

import math
import urllib.parse
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from attrs import field, frozen

from domain.errors import Problem

PREFIX = "CREDITDESK_"
DEFAULT_LLM_TIMEOUT = 20.0
DEFAULT_LLM_MAX_RETRIES = 2

#: Every variable but the base URL: setting one without the URL is a mistake to name.
_LLM_VARIABLES = (
    "API_KEY",
    "MODEL",
    "TIMEOUT_SECONDS",
    "MAX_RETRIES",
    "PRICE_INPUT_PER_MTOK",
    "PRICE_OUTPUT_PER_MTOK",
    "DAILY_TOKEN_BUDGET",
    "DAILY_COST_BUDGET",
)


@frozen
class LlmSettings:
    """Where the language model is and what it may cost.

    Prices are per million tokens, in the currency the cost budget is kept in; budgets are per
    tenant and UTC day, `None` for unlimited. The API key never appears in a repr, so settings
    can be logged or shown in an error whole.
    """

    #: None turns LLM use off.
    base_url: str | None = None
    model: str = ""
    api_key: str | None = field(default=None, repr=False)
    timeout: float = DEFAULT_LLM_TIMEOUT
    max_retries: int = DEFAULT_LLM_MAX_RETRIES
    price_input_per_mtok: Decimal = Decimal(0)
    price_output_per_mtok: Decimal = Decimal(0)
    daily_token_budget: int | None = None
    daily_cost_budget: Decimal | None = None

    @property
    def enabled(self) -> bool:
        return self.base_url is not None


def llm_settings(env: Mapping[str, str], problems: list[Problem]) -> LlmSettings:
    """The LLM settings, every problem appended to `problems`. No message repeats a value:
    the key is secret, and a URL may hold one."""
    base_url = env.get(f"{PREFIX}LLM_BASE_URL", "").strip()
    given = {name: env.get(f"{PREFIX}LLM_{name}", "").strip() for name in _LLM_VARIABLES}
    if not base_url:
        problems.extend(
            Problem(f"{PREFIX}LLM_{name}", f"is set, but {PREFIX}LLM_BASE_URL is not")
            for name, value in given.items()
            if value
        )
        return LlmSettings()
    parts = urllib.parse.urlsplit(base_url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        problems.append(
            Problem(f"{PREFIX}LLM_BASE_URL", "must be an http:// or https:// URL, such as "
                    "https://api.openai.com/v1")
        )  # fmt: skip
    elif parts.username is not None or parts.password is not None:
        problems.append(
            Problem(f"{PREFIX}LLM_BASE_URL", f"must not hold credentials: set "
                    f"{PREFIX}LLM_API_KEY instead")
        )  # fmt: skip
    if not given["MODEL"]:
        problems.append(
            Problem(f"{PREFIX}LLM_MODEL", f"is required when {PREFIX}LLM_BASE_URL is set")
        )
    timeout = _seconds(given["TIMEOUT_SECONDS"], problems)
    retries = _whole(given["MAX_RETRIES"], "MAX_RETRIES", 0, 10, problems)
    tokens = _whole(given["DAILY_TOKEN_BUDGET"], "DAILY_TOKEN_BUDGET", 0, 10**12, problems)
    prices = {
        name: _amount(given[name], name, problems) or Decimal(0)
        for name in ("PRICE_INPUT_PER_MTOK", "PRICE_OUTPUT_PER_MTOK")
    }
    return LlmSettings(
        base_url=base_url,
        model=given["MODEL"],
        api_key=env.get(f"{PREFIX}LLM_API_KEY", "") or None,
        timeout=timeout,
        max_retries=DEFAULT_LLM_MAX_RETRIES if retries is None else retries,
        price_input_per_mtok=prices["PRICE_INPUT_PER_MTOK"],
        price_output_per_mtok=prices["PRICE_OUTPUT_PER_MTOK"],
        daily_token_budget=tokens,
        daily_cost_budget=_amount(given["DAILY_COST_BUDGET"], "DAILY_COST_BUDGET", problems),
    )


def _seconds(text: str, problems: list[Problem]) -> float:
    try:
        seconds = float(text) if text else DEFAULT_LLM_TIMEOUT
    except ValueError:
        seconds = math.nan
    if not 0.1 <= seconds <= 600.0:
        problems.append(Problem(f"{PREFIX}LLM_TIMEOUT_SECONDS", "must be seconds from 0.1 to 600"))
        return DEFAULT_LLM_TIMEOUT
    return seconds


def _whole(text: str, name: str, low: int, high: int, problems: list[Problem]) -> int | None:
    """The whole number `text` spells, None when unset."""
    text = text.replace("_", "")
    if not text:
        return None
    if text.isascii() and text.isdigit() and low <= int(text) <= high:
        return int(text)
    problems.append(
        Problem(f"{PREFIX}LLM_{name}", f"must be a whole number from {low:,} to {high:,}")
    )
    return None


def _amount(text: str, name: str, problems: list[Problem]) -> Decimal | None:
    """The non-negative decimal `text` spells (a price or a budget), None when unset."""
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount < 0 or amount.adjusted() >= 12:
        problems.append(
            Problem(f"{PREFIX}LLM_{name}", "must be a decimal amount of 0 or more, such as 2.50")
        )
        return None
    return amount

"""The workbench's second-opinion panel (`second_opinion_panel.html`): the latest record of the
case, as a person reads it, and whether a new one can be asked for.

Read through the same use case as `GET /api/v1/applications/{id}/second-opinions`; asking goes
through `POST` on that route from `second_opinion.js`. Costs are shown with enough places for
the fractions of a cent a call costs, latencies in milliseconds or seconds.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from attrs import frozen

from application.credit.llm_usage import ShowLlmUsage
from application.credit.second_opinion_requests import ListSecondOpinions
from domain.credit.second_opinion import KeyFactor
from domain.credit.second_opinion_record import OpinionOutcome, SecondOpinionRecord
from domain.identity import Permission, Principal, can
from entrypoints.composition import Deps

__all__ = [
    "OpinionPanel",
    "cost_text",
    "latency_text",
    "llm_usage_values",
    "opinion_panel",
    "second_opinion_values",
]

_CAUSES = {
    "not_configured": "no language model is configured",
    "budget_exhausted": "the tenant's daily LLM budget is spent",
    "timeout": "the model did not answer in time",
    "rate_limited": "the model's service was still rate-limiting after retries",
    "server_error": "the model's service failed after retries",
    "connection": "the model's service could not be reached",
    "rejected": "the model's service refused the request",
    "refusal": "the model declined to answer",
    "truncated": "the answer was cut off at its length limit",
    "malformed_json": "the answer was not valid JSON",
    "schema_mismatch": "the answer did not have the structure asked for",
}


def cost_text(cost: Decimal) -> str:
    """`0.000219` as "0.000219", `1.5` as "1.50": cents at least, never scientific notation."""
    if cost == 0:
        return "0.00"
    places = max(2, -cost.normalize().as_tuple().exponent)  # type: ignore[operator]
    return f"{cost:.{min(places, 8)}f}"


def latency_text(milliseconds: float) -> str:
    return f"{milliseconds:.0f} ms" if milliseconds < 1000 else f"{milliseconds / 1000:.1f} s"


@frozen
class OpinionPanel:
    """One record as the panel shows it."""

    record: SecondOpinionRecord
    outcome_label: str
    cause_text: str
    factors: tuple[KeyFactor, ...]
    confidence: str
    cost: str
    latency: str
    asked: str


def opinion_panel(record: SecondOpinionRecord) -> OpinionPanel:
    opinion = record.opinion
    labels = {
        OpinionOutcome.ANSWERED: "Answered",
        OpinionOutcome.CACHED: "Answered from the cache (same figures as an earlier case)",
        OpinionOutcome.FALLBACK: "No opinion: the model and scorecard result stands",
    }
    asked = "while scoring" if record.trigger.value == "scoring" else "on request"
    return OpinionPanel(
        record=record,
        outcome_label=labels[record.outcome],
        cause_text=_CAUSES.get(record.fallback_cause, record.fallback_cause.replace("_", " ")),
        factors=() if opinion is None else opinion.key_factors,
        confidence="" if opinion is None else f"{opinion.confidence:.0%}",
        cost=cost_text(record.cost),
        latency=latency_text(record.latency_ms),
        asked=f"{asked}, {record.at.strftime('%Y-%m-%d %H:%M UTC')}",
    )


def second_opinion_values(deps: Deps, principal: Principal, application_id: str) -> dict[str, Any]:
    """The template's values: the latest record (None before the first), how many there are,
    whether LLM use is configured and whether this person may ask."""
    records = ListSecondOpinions(deps.uow())(principal, application_id)
    return {
        "opinion": opinion_panel(records[0]) if records else None,
        "opinion_count": len(records),
        "llm_on": deps.llm.configured,
        "can_ask_opinion": can(principal, Permission.DECISION_CREATE),
    }


def llm_usage_values(deps: Deps, principal: Principal) -> dict[str, Any]:
    """The dashboard card's values: today's LLM use of the tenant (`llm_usage_card.html`)."""
    usage = ShowLlmUsage(deps.llm)(principal)
    return {"llm_usage": usage, "llm_cost": cost_text(usage.summary.spend.cost)}
